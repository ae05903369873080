"""The public part of a value's report tally."""

from __future__ import annotations

from tipline.indicators.disclosure import Disclosure, disclosed


def test_one_unconfirmed_report_shows_neither_category_nor_dates() -> None:
    assert disclosed({"fraud.investment": 1}, confirmed=False) == Disclosure(1, {}, dates=False)


def test_unconfirmed_reports_never_show_child_exploitation_or_sextortion() -> None:
    counts = {"child_exploitation": 2, "sextortion": 1, "fraud.loan": 1}
    assert disclosed(counts, confirmed=False) == Disclosure(4, {"fraud.loan": 1}, dates=True)


def test_a_confirmed_value_shows_its_categories() -> None:
    counts = {"sextortion": 1}
    assert disclosed(counts, confirmed=True) == Disclosure(1, {"sextortion": 1}, dates=True)


def test_no_counted_report_discloses_nothing() -> None:
    assert disclosed({}, confirmed=False) == Disclosure(0, {}, dates=False)
