"""Signed cookie values: given back only unchanged, for their purpose, and while young."""

from __future__ import annotations

from tipline.html.sealed import seal, unseal

KEY = b"k" * 32


def test_a_sealed_value_comes_back() -> None:
    sealed = seal(KEY, "holder", {"c": "TL-2222-2222", "s": "abc"}, now=1000)
    assert unseal(KEY, "holder", sealed, 60, now=1030) == {"c": "TL-2222-2222", "s": "abc"}


def test_old_forged_or_other_purpose_values_are_refused() -> None:
    sealed = seal(KEY, "holder", {"c": "x"}, now=1000)
    assert unseal(KEY, "holder", sealed, 60, now=1061) is None
    assert unseal(KEY, "other", sealed, 60, now=1001) is None
    assert unseal(b"j" * 32, "holder", sealed, 60, now=1001) is None
    body, mac = sealed.split(".")
    assert unseal(KEY, "holder", body[:-2] + "AA." + mac, 60, now=1001) is None
    assert unseal(KEY, "holder", None, 60) is None
    assert unseal(KEY, "holder", "no-dot", 60) is None
