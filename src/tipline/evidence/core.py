"""Pure rules of evidence: what a file is by its content, whether that agrees with what the
uploader said, a safe file name, and where a hash lives in the store.

A file's type is read from its first bytes (magic numbers), never from its name or declared type;
those must only agree with it. Plain text (chat exports, JSON) has no magic: it is text when the
whole file is UTF-8 without control characters, which `ContentCheck` follows chunk by chunk.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from tipline.errors import InvalidInput

MAX_NAME = 200
HEAD_BYTES = 64
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Control and reserved characters, and the bidirectional controls (U+202E and its kin) that
# make `<U+202E>gnp.exe` read as `exe.png` in a page.
_NAME_DROPPED = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]')


class Kind(StrEnum):
    """What a file is, by its content; the value is the media type it is stored as."""

    PNG = "image/png"
    JPEG = "image/jpeg"
    GIF = "image/gif"
    WEBP = "image/webp"
    PDF = "application/pdf"
    MP3 = "audio/mpeg"
    M4A = "audio/mp4"
    MP4 = "video/mp4"
    QUICKTIME = "video/quicktime"
    OGG = "audio/ogg"
    WAV = "audio/wav"
    ZIP = "application/zip"
    TEXT = "text/plain"
    JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Declared:
    """The media types and file extensions that agree with a kind."""

    types: frozenset[str]
    extensions: frozenset[str]


def _declared(types: str, extensions: str) -> Declared:
    return Declared(frozenset(types.split()), frozenset(extensions.split()))


AGREEING: dict[Kind, Declared] = {
    Kind.PNG: _declared("image/png image/x-png", "png"),
    Kind.JPEG: _declared("image/jpeg image/jpg image/pjpeg", "jpg jpeg jpe jfif"),
    Kind.GIF: _declared("image/gif", "gif"),
    Kind.WEBP: _declared("image/webp", "webp"),
    Kind.PDF: _declared("application/pdf application/x-pdf", "pdf"),
    Kind.MP3: _declared("audio/mpeg audio/mp3 audio/x-mp3 audio/mpeg3", "mp3"),
    Kind.M4A: _declared("audio/mp4 audio/x-m4a audio/m4a audio/aac", "m4a m4b aac mp4"),
    Kind.MP4: _declared(
        "video/mp4 audio/mp4 audio/x-m4a video/x-m4v application/mp4", "mp4 m4v m4a 3gp"
    ),
    Kind.QUICKTIME: _declared("video/quicktime video/mp4", "mov qt mp4"),
    Kind.OGG: _declared(
        "audio/ogg audio/opus audio/vorbis application/ogg video/ogg", "ogg oga opus ogv"
    ),
    Kind.WAV: _declared("audio/wav audio/x-wav audio/wave audio/vnd.wave", "wav wave"),
    Kind.ZIP: _declared("application/zip application/x-zip-compressed application/x-zip", "zip"),
    Kind.TEXT: _declared("text/plain text/csv", "txt text csv log"),
    Kind.JSON: _declared("application/json text/json", "json"),
}
# What a browser says when it does not know: agrees with anything (the content decides).
UNSPECIFIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
KNOWN_EXTENSIONS = frozenset().union(*(d.extensions for d in AGREEING.values()))
ACCEPTED = "PNG, JPEG, GIF, WEBP, PDF, MP3, M4A/MP4, OGG, WAV, ZIP, UTF-8 text or JSON"


def _iso_media(head: bytes) -> Kind | None:
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    if brand in (b"M4A ", b"M4B ", b"M4P "):
        return Kind.M4A
    return Kind.QUICKTIME if brand == b"qt  " else Kind.MP4


def _mp3(head: bytes) -> bool:
    if head.startswith(b"ID3"):
        return True
    # An MPEG audio frame: 11 sync bits, a known version and layer.
    return len(head) > 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and bool(head[1] & 0x06)


def sniff_binary(head: bytes) -> Kind | None:
    """The kind a file's first bytes announce, for every kind with a magic number."""
    signatures = (
        (b"\x89PNG\r\n\x1a\n", Kind.PNG),
        (b"\xff\xd8\xff", Kind.JPEG),
        (b"GIF87a", Kind.GIF),
        (b"GIF89a", Kind.GIF),
        (b"%PDF-", Kind.PDF),
        (b"OggS", Kind.OGG),
        (b"PK\x03\x04", Kind.ZIP),
        (b"PK\x05\x06", Kind.ZIP),
    )
    for magic, kind in signatures:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE"):
        return Kind.WEBP if head[8:12] == b"WEBP" else Kind.WAV
    if (iso := _iso_media(head)) is not None:
        return iso
    return Kind.MP3 if _mp3(head) else None


class ContentCheck:
    """Follows a file chunk by chunk: its first bytes, and whether it is all UTF-8 text."""

    def __init__(self) -> None:
        self.head = b""
        self.size = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._text = True

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.size += len(chunk)
        if self._text:
            self._follow_text(chunk, final=False)

    def _follow_text(self, chunk: bytes, final: bool) -> None:
        try:
            decoded = self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self._text = False
            return
        if _CONTROL.search(decoded):
            self._text = False

    def kind(self) -> Kind | None:
        """What the whole file is (call once every chunk was fed), or None if nothing accepted."""
        binary = sniff_binary(self.head)
        if binary is not None:
            return binary
        if self._text:
            self._follow_text(b"", final=True)
        return Kind.TEXT if self._text and self.size else None


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def agreed_media_type(kind: Kind | None, declared_type: str | None, file_name: str) -> str:
    """The media type to store: the content's kind, if the declared type and the file name's
    extension agree with it. Text declared (or named) as JSON is stored as JSON."""
    if kind is None:
        raise InvalidInput(
            f"this file is of a type tipline does not keep: {ACCEPTED}", field="file"
        )
    declared = (declared_type or "").split(";")[0].strip().lower()
    extension = extension_of(file_name)
    if kind is Kind.TEXT and (
        declared in AGREEING[Kind.JSON].types or extension in AGREEING[Kind.JSON].extensions
    ):
        kind = Kind.JSON
    agreeing = AGREEING[kind]
    if declared not in UNSPECIFIC_TYPES and declared not in agreeing.types:
        raise InvalidInput(
            f"the file was declared as {declared} but its content is {kind.value}", field="file"
        )
    if extension in KNOWN_EXTENSIONS and extension not in agreeing.extensions:
        raise InvalidInput(
            f"the file is named .{extension} but its content is {kind.value}", field="file"
        )
    return kind.value


def sanitise_file_name(name: str | None) -> str:
    """A file name safe to store and to offer back: no folders, no control or reserved
    characters, no leading dots, at most MAX_NAME characters (the extension kept). NFKC folds
    look-alikes first, so a full-width `．．／` is the `../` it reads as, and goes too."""
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = " ".join(_NAME_DROPPED.sub("", base).split()).lstrip(". ")
    if len(cleaned) > MAX_NAME:
        extension = extension_of(cleaned)
        keep = MAX_NAME - (len(extension) + 1 if extension else 0)
        cleaned = cleaned[:keep].rstrip() + (f".{extension}" if extension else "")
    return cleaned or "evidence"


def is_sha256(text: str) -> bool:
    return bool(_SHA256.match(text))


def store_path(sha256: str) -> tuple[str, str, str]:
    """Where a hash lives under `<data_dir>/evidence/sha256/`: two levels of 2 hex digits."""
    if not is_sha256(sha256):
        raise InvalidInput("a SHA-256 is 64 lowercase hex digits", field="sha256")
    return sha256[:2], sha256[2:4], sha256


def clean_partner(text: str | None) -> str:
    """Who evidence is transferred to (an agency, a court, a platform)."""
    partner = " ".join((text or "").split())
    if not partner:
        raise InvalidInput("name who receives the evidence", field="partner")
    if len(partner) > 200:
        raise InvalidInput("a partner's name holds at most 200 characters", field="partner")
    return partner


def ascii_fallback(name: str) -> str:
    """The file name for clients that read only `filename=`: ASCII letters, no quotes."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", folded).strip() or "evidence"
    return cleaned


# The extension a download gets for its checked type (whatever the uploader named it).
DOWNLOAD_EXTENSION = {
    Kind.PNG: "png", Kind.JPEG: "jpg", Kind.GIF: "gif", Kind.WEBP: "webp", Kind.PDF: "pdf",
    Kind.MP3: "mp3", Kind.M4A: "m4a", Kind.MP4: "mp4", Kind.QUICKTIME: "mov", Kind.OGG: "ogg",
    Kind.WAV: "wav", Kind.ZIP: "zip", Kind.TEXT: "txt", Kind.JSON: "json",
}  # fmt: skip


def download_name(name: str, media_type: str) -> str:
    """The name a download is saved under: the stored name's stem in plain ASCII (no
    right-to-left override, no quotes, no second extension) and the extension of the checked
    type, so `invoice.html`, `run.bat` or `‮gnp.hta` stored as text is saved as `….txt`."""
    stem = name.rpartition(".")[0] if extension_of(name) else name
    plain = ascii_fallback(stem).replace(".", "_").strip("_ ") or "evidence"
    return f"{plain}.{DOWNLOAD_EXTENSION[Kind(media_type)]}"
