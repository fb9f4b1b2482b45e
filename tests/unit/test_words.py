"""The PWA's words: receipts and trips name the same people the same way (issue 12, item 20)."""

from __future__ import annotations

import re
from pathlib import Path

I18N = Path(__file__).resolve().parents[2] / "pwa" / "src" / "i18n"


def words(language: str) -> dict[str, str]:
    """key → text of pwa/src/i18n/<language>.ts (one `key: "text",` per line)."""
    text = (I18N / f"{language}.ts").read_text(encoding="utf-8")
    return dict(re.findall(r'^\s*(\w+): "((?:[^"\\]|\\.)*)",?$', text, re.MULTILINE))


def test_receipts_and_trips_name_the_leader_alike() -> None:
    for language in ("da", "en"):
        w = words(language)
        assert w["rc_rejectedBecause"] == w["km_rejectedBecause"], language


def test_english_calls_the_leader_your_manager_everywhere() -> None:
    w = words("en")
    assert len(w) > 300, "the word list was read"
    assert not [k for k, v in w.items() if "leader" in v.lower()], "the English role is 'manager'"
    assert not [k for k, v in w.items() if "the manager:" in v.lower()]
