from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from babel.dates import format_datetime
from jinja2 import TemplateNotFound

from tipline.html.rendering import _numeric_writer, environment, money_filter, when_filter


def test_money_is_shown_in_the_readers_format() -> None:
    assert money_filter("vi")(Decimal("15000000"), "VND") == "15.000.000\xa0₫"
    assert money_filter("en")(Decimal("15000000"), "VND") == "₫15,000,000"
    assert money_filter("en")(Decimal("1234.5"), "USD") == "$1,234.50"
    assert money_filter("vi")(Decimal("1234.5"), "USD") == "1.234,50\xa0US$"
    assert money_filter("vi")(Decimal("999"), "VND") == "999\xa0₫"


def test_dates_are_shown_in_vietnam_time() -> None:
    moment = datetime(2025, 3, 14, 18, 30, tzinfo=UTC)
    assert when_filter("vi")(moment) == "15/03/2025 01:30"
    assert when_filter("en")(moment) == "2025-03-15 01:30 (UTC+7)"
    assert when_filter("vi")(date(2025, 3, 1)) == "01/03/2025"
    assert when_filter("vi")(None) == ""


@pytest.mark.parametrize(
    "pattern",
    [
        "dd/MM/yyyy HH:mm",
        "yyyy-MM-dd HH:mm '(UTC+7)'",
        "'o''clock' HH:mm:ss",
        "yyyy-MM-dd'T'HH",
        "'100%' yyyy",
        "HH",
    ],
)
def test_numeric_date_patterns_are_written_as_babel_writes_them(pattern: str) -> None:
    write = _numeric_writer(pattern)
    assert write is not None
    for moment in (datetime(2026, 1, 5, 7, 8, 9), datetime(2026, 12, 25, 23, 59, 58, 123456)):
        assert write(moment) == format_datetime(moment, pattern, locale="vi")


@pytest.mark.parametrize("pattern", ["d MMM yyyy", "h:mm a", "EEEE dd/MM"])
def test_other_date_patterns_are_left_to_babel(pattern: str) -> None:
    assert _numeric_writer(pattern) is None


def test_every_template_autoescapes() -> None:
    env = environment()
    assert env.autoescape is True
    template = env.from_string("{{ x }}")
    assert template.render(x="<script>&") == "&lt;script&gt;&amp;"


def test_templates_are_found_in_their_capability() -> None:
    env = environment()
    assert env.get_template("cases/list.html").filename.endswith(
        "tipline/cases/templates/list.html"
    )
    assert env.get_template("html/base.html").filename.endswith("tipline/html/templates/base.html")
    missing_ones = ("nosuchpackage/x.html", "reports/x.html", "cases/nothing.html", "../x.html")
    for missing in missing_ones:
        with pytest.raises(TemplateNotFound):
            env.get_template(missing)


def test_gettext_is_installed_in_the_readers_language() -> None:
    source = "{{ _('nav.home') }} {% trans %}nav.check{% endtrans %}"
    assert environment("vi").from_string(source).render() == "Trang chủ Kiểm tra"
    assert environment("en").from_string(source).render() == "Home Check"
