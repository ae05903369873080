"""The victim's page in Debian's Chromium, on a 360 px phone and a 1280 px desk, in Vietnamese
and English: she picks a photo, sees the two hashes her browser computed, agrees, sends, and
keeps a receipt; every request the page makes is recorded, and none carries the photo or a body
over a few hundred bytes. Then her receipt withdraws the hashes, and the bank no longer holds
them. Without JavaScript the page says plainly that it cannot hash.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser import LOCALES, SCREENS, axe_violations, needs_chromium, scrolls_sideways
from tests.live_server import running_tipline

from tipline.media.hashing import hash_image

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

SHOTS = Path("/tmp/tipline-shots/protect")
PDQ_TOLERANCE = 16  # bits: the reference suite's tolerance between two decoders
MAX_BODY = 300  # bytes: two hashes and a quality are about 120
SENT = {"vi": "Dấu vân tay đã được đưa vào kho", "en": "The fingerprints are in the bank"}
REMOVED = {
    "vi": "Đã xóa 2 dấu vân tay khỏi kho.",
    "en": "2 fingerprints were removed from the bank.",
}
NO_SCRIPT = {"vi": "Trang này cần JavaScript", "en": "This page needs JavaScript"}
SEEDS = {("phone", "vi"): 1, ("phone", "en"): 2, ("desktop", "vi"): 3, ("desktop", "en"): 4}
TAP_TARGETS = (
    "main button, main .button, main input:not([type=checkbox]), main label.check, main .tel, "
    "main .protect-note a"
)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tipline-protect")


@pytest.fixture(scope="module")
def server_url(data_dir: Path) -> Iterator[str]:
    with running_tipline(data_dir) as base:
        yield base


def photo(seed: int) -> bytes:
    """A small JPEG photo-like picture (gradients and shapes), different for each seed."""
    from PIL import Image, ImageDraw

    picture = Image.linear_gradient("L").resize((480, 360)).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for k in range(6):
        x, y = (seed * 37 + k * 71) % 400, (seed * 53 + k * 29) % 300
        draw.ellipse(
            (x, y, x + 60 + k * 9, y + 40 + k * 7), fill=(40 * k, 255 - 30 * k, seed % 255)
        )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def live_hashes(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "tipline.db") as db:
        rows = db.execute(
            "SELECT signal, value FROM media_hash WHERE removed_at IS NULL ORDER BY signal"
        )
        return [(str(signal), str(value)) for signal, value in rows]


def record_requests(page: Page) -> list[Request]:
    seen: list[Request] = []

    def note(request: Request) -> None:
        seen.append(request)

    page.on("request", note)
    return seen


def too_small(page: Page) -> list[str]:
    """What a finger taps in the page's main part that is under 44 px tall (links within a
    sentence are not targets of their own)."""
    found: list[str] = page.eval_on_selector_all(
        TAP_TARGETS,
        """targets => targets.filter(t => t.offsetParent !== null)
            .filter(t => t.getBoundingClientRect().height < 44)
            .map(t => `${t.tagName} '${t.innerText}' ${t.getBoundingClientRect().height}`)""",
    )
    return found


def shoot(page: Page, name: str) -> None:
    assert not scrolls_sideways(page), f"{name} scrolls sideways"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def consent_and_send(page: Page, language: str) -> str:
    """Check what is shown, consent and send: the receipt code."""
    pdq, md5 = page.inner_text("#pdq"), page.inner_text("#md5")
    assert len(pdq) == 64
    assert len(md5) == 32
    page.click("#send")  # without consent: nothing goes
    assert page.is_visible("#consent-error")
    page.check("#consent-adult")
    page.check("#consent-share")
    page.click("#send")
    page.wait_for_selector("#receipt:not([hidden])")
    assert SENT[language] in page.inner_text("#receipt")
    return page.inner_text("#receipt-code").strip()


@pytest.mark.parametrize("language", sorted(LOCALES))
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_only_the_hashes_leave_the_page_and_the_receipt_withdraws_them(
    browser: Browser, server_url: str, data_dir: Path, tmp_path: Path, screen: str, language: str
) -> None:
    data = photo(SEEDS[screen, language])
    picture = tmp_path / "private.jpg"
    picture.write_bytes(data)
    context = browser.new_context(
        locale=LOCALES[language],
        viewport=SCREENS[screen],
        bypass_csp=screen == "phone",
        accept_downloads=True,
    )
    page = context.new_page()
    requests = record_requests(page)
    page.goto(f"{server_url}/protect-my-photo?lang={language}")
    assert page.locator("h1").count() == 1
    page.set_input_files("#photo", str(picture))
    page.wait_for_selector("#hashes:not([hidden])")
    name = f"{screen}-{language}"
    shoot(page, f"{name}-hashes")
    if screen == "phone":  # the revealed hashes and consent, checked on the smaller screen
        assert too_small(page) == []
        assert axe_violations(page) == []
    receipt = consent_and_send(page, language)
    shoot(page, f"{name}-receipt")
    with page.expect_download() as saving:  # the receipt as a file, made in the page
        page.click("#save-receipt")
    kept = Path(saving.value.path()).read_text("utf-8")
    assert receipt in kept
    assert f"{server_url}/protect-my-photo/withdraw" in kept

    bodies = [r.post_data_buffer or b"" for r in requests]
    assert all(len(body) <= MAX_BODY for body in bodies), [len(b) for b in bodies]
    assert not any(data[1000:1064] in body for body in bodies)
    sent = [r for r in requests if r.method == "POST"]
    assert len(sent) == 1
    assert set(json.loads(sent[0].post_data_buffer or b"{}")) == {"pdq", "md5", "quality"}
    pdq, md5 = page.inner_text("#pdq"), page.inner_text("#md5")
    server = hash_image(data)  # what tipline's server (and a platform) computes of the file
    assert md5 == server.md5
    assert (int(pdq, 16) ^ int(server.pdq, 16)).bit_count() <= PDQ_TOLERANCE
    assert ("md5", md5) in live_hashes(data_dir)
    assert ("pdq", pdq) in live_hashes(data_dir)

    page.click("#receipt a[href='/protect-my-photo/withdraw']")
    page.fill("#receipt", receipt)
    page.click("form[action='/protect-my-photo/withdraw'] button[type=submit]")
    assert REMOVED[language] in page.inner_text("#withdrawn")
    shoot(page, f"{name}-withdrawn")
    assert ("md5", md5) not in live_hashes(data_dir)
    assert ("pdq", pdq) not in live_hashes(data_dir)
    context.close()


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_without_javascript_the_page_says_it_cannot_hash(
    browser: Browser, server_url: str, language: str
) -> None:
    context = browser.new_context(
        locale=LOCALES[language], viewport=SCREENS["phone"], java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{server_url}/protect-my-photo?lang={language}")
    assert NO_SCRIPT[language] in page.inner_text("#needs-script")
    assert not page.is_visible("#photo")  # no picker that could not work
    shoot(page, f"noscript-{language}")
    context.close()
