"""Properties of extraction that must hold for any text, checked with hypothesis."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tipline.indicators import Kind, canonical_value, extract
from tipline.indicators.defang import refang

PHONES = [
    "0912345678",
    "0912 345 678",
    "0912.345.678",
    "+84 912-345-678",
    "(+84) 912345678",
    "84912345678",
    "+855 12 345 678",
    "0987654321",
]
LINKS = [
    "hxxps://Vietcombank-XacThuc[.]com/login#a",
    "bit.ly/3xYz",
    "www.shopee-uudai.vn",
    "https://ib.vietcombank-xacthuc.com/x?y=1",
    "facebook.com/Nguyen.Van.A",
    "t.me/hotro_vcb",
    "http://103.97.125.12/admin",
    "vietcombánk.com",
    "abc.github.io",
]
OTHERS = [
    "STK 0123456789 Vietcombank",
    "Hotro.CSKH@Gmail.com",
    "103.97.125[.]12",
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "Telegram @HoTro_VCB",
    "SHA256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
    "5.000.000đ",
    "12/03/2025",
    "mã OTP 482913",
    "Tp.HCM",
    "file.txt",
    "113",
    "1900 1234",
]
WORDS = [
    "tôi",
    "bị",
    "lừa",
    "gọi",
    "số",
    "chuyển",
    "tiền",
    "vào",
    "I",
    "was",
    "scammed",
    "by",
    "link",
    "ngân hàng",
    "\n",
    ",",
    ".",
    "(",
    ")",
    ":",
    "!",
]

pieces = st.sampled_from(PHONES + LINKS + OTHERS + WORDS)
noise = st.text(max_size=12)
messages = st.lists(st.one_of(pieces, pieces, noise), max_size=25).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_extract_never_raises_on_arbitrary_unicode(text: str) -> None:
    for indicator in extract(text):
        assert 0 <= indicator.span[0] < indicator.span[1] <= len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages)
def test_each_value_appears_once_and_in_order_of_first_span(text: str) -> None:
    found = extract(text)
    keys = [(i.kind, i.value) for i in found]
    assert len(keys) == len(set(keys))
    assert [i.span[0] for i in found] == sorted(i.span[0] for i in found)


def _span_yields(indicator_kind: Kind, value: str, source: str) -> bool:
    if indicator_kind == Kind.BANK_ACCOUNT:
        return re.sub(r"\D", "", source) == value.split(":", 1)[1]
    if indicator_kind == Kind.SOCIAL:
        return value.split(":", 1)[1] in source.lower()
    if indicator_kind == Kind.DOMAIN and (indicator_kind, value) not in {
        (i.kind, i.value) for i in extract(source)
    }:
        # A domain's span is the whole host it came from; read alone, a host run into another
        # indicator (`TR7…t DOT bit.ly`) may be claimed by that one, yet it ends in the domain.
        host = refang(source).text.lower().rstrip("/")
        return host == value or host.endswith("." + value)
    return (indicator_kind, value) in {(i.kind, i.value) for i in extract(source)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages)
@example("103.97.125[.]12 DOT bit.ly/3xYz")  # an address run into a host, with a path
@example("103.97.125[.]12 DOT bit.ly")
def test_spans_point_at_the_text_they_came_from(text: str) -> None:
    for indicator in extract(text):
        start, end = indicator.span
        assert _span_yields(indicator.kind, indicator.value, text[start:end]), indicator


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages)
def test_normalising_a_canonical_value_again_changes_nothing(text: str) -> None:
    for indicator in extract(text):
        assert canonical_value(indicator.kind, indicator.value) == indicator.value, indicator
