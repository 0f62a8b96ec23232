"""reqlab.protocol.budget: token buckets per frame kind, refunds for useful work."""

from __future__ import annotations

from reqlab.protocol.budget import Bucket, FloodLimits, FrameBudgets


def test_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    bucket = Bucket(3, 2)
    assert [bucket.take(10.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(11.0)  # one second later: two tokens back, one was owed
    assert not bucket.take(11.0)


def test_an_exhausted_kind_is_named_and_the_others_are_not_touched() -> None:
    budgets = FrameBudgets(FloodLimits(pings=(2, 0)))
    assert budgets.spend("pings", 0.0) is None
    assert budgets.spend("pings", 0.0) is None
    assert budgets.spend("pings", 0.0) == "pings"
    assert budgets.spend("settings", 0.0) is None


def test_answers_and_data_earn_budget_back_up_to_the_burst() -> None:
    budgets = FrameBudgets(FloodLimits(resets=(4, 0), control=(4, 0), refund_per_response=2))
    for _ in range(4):
        assert budgets.spend("resets", 0.0) is None
    budgets.earned()
    assert budgets.spend("resets", 0.0) is None
    budgets.data_sent()
    for _ in range(10):
        budgets.earned()
    assert budgets.buckets["control"].tokens == 4  # never above the burst
