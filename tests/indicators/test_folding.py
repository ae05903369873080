"""Folding: lower-case, no diacritics, same length; ASCII text takes the short path."""

from __future__ import annotations

import random

from tipline.indicators.folding import FOLD_TABLE, fold


def test_ascii_text_folds_as_the_table_folds_it() -> None:
    rng = random.Random(7)
    texts = [
        "".join(chr(rng.randrange(128)) for _ in range(rng.randint(0, 40))) for _ in range(2000)
    ]
    texts.append("".join(map(chr, range(128))))
    assert [fold(t) for t in texts] == [t.translate(FOLD_TABLE) for t in texts]


def test_vietnamese_is_folded_to_plain_letters_of_the_same_length() -> None:
    text = "Số Tài Khoản ĐÔNG Á"
    assert fold(text) == "so tai khoan dong a"
    assert len(fold(text)) == len(text)


def test_every_character_folds_as_the_table_folds_it() -> None:
    """The fast list table of `fold` is the table: every code point of the blocks it lists and
    past them, and a sample of the rest, beside a non-ASCII one so that the table is used."""
    codes = [*range(0x2100), *range(0x2100, 0xD800, 31), *range(0xE000, 0x110000, 997)]
    everything = "".join(map(chr, codes))
    assert fold("ệ" + everything) == ("ệ" + everything).translate(FOLD_TABLE)
