#!/usr/bin/env bash
# The full upgrade matrix: every older→newer pair of the releases in tests/upgrade_matrix.rs
# (one per major line and the newest bundled), each built from its reference with generated
# rows in every table, upgraded with `apply --allow-destructive`, checked, and restored.
# Prints the matrix (seconds per pair, or FAIL) and the failures. CI runs a sample of it.
set -euo pipefail
cd "$(dirname "$0")/.."
UPGRADE_MATRIX=full cargo test -q --test upgrade_matrix -- --nocapture
