"""What a follower of a facility report is told (issue 15): each status in words; only a rejection
carries its reason, and nothing else of the report (never the internal note)."""

from __future__ import annotations

from backend.features.facility.followers import TOLD, status_text


def test_followers_hear_planned_in_progress_done_and_rejected() -> None:
    assert {"planned", "in_progress", "done", "rejected"} == TOLD
    titles = {state: status_text(state, "")[0].da for state in TOLD}
    assert titles["planned"] == "Din fejlmelding er planlagt"
    assert titles["done"] == "Din fejlmelding er udført"
    assert "billedet" in status_text("done", "")[1].da


def test_only_a_rejection_carries_its_reason() -> None:
    _, body = status_text("rejected", "Det er lejers ansvar")
    assert body.da.endswith("Begrundelse: Det er lejers ansvar")
    assert body.en.endswith("Reason: Det er lejers ansvar")
    _, planned = status_text("planned", "Nøgle hos pedellen")
    assert "pedellen" not in planned.da + planned.en
