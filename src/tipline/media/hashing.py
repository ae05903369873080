"""An image's hashes: PDQ (with its quality and its 8 dihedral variants), MD5 and SHA-256.

Pure: bytes in, hex strings out. The image is decoded as PDQ's Python reference does it
(ThreatExchange `pdqhashing`: Pillow opens the file, shrinks it to fit 512×512, converts it to
RGB): its hashes of the reference images come out within 0–10 bits of Meta's expected ones,
where hashing at full size gives up to 12 (docs/media.md). Like the reference, the EXIF
orientation tag is not applied: the pixels are hashed as stored, so a bank's hashes made by other
PDQ tools agree, and a photo turned by its tag is still found through the dihedral variants.
A JPEG (or MPO) is decoded at a reduced scale straight away (Pillow's `draft`: 1/2, 1/4 or 1/8
in libjpeg, never below the size it is shrunk to), which gives the same hashes on the reference
images and makes hashing a 1024-pixel photo 5–6× faster than at full size (bench/media.py).

PDQ's 256 bits are written most significant first, as 64 hex digits (ThreatExchange's form).
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pdqhash
from PIL import Image, UnidentifiedImageError
from PIL.JpegImagePlugin import JpegImageFile

from tipline.errors import InvalidInput, TooLarge

HASHED_SIDE = 512  # the largest side PDQ is computed on, as PDQ's Python reference
MAX_PIXELS = 64_000_000  # a 64-megapixel image is larger than any phone or camera photo
# Names of the dihedral variants, in pdqhash's (and PDQ's C++) order, as ThreatExchange's
# reference images name them (`bridge-2-rotate-90.jpg`).
DIHEDRAL = (
    "original",
    "rotate-90",
    "rotate-180",
    "rotate-270",
    "flipx",
    "flipy",
    "flip-plus-1",
    "flip-minus-1",
)


class UnreadableImage(InvalidInput):
    """The bytes are not an image Pillow can decode (or it is truncated)."""

    code = "unreadable_image"


class ImageTooLarge(TooLarge):
    """More pixels than `MAX_PIXELS`: refused before decoding (a decompression bomb)."""

    code = "image_too_large"


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """An image's hashes: `pdq` is `dihedral[0]`; `quality` is PDQ's 0–100 (below ~50 the
    image is too flat for its PDQ to mean much)."""

    pdq: str
    quality: int
    md5: str
    sha256: str
    dihedral: tuple[str, ...]

    def as_json(self) -> dict[str, str | int]:
        """The fields `tipline media hash` prints (the variants are matched, not printed)."""
        return {"pdq": self.pdq, "quality": self.quality, "md5": self.md5, "sha256": self.sha256}


def hash_image(content: bytes, *, max_pixels: int = MAX_PIXELS) -> ImageHashes:
    """The hashes of an image file's bytes; UnreadableImage or ImageTooLarge if it cannot be."""
    dihedral, quality = pdq_hashes(decode_for_pdq(content, max_pixels=max_pixels))
    return ImageHashes(
        pdq=dihedral[0],
        quality=quality,
        md5=hashlib.md5(content, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(content).hexdigest(),
        dihedral=dihedral,
    )


def decode_for_pdq(content: bytes, *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """The image's RGB pixels (height × width × 3, uint8), shrunk to fit 512×512."""
    try:
        image = Image.open(io.BytesIO(content))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        # Pillow's own guard (above ~89 megapixels) fires on opening, before ours.
        raise ImageTooLarge(f"the image has too many pixels: {bomb}", field="file") from bomb
    except (UnidentifiedImageError, OSError) as error:
        raise UnreadableImage("not an image that can be read", field="file") from error
    with image:
        width, height = image.size
        if width * height > max_pixels:
            raise ImageTooLarge(
                f"the image is {width}×{height} pixels; at most {max_pixels:,} are hashed",
                field="file",
            )
        try:
            return _shrunk_rgb(image)
        except (OSError, ValueError, SyntaxError) as error:  # truncated or corrupt data
            raise UnreadableImage(f"the image cannot be decoded: {error}", field="file") from error


def _shrunk_rgb(image: Image.Image) -> np.ndarray:
    size = fitted_size(*image.size)
    box = None
    if isinstance(image, JpegImageFile):  # JPEG and MPO (a phone's photo with a depth map)
        # Decode at 1/2, 1/4 or 1/8 scale in libjpeg, no smaller than the final size (asking
        # for a 512×512 box would decode a 1024×768 photo whole); `box` maps the rest.
        drafted = image.draft("RGB", size)
        box = drafted[1] if drafted else None
    if image.size != size:
        image = image.resize(size, Image.Resampling.BICUBIC, box=box, reducing_gap=2.0)
    if image.mode == "P":
        # A palette's transparency converts to RGB only through RGBA (else Pillow warns).
        image = image.convert("RGBA")
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))


def fitted_size(width: int, height: int, side: int = HASHED_SIDE) -> tuple[int, int]:
    """The size Pillow's `thumbnail((side, side))` shrinks an image to (its rounding: the side
    whose aspect ratio is nearest the image's), or the image's own if it fits."""
    if width <= side and height <= side:
        return width, height
    aspect = width / height
    if aspect <= 1:
        return _nearest(side * aspect, lambda n: abs(aspect - n / side)), side
    return side, _nearest(side / aspect, lambda n: 0 if n == 0 else abs(aspect - side / n))


def _nearest(number: float, error: Callable[[int], float]) -> int:
    return max(min(math.floor(number), math.ceil(number), key=error), 1)


def pdq_hashes(pixels: np.ndarray) -> tuple[tuple[str, ...], int]:
    """The PDQ of the 8 dihedral variants of RGB `pixels` (in `DIHEDRAL`'s order) and the
    quality; one pass costs the same as the original's hash alone."""
    vectors, quality = pdqhash.compute_dihedral(np.ascontiguousarray(pixels, dtype=np.uint8))
    return tuple(pdq_hex(vector) for vector in vectors), int(quality)


def pdq_hex(bits: np.ndarray) -> str:
    """256 bits (pdqhash's vector, most significant first) as 64 lower-case hex digits."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()
