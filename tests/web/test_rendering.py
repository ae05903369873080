from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from tipline.web.rendering import environment, money_filter, when_filter


def test_money_groups_digits_the_readers_way() -> None:
    assert money_filter("vi")(Decimal("15000000"), "VND") == "15.000.000 VND"
    assert money_filter("en")(Decimal("15000000"), "VND") == "15,000,000 VND"
    assert money_filter("en")(Decimal("1234.5"), "USD") == "1,234.50 USD"
    assert money_filter("vi")(Decimal("1234.5"), "USD") == "1.234,50 USD"
    assert money_filter("vi")(Decimal("999"), "VND") == "999 VND"


def test_dates_are_shown_in_vietnam_time() -> None:
    moment = datetime(2025, 3, 14, 18, 30, tzinfo=UTC)
    assert when_filter("vi")(moment) == "15/03/2025 01:30"
    assert when_filter("en")(moment) == "2025-03-15 01:30 (UTC+7)"
    assert when_filter("vi")(date(2025, 3, 1)) == "01/03/2025"
    assert when_filter("vi")(None) == ""


def test_every_template_autoescapes() -> None:
    env = environment()
    assert env.autoescape is True
    template = env.from_string("{{ x }}")
    assert template.render(x="<script>&") == "&lt;script&gt;&amp;"
