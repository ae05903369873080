"""Hostile evidence uploads: file names that try to leave the store, archives that would expand,
and polyglots (an image that is also HTML, a PDF that carries JavaScript).

- A name never reaches the disk (the store is content-addressed), and what is kept and offered
  back has no folder, no control or bidirectional character, at most 200 characters.
- No route unpacks anything: a ZIP bomb is kept as the bytes it is, and the source has no
  unpacker for a bomb to reach; a compressed request body is not inflated.
- Every answer that hands a stored file back names its checked type, is an attachment (the
  preview, an image shown to the analyst who asked, is inline), with `nosniff` and a sandbox
  CSP: a browser never runs it as a page.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import REPO
from tests.evidence_files import JPEG, PNG, SAMPLES
from tests.public_pages import _routes

from tipline.app import create_app
from tipline.errors import InvalidInput
from tipline.evidence.core import download_name, sanitise_file_name
from tipline.evidence.store import EvidenceStore
from tipline.imports.core import read_rows
from tipline.settings import Settings

TRAVERSALS = (
    "../../etc/passwd", "/etc/passwd", "..\\..\\Windows\\system32\\drivers\\etc\\hosts",
    "C:\\Windows\\win.ini", "\\\\server\\share\\x.txt", "a\x00.txt", "..", ".", "....//x.txt",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "．．／．．／etc／passwd", "‥/‥/etc/passwd",
    "..\u2215..\u2215etc", "\u202egnp.exe", "x" * 1000 + ".txt", "ảnh/../../chụp.txt",
    "CON", "a" * 255 + "/" + "b" * 255,
)  # fmt: skip
# One name of each kind, sent through the upload route.
THROUGH_HTTP = tuple(TRAVERSALS[k] for k in (0, 1, 2, 5, 10, 13, 14))
SAFE_DOWNLOAD = re.compile(r'^attachment; filename="[A-Za-z0-9_ -]+\.[a-z0-9]+"$')
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HTML = b"<html><body><script>window.__xss=1</script><img src=x onerror=alert(1)></body></html>"
POLYGLOTS = {  # name: (content, declared type, the type it is kept as)
    "jpeg-html.jpg": (JPEG + HTML, "image/jpeg", "image/jpeg"),
    "jpeg-html.html": (JPEG + HTML, "application/octet-stream", "image/jpeg"),
    "png-js.png": (PNG + b"*/=alert(1)//" + HTML, "image/png", "image/png"),
    "gifar.gif": (b"GIF89a/*" + bytes(16) + b"*/=alert(1);" + HTML, "image/gif", "image/gif"),
    "pdf-js.pdf": (
        b"%PDF-1.7\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n" + HTML,
        "application/pdf",
        "application/pdf",
    ),  # fmt: skip
    "page.html": (HTML, "application/octet-stream", "text/plain"),
    "image.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "", "text/plain"),
}


def assert_never_a_page(headers: Any) -> None:
    """What a browser must see on every answer that hands back a stored file."""
    assert headers["x-content-type-options"] == "nosniff"
    policy = [part.strip() for part in headers["content-security-policy"].split(";")]
    assert policy[0] == "sandbox"
    assert "default-src 'none'" in policy


# The modules that read an archive, and what bounds it.
KNOWN_UNPACKERS = {
    "backups/archive.py": "`tipline restore` reads tipline's own backup from the operator's disk "
    "(no route reaches it): an uncompressed tar stream, authenticated as it is decrypted, only "
    "the member names a backup holds, each written by tipline itself",
}
UNPACKERS = re.compile(
    r"^\s*(import|from)\s+(zipfile|tarfile|gzip|bz2|lzma|zlib|py7zr|rarfile)\b"
    r"|unpack_archive|ZipFile\(|tarfile\.open",
    re.MULTILINE,
)


def _upload(client: TestClient, report: int, name: str, content: bytes, declared: str = "") -> Any:
    return client.post(
        f"/api/v1/reports/{report}/evidence",
        files={"file": (name, content, declared or "application/octet-stream")},
    )


def _files_outside_the_store(data_dir: Path) -> set[Path]:
    store = EvidenceStore(data_dir).root
    return {p for p in data_dir.rglob("*") if p.is_file() and store not in p.parents}


def _assert_safe_name(kept: str) -> None:
    folded = unicodedata.normalize("NFKC", kept)
    assert not {"/", "\\", "\x00"} & set(folded), kept
    assert not folded.startswith(".")
    assert len(kept) <= 200
    assert not BIDI.search(kept)


@pytest.mark.parametrize("name", TRAVERSALS)
def test_every_hostile_name_is_kept_and_offered_safely(name: str) -> None:
    kept = sanitise_file_name(name)
    _assert_safe_name(kept)
    disposition = f'attachment; filename="{download_name(kept, "text/plain")}"'
    assert SAFE_DOWNLOAD.match(disposition), disposition
    assert ".." not in disposition


def test_a_file_name_never_leaves_the_store(
    client_as: Any, new_report: Any, settings: Settings
) -> None:
    """Through the upload route (the names of each kind: the rest are the same function's)."""
    client, report = client_as("analyst"), new_report()
    before = _files_outside_the_store(settings.data_dir)
    for name in THROUGH_HTTP:
        content = f"chat export {name[:40]!r}\n".encode()
        sent = _upload(client, report, name, content, "text/plain")
        assert sent.status_code == 201, (name, sent.text)
        _assert_safe_name(sent.json()["original_name"])
        got = client.get(f"/api/v1/evidence/{sent.json()['id']}/content")
        assert got.content == content
        assert SAFE_DOWNLOAD.match(got.headers["content-disposition"]), got.headers
        assert ".." not in got.headers["content-disposition"]
    assert _files_outside_the_store(settings.data_dir) - before == set()


def test_a_name_too_long_for_a_multipart_header_is_refused_whole(
    client_as: Any, new_report: Any, settings: Settings
) -> None:
    client, report = client_as("analyst"), new_report()
    sent = _upload(client, report, "../" * 2000 + "x.txt", b"chat export\n", "text/plain")
    assert sent.status_code == 400
    assert EvidenceStore(settings.data_dir).stored_files() == []


def _zip_bomb(expanded: int) -> bytes:
    """A ZIP of one file of `expanded` zero bytes (DEFLATE makes it about 1/1000 of that)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("zeros.bin", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(expanded // len(block)):
                member.write(block)
    return out.getvalue()


def test_a_zip_bomb_is_kept_as_its_bytes_never_expanded(
    client_as: Any, new_report: Any, settings: Settings
) -> None:
    bomb = _zip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    client, report = client_as("analyst"), new_report()
    sent = _upload(client, report, "evidence.zip", bomb, "application/zip")
    assert sent.status_code == 201, sent.text
    assert (sent.json()["media_type"], sent.json()["size"]) == ("application/zip", len(bomb))
    on_disk = sum(p.stat().st_size for p in settings.data_dir.rglob("*") if p.is_file())
    assert on_disk < 64 * 1024 * 1024 // 4  # the store, the database: nothing expanded
    got = client.get(f"/api/v1/evidence/{sent.json()['id']}/content")
    assert got.content == bomb
    assert got.headers["content-type"] == "application/zip"
    assert got.headers["content-disposition"] == 'attachment; filename="evidence.zip"'


def test_no_module_unpacks_an_archive() -> None:
    """Nothing in tipline opens an archive or inflates a stream, so a bomb has nothing to
    reach: a module that starts to must bound what it expands, and be named here."""
    source = REPO / "src" / "tipline"
    unpacking = {
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if UNPACKERS.search(path.read_text("utf-8"))
    }
    assert unpacking == set(KNOWN_UNPACKERS)


def test_a_compressed_body_is_not_inflated(client: TestClient) -> None:
    body = gzip.compress(json.dumps({"narrative": "x" * 10_000_000}).encode())
    sent = client.post(
        "/api/v1/reports",
        content=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert sent.status_code in (400, 415, 422), sent.status_code


def test_an_import_of_a_compressed_file_is_refused() -> None:
    bomb = gzip.compress(b'{"narrative": "x"}\n' * 1000)
    for name in ("reports.jsonl.gz", "reports.csv.gz", "reports.zip", "reports.tar"):
        with pytest.raises(InvalidInput):
            read_rows(name, bomb)


def test_the_citizens_form_takes_no_archive(client: TestClient) -> None:
    from tipline.web.attachments import file_problem

    assert file_problem(_zip_bomb(1024 * 1024), "application/zip", "photos.zip") == "not_accepted"


def test_a_polyglot_is_served_as_its_checked_type_never_as_a_page(
    client_as: Any, new_report: Any
) -> None:
    client, report = client_as("analyst"), new_report()
    for name, (content, declared, kept_as) in POLYGLOTS.items():
        sent = _upload(client, report, name, content, declared)
        assert sent.status_code == 201, (name, sent.text)
        assert sent.json()["media_type"] == kept_as, name
        evidence = sent.json()["id"]
        for path in (f"/api/v1/evidence/{evidence}/content", f"/evidence/{evidence}/download"):
            got = client.get(path)
            assert got.content == content
            assert got.headers["content-type"].split(";")[0] == kept_as
            disposition = got.headers["content-disposition"]
            assert disposition.startswith("attachment;")
            assert not disposition.endswith(('.html"', '.svg"', '.htm"', '.js"')), disposition
            assert_never_a_page(got.headers)


def test_the_inline_preview_is_an_image_in_a_sandbox(
    client_as: Any, new_report: Any, samples: dict[str, bytes]
) -> None:
    content = POLYGLOTS["jpeg-html.html"][0]
    client, report = client_as("analyst"), new_report()
    evidence = _upload(client, report, "jpeg-html.html", content).json()["id"]
    page = client.get(f"/evidence/{evidence}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    client.post(f"/evidence/{evidence}/reveal", data={"csrf_token": token[1]})
    shown = client.get(f"/evidence/{evidence}/preview")
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/jpeg"
    assert shown.headers["content-disposition"] == "inline"
    assert_never_a_page(shown.headers)


def test_a_polyglot_declared_as_a_page_is_refused(client_as: Any, new_report: Any) -> None:
    client, report = client_as("analyst"), new_report()
    for declared in ("text/html", "image/svg+xml", "application/javascript"):
        sent = _upload(client, report, "x.jpg", JPEG + HTML, declared)
        assert sent.status_code == 422, (declared, sent.status_code)


def test_every_route_that_hands_back_a_file_is_checked_here(settings: Settings) -> None:
    """The evidence routes that answer a stored file's bytes: the three tested above."""
    app = create_app(settings=settings)
    handing = {
        path
        for path, route in _routes(app.routes)
        if "GET" in (route.methods or ()) and path.startswith(("/evidence/", "/api/v1/evidence/"))
        and path.rsplit("/", 1)[-1] in ("content", "download", "preview")
    }  # fmt: skip
    assert handing == {
        "/api/v1/evidence/{evidence_id}/content",
        "/evidence/{evidence_id}/download",
        "/evidence/{evidence_id}/preview",
    }
    assert SAMPLES["ZIP"].startswith(b"PK")
