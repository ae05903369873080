from __future__ import annotations

import pytest

from tipline.errors import InvalidInput
from tipline.evidence.core import (
    ContentCheck,
    Kind,
    agreed_media_type,
    ascii_fallback,
    sanitise_file_name,
    sniff_binary,
    store_path,
)


def kind_of(content: bytes, chunk: int = 7) -> Kind | None:
    check = ContentCheck()
    for start in range(0, len(content), chunk):
        check.feed(content[start : start + chunk])
    return check.kind()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("PNG", Kind.PNG),
        ("JPEG", Kind.JPEG),
        ("GIF", Kind.GIF),
        ("WEBP", Kind.WEBP),
        ("PDF", Kind.PDF),
        ("MP3", Kind.MP3),
        ("MP3_FRAME", Kind.MP3),
        ("M4A", Kind.M4A),
        ("MP4", Kind.MP4),
        ("OGG", Kind.OGG),
        ("WAV", Kind.WAV),
        ("ZIP", Kind.ZIP),
        ("TEXT", Kind.TEXT),
        ("JSON", Kind.TEXT),
    ],
)
def test_every_kind_is_read_from_its_content(
    samples: dict[str, bytes], name: str, kind: Kind
) -> None:
    assert kind_of(samples[name]) is kind


def test_unknown_binary_and_executables_are_no_kind() -> None:
    assert kind_of(b"MZ\x90\x00\x03" + bytes(40)) is None  # a Windows program
    assert kind_of(b"\x7fELF\x02\x01\x01" + bytes(40)) is None
    assert sniff_binary(b"\xff\xd8") is None  # too short to be a JPEG


def test_text_split_inside_a_character_is_still_text() -> None:
    content = "Tôi bị lừa 15.000.000đ qua Zalo".encode()
    assert kind_of(content, chunk=1) is Kind.TEXT


def test_text_with_control_characters_or_bad_utf8_is_refused() -> None:
    assert kind_of(b"hello\x00world") is None
    assert kind_of(b"caf\xe9 latin-1") is None
    assert kind_of("ends in half a character é".encode()[:-1]) is None


def test_declared_type_and_extension_must_agree_with_the_content() -> None:
    assert agreed_media_type(Kind.PNG, "image/png", "shot.png") == "image/png"
    assert agreed_media_type(Kind.PNG, "application/octet-stream", "shot") == "image/png"
    assert agreed_media_type(Kind.TEXT, "application/json", "chat.json") == "application/json"
    assert agreed_media_type(Kind.TEXT, None, "chat.txt") == "text/plain"
    with pytest.raises(
        InvalidInput, match="declared as application/pdf but its content is image/png"
    ):
        agreed_media_type(Kind.PNG, "application/pdf", "shot.png")
    with pytest.raises(InvalidInput, match=r"named \.pdf but its content is image/png"):
        agreed_media_type(Kind.PNG, None, "shot.pdf")
    with pytest.raises(InvalidInput, match="type tipline does not keep") as refused:
        agreed_media_type(None, "application/x-msdownload", "setup.exe")
    assert refused.value.field == "file"


def test_file_names_lose_folders_and_dangerous_characters() -> None:
    assert sanitise_file_name("../../etc/passwd") == "passwd"
    assert sanitise_file_name("．．／．．／etc／passwd") == "passwd"  # full-width look-alikes
    assert sanitise_file_name("\u202egnp.exe") == "gnp.exe"  # no right-to-left override
    assert sanitise_file_name("C:\\Users\\lan\\ảnh chụp.png") == "ảnh chụp.png"
    assert sanitise_file_name('a<b>&"c" | d?.png') == "ab&c d.png"
    assert sanitise_file_name("...hidden\x00\n.txt") == "hidden.txt"
    assert sanitise_file_name("") == "evidence"
    long = sanitise_file_name("a" * 500 + ".jpeg")
    assert len(long) == 200
    assert long.endswith(".jpeg")


def test_ascii_fallback_and_store_path() -> None:
    assert ascii_fallback('ảnh chụp; "x".png') == "anh chup_ _x_.png"
    digest = "ab" + "cd" + "0" * 60
    assert store_path(digest) == ("ab", "cd", digest)
    with pytest.raises(InvalidInput):
        store_path("../" + "0" * 61)
