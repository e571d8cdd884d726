#!/usr/bin/env python3
"""sqldef's MySQL YAML cases (sqldef/*.yml, copied verbatim) to one JSON file the Rust test
reads (tests/peer_suite/cases.json): the test crate has no YAML reader, and the copy stays
byte for byte what upstream wrote. Run from this folder after refreshing sqldef/*.yml."""
import json, pathlib, yaml

here = pathlib.Path(__file__).parent
out = []
for f in sorted((here / "sqldef").glob("tests_*.yml")):
    for name, case in (yaml.safe_load(f.read_text()) or {}).items():
        out.append({
            "file": f.name,
            "name": name,
            "current": case.get("current") or "",
            "desired": case.get("desired") or "",
            "flavor": case.get("flavor") or "",
            "error": case.get("error") or "",
            "offline": bool(case.get("offline", False)),
            "enable_drop": bool(case.get("enable_drop", True)),
        })
dest = here.parent.parent / "tests" / "peer_suite" / "cases.json"
dest.parent.mkdir(exist_ok=True)
dest.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(f"{len(out)} cases -> {dest}")
