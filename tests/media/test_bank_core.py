"""Hash banks' pure vocabulary: how a hash is written, a victim's receipt, a bank's fields."""

from __future__ import annotations

import pytest

from tipline.media import core
from tipline.media.core import HashValue, Signal


def test_a_hash_is_canonical_lower_case_hex_of_its_signals_length() -> None:
    assert core.canonical_hash("MD5", " D41D8CD98F00B204E9800998ECF8427E ") == (
        "d41d8cd98f00b204e9800998ecf8427e"
    )
    assert core.canonical_hash("pdq", "f" * 64) == "f" * 64
    assert core.canonical_hash("sha256", "f" * 63) is None
    assert core.canonical_hash("pdq", "g" * 64) is None
    assert core.canonical_hash("sha1", "f" * 40) is None


def test_a_wrong_hash_says_what_is_wrong() -> None:
    assert core.hash_value("PDQ", "A" * 64, 80) == HashValue(Signal.PDQ, "a" * 64, 80)
    with pytest.raises(ValueError, match="signal type is one of pdq, md5, sha256"):
        core.hash_value("phash", "a" * 16)
    with pytest.raises(ValueError, match="md5 hash is 32 hexadecimal digits"):
        core.hash_value("md5", "a" * 64)
    with pytest.raises(ValueError, match="quality"):
        core.hash_value("pdq", "a" * 64, 101)


def test_a_receipt_is_found_however_she_types_it() -> None:
    code = core.new_receipt_code()
    assert len(code) == 19
    assert code.count("-") == 3
    assert not set(code.replace("-", "")) & set("01IO")
    typed = code.lower().replace("-", " ")
    assert core.receipt_digest(typed) == core.receipt_digest(code)
    assert core.receipt_digest(core.new_receipt_code()) != core.receipt_digest(code)


@pytest.mark.parametrize(
    ("name", "kind", "owner", "days", "problem"),
    [
        ("CSAM known", "child", "C50", None, None),
        ("", "child", "C50", None, "name"),
        ("NCII", "revenge", "C50", None, "kind"),
        ("NCII", "ncii", " ", None, "owner"),
        ("NCII", "ncii", "C50", 0, "retention"),
    ],
)
def test_a_banks_fields_are_checked(
    name: str, kind: str, owner: str, days: int | None, problem: str | None
) -> None:
    found = core.bank_problem(name, kind, owner, days)
    assert (found is None) if problem is None else (found is not None and problem in found)
