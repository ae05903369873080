"""QR codes in a screenshot: PNG or JPEG only (checked by content), size-limited, decoded by zxing.

Pillow opens the picture and zxing-cpp finds the codes; both are imported lazily so that the rest
of tipline does not pay for them.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from tipline.vietqr.core import VietQRError

if TYPE_CHECKING:
    from PIL import Image

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def image_format(data: bytes) -> str:
    """`png` or `jpeg` from the file's first bytes; anything else is `not_image`."""
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    raise VietQRError("the file is not a PNG or JPEG picture", reason="not_image")


def check_upload(data: bytes) -> str:
    """The picture's format, after the size and content checks every upload must pass."""
    if len(data) > MAX_IMAGE_BYTES:
        raise VietQRError("the picture is larger than 5 MB", reason="too_large")
    return image_format(data)


def _grey_pixels(data: bytes, fmt: str) -> Image.Image:
    """The picture in grey levels; a picture too big to open safely is `too_large`."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt.upper()]) as img:
                width, height = img.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise VietQRError("the picture has too many pixels", reason="too_large")
                return img.convert("L")
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise VietQRError("the picture has too many pixels", reason="too_large") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise VietQRError("the picture cannot be read", reason="not_image") from exc


def read_qr_texts(data: bytes) -> list[str]:
    """The text of every QR code in a PNG or JPEG picture (empty when it holds none)."""
    import zxingcpp

    pixels = _grey_pixels(data, check_upload(data))
    results = zxingcpp.read_barcodes(
        pixels, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [result.text for result in results if result.valid and result.text]
