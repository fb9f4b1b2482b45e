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


def test_the_audit_log_names_every_audited_table_in_words() -> None:
    """The admin's audit log says "oprettede Lønlinje", never a table name (issue 12, item 17)."""
    from backend.db.base import Base
    from backend.workflows import WORKFLOWS

    assert WORKFLOWS  # every workflow's models are imported, so their tables are mapped
    audited = {
        m.class_.__tablename__ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)
    }
    assert len(audited) > 10
    for language in ("da", "en"):
        w = words(language)
        assert sorted(t for t in audited if f"entity_{t}" not in w and f"type_{t}" not in w) == [], language
