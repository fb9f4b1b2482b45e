"""The PWA's stylesheet: every rule is closed where it should be. CSS nesting is valid today, so a lost
"}" (e.g. in a merge) silently nests every later rule inside the one before — or inside `@media print`,
where the screen never shows them — and no build step complains."""

from __future__ import annotations

import re
from pathlib import Path

STYLES = Path(__file__).resolve().parents[2] / "pwa" / "src" / "styles.css"


def test_rules_nest_only_inside_at_rules() -> None:
    text = re.sub(r"/\*.*?\*/", "", STYLES.read_text(encoding="utf-8"), flags=re.S)
    stack: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in re.finditer(r"[{}]", line):
            if match.group() == "{":
                opener = line[: match.start()].strip()
                assert not stack or stack[-1].startswith("@"), (
                    f"line {number}: {opener!r} nested in {stack[-1]!r}"
                )
                stack.append(opener)
            else:
                assert stack, f"line {number}: a '}}' closes nothing"
                stack.pop()
    assert stack == [], f"not closed: {stack}"
