from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from jinja2 import TemplateNotFound

from tipline.html.rendering import environment, money_filter, when_filter


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
