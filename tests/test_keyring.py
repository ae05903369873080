"""The data keys: values and files sealed and opened, bound to their place, under any key of the
ring; search terms; a missing key is a clear error, never garbage."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tipline.keyring import (
    FILE_CHUNK,
    KEY_FILE,
    KeyRing,
    MissingKey,
    Unreadable,
    fold,
    new_key,
    new_secret,
    ring_of,
    sealed_key_id,
    write_key_file,
)

OLD, NEW = new_secret(), new_secret()


def test_a_value_opens_under_any_key_of_the_ring_and_only_in_its_column() -> None:
    sealed = KeyRing([OLD]).seal("Chị Lan, 0912 345 678", "report.reporter_contact")
    assert sealed.startswith(f"v1:{KeyRing([OLD]).current.id}:")
    assert "0912" not in sealed
    rotated = KeyRing([NEW, OLD])
    assert rotated.open(sealed, "report.reporter_contact") == "Chị Lan, 0912 345 678"
    assert sealed_key_id(rotated.seal("x", "report.narrative")) == rotated.current.id
    with pytest.raises(Unreadable):
        rotated.open(sealed, "report.narrative")
    assert rotated.open("stored before encryption", "report.narrative") == (
        "stored before encryption"
    )


def test_a_missing_key_is_named_not_guessed() -> None:
    sealed = KeyRing([OLD]).seal("bí mật", "report.narrative")
    with pytest.raises(MissingKey, match=KeyRing([OLD]).current.id) as raised:
        KeyRing([NEW]).open(sealed, "report.narrative")
    assert "TIPLINE_DATA_KEYS" in str(raised.value)


@pytest.mark.parametrize("size", [0, 10, FILE_CHUNK, FILE_CHUNK + 1, 3 * FILE_CHUNK + 5])
def test_a_file_round_trips_in_chunks(size: int) -> None:
    content = bytes(i % 251 for i in range(size))
    sealed = b"".join(KeyRing([OLD]).seal_file([content[:7], content[7:]]))
    assert content[:64] not in sealed or size == 0
    assert b"".join(KeyRing([NEW, OLD]).open_file(io.BytesIO(sealed))) == content


def test_a_cut_or_changed_file_does_not_open() -> None:
    ring = KeyRing([OLD])
    sealed = b"".join(ring.seal_file([b"x" * (2 * FILE_CHUNK + 9)]))
    cut = sealed[: len(sealed) - (9 + 16)]  # the last block gone: the one before is not last
    changed = sealed[:40] + bytes([sealed[40] ^ 1]) + sealed[41:]
    for broken in (cut, changed):
        with pytest.raises(Unreadable):
            b"".join(ring.open_file(io.BytesIO(broken)))
    assert b"".join(ring.open_file(io.BytesIO(b"plain old file"))) == b"plain old file"


def test_search_terms_are_keyed_folded_whole_words() -> None:
    ring = KeyRing([OLD])
    terms = ring.search_terms("Lừa đảo qua Zalo, lừa ĐẢO!").split()
    assert len(terms) == 4  # distinct words, folded
    assert ring.query_terms("lua ĐAO ZALO") == [[terms[0]], [terms[1]], [terms[3]]]
    assert fold("Lừa Đảo") == "lua đao"
    assert KeyRing([NEW]).search_terms("zalo") != ring.search_terms("zalo")
    assert KeyRing([NEW, OLD]).query_terms("zalo") == [
        [KeyRing([NEW]).search_terms("zalo"), ring.search_terms("zalo")]
    ]


def test_the_key_file_is_made_once_private_and_rewritten_whole(tmp_path: Path) -> None:
    first = ring_of(None, tmp_path)
    assert ring_of(None, tmp_path).current.id == first.current.id
    assert (tmp_path / KEY_FILE).stat().st_mode & 0o777 == 0o600
    write_key_file(tmp_path, [NEW, first.current.secret])
    again = ring_of(None, tmp_path)
    assert [k.id for k in again.keys] == [KeyRing([NEW]).current.id, first.current.id]
    assert (tmp_path / KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert ring_of(f"{new_key().decode()}, {new_key().decode()}", tmp_path).current.id not in {
        k.id for k in again.keys
    }
    with pytest.raises(ValueError, match="32 bytes"):
        ring_of("not-a-key", tmp_path)
