"""The leader's review sample: at least the share, all in small months, rules add, and reproducible."""

from __future__ import annotations

from decimal import Decimal

from backend.features.receipts.review_sample import PaidReceipt, SampleSettings, draw, month_seed


def _receipts(n: int, total: str = "100") -> list[PaidReceipt]:
    return [PaidReceipt(f"r{i:03d}", Decimal(total)) for i in range(n)]


def test_a_unit_with_fewer_than_20_receipts_in_a_month_has_all_reviewed() -> None:
    drawn = draw(_receipts(19), "seed")
    assert len(drawn) == 19 and {d.rule for d in drawn} == {"all_below_threshold"}


def test_at_least_five_percent_rounded_up_is_drawn_at_random() -> None:
    drawn = draw(_receipts(41), "seed")
    assert len(drawn) == 3 and {d.rule for d in drawn} == {"random_share"}  # 5% of 41 = 2.05 → 3


def test_the_same_seed_draws_the_same_receipts_and_another_seed_others() -> None:
    receipts = _receipts(200)
    first = [d.receipt_id for d in draw(receipts, "2026-11 seed A")]
    assert first == [d.receipt_id for d in draw(list(reversed(receipts)), "2026-11 seed A")]
    assert first != [d.receipt_id for d in draw(receipts, "2026-11 seed B")]


def test_rules_add_receipts_over_the_limit_and_suspected_duplicates() -> None:
    receipts = [
        *_receipts(40),
        PaidReceipt("big", Decimal("5000.00")),
        PaidReceipt("dup", Decimal("10"), True),
    ]
    drawn = {d.receipt_id: d.rule for d in draw(receipts, "s", SampleSettings(amount_limit=Decimal("2000")))}
    assert drawn["big"] == "over_amount_limit" and drawn["dup"] == "suspected_duplicate"
    assert list(drawn.values()).count("random_share") == 3  # 5% of 42


def test_share_and_threshold_are_settings() -> None:
    assert len(draw(_receipts(10), "s", SampleSettings(share=Decimal("0.10"), all_below=5))) == 1


def test_each_unit_and_month_has_its_own_seed() -> None:
    assert (
        month_seed("k", 1, 5, 2026, 11) != month_seed("k", 1, 5, 2026, 12) != month_seed("k", 1, 6, 2026, 11)
    )
