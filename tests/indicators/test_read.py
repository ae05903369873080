"""Reading one typed value: the shortcuts agree with what extraction reads in the same text."""

from __future__ import annotations

import random

import pytest
from tests.indicators.test_link_host import corpus_links

from tipline.indicators import Indicator, Kind, default_allowlist, extract, read_value
from tipline.indicators.defaults import read_value_in_full
from tipline.indicators.extract import link_host
from tipline.indicators.read import _PRIORITY, _read_bare_phone, read_value_and_host


def by_extraction(text: str) -> Indicator | None:
    """What `read_value` gives when it reads the whole value with `extract`."""
    found = extract(text.strip())
    for kind in _PRIORITY:
        for indicator in found:
            if indicator.kind == kind:
                return indicator
    return None


def grouped(digits: str, rng: random.Random) -> str:
    """The digits as a person types them: in groups of two to four, or in one run."""
    if rng.random() < 0.3:
        return digits
    groups, rest = [], digits
    while rest:
        size = rng.randint(2, 4)
        groups.append(rest[:size])
        rest = rest[size:]
    return " ".join(groups)


def bare_numbers() -> list[str]:
    """Bare numbers of every start and length: Vietnamese mobiles, landlines, service lines,
    foreign numbers with and without +, too short and too long."""
    rng = random.Random(2026)
    texts: list[str] = []
    for prefix in range(1000):
        for length in (7, 9, 9, 10, 10, 12):
            rest = "".join(rng.choice("0123456789") for _ in range(length - 3))
            texts += [
                grouped(f"0{prefix:03d}{rest}", rng),
                "+" + grouped(f"84{prefix:03d}{rest}", rng),
            ]
    for start in ("1900", "1800", "024", "028", "00", "1", "44", "86", "855", "65"):
        for _ in range(30):
            rest = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 12)))
            texts += [grouped(start + rest, rng), "+" + grouped(start + rest, rng)]
    # Digits of other scripts are digits to both readings.
    texts += ["\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", "٠٩١٢٣٤٥٦٧٨"]
    return texts


def test_a_bare_phone_is_read_as_extraction_reads_it() -> None:
    texts = bare_numbers()
    read = {text: _read_bare_phone(text) for text in texts}
    differing = [t for t, shortcut in read.items() if shortcut and shortcut != by_extraction(t)]
    assert differing == []
    # Both outcomes are exercised: valid phones taken on the short path, the rest left over.
    assert sum(shortcut is not None for shortcut in read.values()) > 800
    assert sum(shortcut is None for shortcut in read.values()) > 1000


def test_every_bare_text_extraction_reads_as_one_whole_phone_takes_the_short_path() -> None:
    for text in bare_numbers():
        extracted = by_extraction(text)
        whole = extracted and extracted.kind == Kind.PHONE and extracted.span == (0, len(text))
        if whole:
            assert _read_bare_phone(text) == extracted, text


@pytest.mark.parametrize(
    "text",
    ["0912-345-678", "0912.345.678", "(+84) 912 345 678", "0912  345 678", "+ 84 912 345 678",
     "0912 345 678 VCB", "STK 0912345678", "0912345678 Vietcombank", "12 03 2025", "113"],
)  # fmt: skip
def test_other_shapes_go_through_extraction(text: str) -> None:
    assert _read_bare_phone(text) is None


@pytest.mark.parametrize(
    "typed",
    [
        *corpus_links(),
        "hxxps://vietcombank-xacthuc[.]com/login",
        "https://103.97.125.12/login",
        "https://bit.ly/3xYz",
        "https://vietcombank.com.vn/x",
        # The domain named first, the link after it: extraction spans the domain there.
        "shopee-uudai.vn https://shopee-uudai.vn/qua",
    ],
)
def test_a_links_host_is_the_one_link_host_reads(typed: str) -> None:
    value, host = read_value_and_host(typed, default_allowlist())
    assert value == read_value(typed)
    if value is None or value.kind != Kind.URL:
        assert host is None
        return
    expected = link_host(value.value, default_allowlist())
    if expected is None or expected.allowlisted:
        assert host is None
    else:
        assert host is not None
        assert (host.kind, host.value, host.allowlisted) == (
            expected.kind,
            expected.value,
            False,
        )


@pytest.mark.parametrize("typed", ["0912 345 678", "VCB 0123456789", "t.me/abc", "x.com", "?"])
def test_values_that_are_no_links_have_no_host(typed: str) -> None:
    assert read_value_and_host(typed, default_allowlist()) == (read_value(typed), None)


def test_every_kind_has_a_place_in_the_priority() -> None:
    assert sorted(_PRIORITY) == sorted(Kind)


@pytest.mark.parametrize(
    "typed",
    [*corpus_links()[:20], " 0912 345 678 ", "+84 912 345 678", "VCB:0123456789", "telegram:abc",
     "STK 0123456789 Vietcombank", "0123 4567 8901 23", "hxxps://a-b[.]com/x shopee.vn", "?"],
)  # fmt: skip
def test_in_full_is_the_reading_and_extractions_answer(typed: str) -> None:
    assert read_value_in_full(typed) == (read_value(typed), extract(typed.strip()))


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("instagram hoang.anh.2k9", "instagram:hoang.anh.2k9"),
        ("Instagram  Hoang.Anh.2k9", "instagram:hoang.anh.2k9"),
        ("ig:@x", "instagram:x"),
        ("IG @Hoang_Anh", "instagram:hoang_anh"),
        ("tele @HoTro_VCB", "telegram:hotro_vcb"),
        ("Telegram: hotro_vcb", "telegram:hotro_vcb"),
        ("face nguyen.van.a", "facebook:nguyen.van.a"),
        ("fb:@nguyen.van.a", "facebook:nguyen.van.a"),
        ("tik tok: be_na", "tiktok:be_na"),
        ("tiktok @be_na", "tiktok:be_na"),
        ("zalo ngoc_anh99", "zalo:ngoc_anh99"),
        ("twitter @CryptoVN", "x:cryptovn"),
        ("instagram:linh.model99", "instagram:linh.model99"),
    ],
)
def test_a_handle_typed_with_its_platform_is_that_social_account(typed: str, value: str) -> None:
    found = read_value(typed)
    assert found is not None
    assert (found.kind, found.value) == (Kind.SOCIAL, value)


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("zalo 0912345678", Kind.PHONE, "+84912345678"),  # a number after zalo is its phone
        ("vietcombank 0123456789", Kind.BANK_ACCOUNT, "VCB:0123456789"),
        ("hello world", None, None),
    ],
)
def test_a_platform_word_needs_a_platform(typed: str, kind: Kind | None, value: str | None) -> None:
    found = read_value(typed)
    read = (found.kind, found.value) if found else (None, None)
    assert read == (kind, value)
