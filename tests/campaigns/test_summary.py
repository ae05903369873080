"""A campaign's figures: victims, losses per currency, time span, categories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tipline.campaigns.summary import NO_CURRENCY, ReportFacts, summarise


def _facts(
    campaign: int,
    amount: str | None = None,
    currency: str | None = "VND",
    category: str = "investment_scam",
    day: int | None = None,
) -> ReportFacts:
    when = datetime(2024, 3, day, tzinfo=UTC) if day is not None else None
    return ReportFacts(campaign, Decimal(amount) if amount else None, currency, category, when)


def test_losses_are_summed_per_currency_and_never_mixed() -> None:
    rows = [
        _facts(1, "5000000"),
        _facts(1, "2500000.50"),
        _facts(1, "120", "usd"),
        _facts(1, "10", None),
    ]
    summary = summarise(rows)[1]
    assert summary.victims == 4
    assert summary.losses == {
        "VND": Decimal("7500000.50"),
        "USD": Decimal("120"),
        NO_CURRENCY: Decimal("10"),
    }


def test_time_span_and_categories() -> None:
    rows = [_facts(7, day=12), _facts(7, day=3, category="phishing"), _facts(7), _facts(7, day=20)]
    summary = summarise(rows)[7]
    assert summary.first_occurred == datetime(2024, 3, 3, tzinfo=UTC)
    assert summary.last_occurred == datetime(2024, 3, 20, tzinfo=UTC)
    assert summary.span == timedelta(days=17)
    assert summary.categories.most_common() == [("investment_scam", 3), ("phishing", 1)]


def test_campaigns_are_kept_apart_and_missing_figures_are_skipped() -> None:
    summaries = summarise([_facts(1, "100"), _facts(2), _facts(2, "0")])
    assert sorted(summaries) == [1, 2]
    assert summaries[2].victims == 2
    assert summaries[2].losses == {}
    assert summaries[2].span is None


def test_sums_from_the_database_give_the_same_figures() -> None:
    from tipline.campaigns.summary import ReportTotal, summarise_totals

    march = [datetime(2024, 3, d, tzinfo=UTC) for d in (3, 9, 20)]
    facts = [
        ReportFacts(1, Decimal(100), "VND", "a", march[0], "x@y.vn"),
        ReportFacts(1, Decimal(50), "VND", "a", march[2], " X@y.vn"),
        ReportFacts(1, None, None, "b", march[1], None),
        ReportFacts(2, Decimal(5), "usd", "a", None, None),
    ]
    totals = [
        ReportTotal(1, "a", "VND", "x@y.vn", 1, Decimal(100), march[0], march[0]),
        ReportTotal(1, "a", "VND", " X@y.vn", 1, Decimal(50), march[2], march[2]),
        ReportTotal(1, "b", None, None, 1, None, march[1], march[1]),
        ReportTotal(2, "a", "usd", None, 1, Decimal(5), None, None),
    ]
    assert summarise_totals(totals) == summarise(facts)
    assert summarise(facts)[1].victims == 2
