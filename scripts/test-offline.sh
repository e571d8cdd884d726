#!/usr/bin/env bash
# The offline tier: the pure engine (schema model, DDL readers, diff, plan, policy, the
# migrations index), the planner's golden cases planned from their DDL text, and the documents'
# checks. No server, no client tools; seconds once built. Run it on every edit; the server tier
# (./scripts/test.sh) before you push.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --lib --test offline_cases --test docs --test readers --test parse_fuzz \
  --test corpus_parse --test ast_gaps "$@"
