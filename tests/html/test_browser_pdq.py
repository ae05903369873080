"""The browser's own PDQ and MD5 (`static/pdq.js`, `static/md5.js`), in Debian's Chromium,
against Meta's reference images and hashes (../shared/data/pdq-reference): every image within
the reference suite's tolerance of 16 bits. The scripts are served from a made-up origin by
Playwright itself (no tipline server needed: they are plain modules)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser import needs_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

STATIC = Path(__file__).resolve().parents[2] / "src/tipline/html/static"
ORIGIN = "http://pdq.test"
TOLERANCE = 16  # the reference suite's own (pdq/python/pdqhashing/tests/pdq_test.py)
# pdqhash's quality for the reference images that are not 100 (measured on 512 px thumbnails).
PDQHASH_QUALITY = {
    "images/misc-images__small.jpg": 0,
    "images/reg-test-input__labelme-subset__q0003.jpg": 3,
    "images/reg-test-input__labelme-subset__q0004.jpg": 4,
}
HASH_IN_PAGE = """async (encoded) => {
  const { pdqOfImage } = await import("/static/pdq.js");
  const { md5Hex } = await import("/static/md5.js");
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  return { ...(await pdqOfImage(bytes)), md5: md5Hex(bytes) };
}"""

pytestmark = needs_chromium


def serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN)
    if path.startswith("/static/"):
        body = (STATIC / path.removeprefix("/static/")).read_bytes()
        route.fulfill(body=body, content_type="text/javascript")
    else:
        route.fulfill(body="<!doctype html><title>pdq</title>", content_type="text/html")


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    opened.route(f"{ORIGIN}/**", serve)
    opened.goto(f"{ORIGIN}/")
    yield opened
    context.close()


def hash_in_browser(page: Page, data: bytes) -> dict[str, object]:
    result: dict[str, object] = page.evaluate(HASH_IN_PAGE, base64.b64encode(data).decode())
    return result


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@pytest.fixture(scope="module")
def reference(shared_dir: Path) -> tuple[Path, list[dict[str, str]]]:
    folder = shared_dir / "data" / "pdq-reference"
    if not (folder / "expected.json").is_file():
        pytest.skip(f"Meta's PDQ reference images are absent ({folder}/expected.json)")
    return folder, json.loads((folder / "expected.json").read_text("utf-8"))


def test_the_browsers_pdq_is_within_16_bits_of_metas_reference_for_every_image(
    page: Page, reference: tuple[Path, list[dict[str, str]]]
) -> None:
    folder, expected = reference
    distances = {}
    qualities = {}
    for entry in expected:
        data = (folder / entry["file"]).read_bytes()
        got = hash_in_browser(page, data)
        assert got["md5"] == hashlib.md5(data).hexdigest()  # noqa: S324 (the bank's MD5)
        assert isinstance(got["pdq"], str)
        assert len(got["pdq"]) == 64
        distances[entry["file"]] = distance(got["pdq"], entry["pdq"])
        qualities[entry["file"]] = got["quality"]
    mean = sum(distances.values()) / len(distances)
    print(f"browser PDQ vs reference: mean {mean:.2f} bits, max {max(distances.values())}")  # noqa: T201
    assert max(distances.values()) <= TOLERANCE, distances
    assert len(distances) == len(expected) == 18
    assert qualities == {name: PDQHASH_QUALITY.get(name, 100) for name in qualities}


def test_the_browsers_md5_matches_pythons_on_edge_lengths(page: Page) -> None:
    for length in (0, 1, 55, 56, 63, 64, 65, 1000):
        data = bytes((i * 7) % 256 for i in range(length))
        got = page.evaluate(
            """async (encoded) => {
              const { md5Hex } = await import("/static/md5.js");
              return md5Hex(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
            }""",
            base64.b64encode(data).decode(),
        )
        assert got == hashlib.md5(data).hexdigest(), length  # noqa: S324


def jpeg(orientation: int | None) -> bytes:
    """A 600x400 photo-like JPEG, with an EXIF orientation tag when given."""
    from PIL import Image, ImageDraw

    picture = Image.linear_gradient("L").resize((600, 400)).convert("RGB")
    ImageDraw.Draw(picture).ellipse((60, 40, 260, 200), fill=(200, 30, 90))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_the_pixels_are_hashed_as_stored_whatever_the_exif_orientation(
    page: Page, orientation: int
) -> None:
    # Chromium turns a photo upright by its EXIF tag; PDQ's reference and tipline's server
    # (tipline.media.hashing) read the pixels as stored: the browser must hash what they hash.
    upright = hash_in_browser(page, jpeg(None))
    tagged = hash_in_browser(page, jpeg(orientation))
    assert tagged["pdq"] == upright["pdq"]
    assert tagged["md5"] != upright["md5"]  # two different files
