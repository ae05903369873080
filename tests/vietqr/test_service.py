from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from tipline.vietqr.core import VietQRError, build_payload
from tipline.vietqr.image import MAX_IMAGE_BYTES
from tipline.vietqr.service import decode_payment_image

segno = pytest.importorskip("segno", reason="segno (dev dependency) renders the test QR codes")


def qr_png(text: str, *, scale: int = 4) -> bytes:
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def as_jpeg_screenshot(png: bytes) -> bytes:
    """The code pasted on a larger light-grey screenshot, saved as JPEG like a phone would."""
    code = Image.open(io.BytesIO(png)).convert("RGB")
    shot = Image.new("RGB", (code.width + 200, code.height + 400), (235, 235, 235))
    shot.paste(code, (100, 150))
    buf = io.BytesIO()
    shot.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def test_png_screenshot_decodes_to_the_account() -> None:
    png = qr_png(build_payload("970407", "19036627188018", amount="2000000"))
    payment = decode_payment_image(png)
    assert payment.indicator_value == "TCB:19036627188018"
    assert str(payment.amount) == "2000000"


def test_jpeg_screenshot_decodes_to_the_account() -> None:
    jpeg = as_jpeg_screenshot(qr_png(build_payload("970416", "88886666")))
    assert decode_payment_image(jpeg).indicator_value == "ACB:88886666"


def test_picture_without_a_qr_code() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (255, 255, 255)).save(buf, "PNG")
    with pytest.raises(VietQRError) as info:
        decode_payment_image(buf.getvalue())
    assert info.value.reason == "no_qr"


def test_qr_code_that_is_not_a_payment() -> None:
    with pytest.raises(VietQRError) as info:
        decode_payment_image(qr_png("https://vietcombank-xacthuc.com/login"))
    assert info.value.reason == "not_vietqr"


def test_checked_by_content_not_by_name() -> None:
    # A GIF (or a script) is refused whatever it is called; only the bytes are looked at.
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "GIF")
    for data in (buf.getvalue(), b"<script>alert(1)</script>", b""):
        with pytest.raises(VietQRError) as info:
            decode_payment_image(data)
        assert info.value.reason == "not_image"


def test_truncated_png_is_not_an_image() -> None:
    png = qr_png(build_payload("970436", "0123456789"))
    with pytest.raises(VietQRError) as info:
        decode_payment_image(png[:60])
    assert info.value.reason == "not_image"


def test_larger_than_five_megabytes_is_refused() -> None:
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_IMAGE_BYTES
    with pytest.raises(VietQRError) as info:
        decode_payment_image(data)
    assert info.value.reason == "too_large"


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header and holds no pixels (a decompression bomb's face)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", b"")


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


@pytest.mark.parametrize("side", [7_000, 12_000, 20_000])
def test_picture_with_too_many_pixels_is_refused(side: int) -> None:
    with pytest.raises(VietQRError) as info:
        decode_payment_image(png_header_only(side, side))
    assert info.value.reason == "too_large"
