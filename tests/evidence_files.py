"""Fixtures of the evidence and case tests (a plugin of tests/conftest.py): `samples`, small
evidence files of every kind tipline keeps (their first bytes plus padding) by kind name, and
`new_report`, which submits a report and gives its id."""

from __future__ import annotations

from typing import Any, Protocol

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.reports.models import Report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
GIF = b"GIF89a" + bytes(32)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(32)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(32)
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(32)
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + bytes(32)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + bytes(32)
OGG = b"OggS\x00\x02" + bytes(32)
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(32)
ZIP = b"PK\x03\x04\x14\x00\x00\x00" + bytes(32)
TEXT = "[12/03/2026 09:14] Anh Minh: chuyển 15.000.000đ vào STK 0123456789 nhé\n".encode()
JSON = b'{"messages": [{"from": "scammer", "text": "send money"}]}'


SAMPLES = {
    "PNG": PNG,
    "JPEG": JPEG,
    "GIF": GIF,
    "WEBP": WEBP,
    "PDF": PDF,
    "MP3": MP3,
    "MP3_FRAME": MP3_FRAME,
    "M4A": M4A,
    "MP4": MP4,
    "OGG": OGG,
    "WAV": WAV,
    "ZIP": ZIP,
    "TEXT": TEXT,
    "JSON": JSON,
}


@pytest.fixture
def samples() -> dict[str, bytes]:
    return dict(SAMPLES)


class NewReport(Protocol):
    def __call__(self, narrative: str = ...) -> int: ...


@pytest.fixture
def new_report(db_session: Session, make_report: Any) -> NewReport:
    """Submit a report (real extraction, triage, campaign linking) and give its id."""

    def make(*args: str) -> int:
        code = make_report(*args).code
        return int(db_session.scalar(select(Report.id).where(Report.code == code)))

    return make
