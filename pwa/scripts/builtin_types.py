"""Writes the record types' declared fields (what GET /api/sync/types answers) to the PWA's built-in copy,
pwa/src/data/builtin-types.json, which forms use until a device has fetched the server's.

Run after changing a record type's fields: `.venv/bin/python pwa/scripts/builtin_types.py`
(tests/e2e/test_typed_fields.py fails while the copy differs from what the server declares).
"""

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "pwa" / "src" / "data" / "builtin-types.json"

if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from backend.platform import build
    from backend.workflows import WORKFLOWS

    OUT.write_text(json.dumps(build(WORKFLOWS).registry.describe(), ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}")
