"""An image's hashes: PDQ (bits most significant first) with its quality and dihedral variants,
MD5 and SHA-256 of the bytes, and clear errors for what cannot or must not be decoded."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import numpy as np
import pdqhash
import pytest
from PIL import Image

from tipline.indicators.signals import PDQ
from tipline.media.hashing import (
    DIHEDRAL,
    ImageTooLarge,
    UnreadableImage,
    decode_for_pdq,
    fitted_size,
    hash_image,
    pdq_hex,
)


def picture(width: int = 300, height: int = 200, seed: int = 7) -> Image.Image:
    """A smooth random picture (colour blobs scaled up), different for each seed."""
    rng = np.random.default_rng(seed)
    blobs = Image.fromarray(rng.integers(0, 256, (24, 32, 3), dtype=np.uint8))
    return blobs.resize((width, height), Image.Resampling.BICUBIC)


def encoded(image: Image.Image, kind: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels with one byte of data: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))


def test_an_image_gets_pdq_quality_md5_sha256_and_eight_variants() -> None:
    content = encoded(picture())
    hashes = hash_image(content)
    assert hashes.md5 == hashlib.md5(content).hexdigest()
    assert hashes.sha256 == hashlib.sha256(content).hexdigest()
    assert PDQ.parse(hashes.pdq) == hashes.pdq
    assert hashes.pdq == hashes.dihedral[0]
    assert len(hashes.dihedral) == len(DIHEDRAL) == 8
    assert len(set(hashes.dihedral)) == 8
    assert 50 <= hashes.quality <= 100
    assert hashes.as_json() == {
        "pdq": hashes.pdq,
        "quality": hashes.quality,
        "md5": hashes.md5,
        "sha256": hashes.sha256,
    }


def test_a_re_encoded_copy_is_near_and_another_picture_is_far() -> None:
    original = hash_image(encoded(picture()))
    jpeg = hash_image(encoded(picture().resize((900, 600)), "JPEG", quality=70))
    other = hash_image(encoded(picture(seed=8)))
    assert jpeg.sha256 != original.sha256
    assert PDQ.distance(original.pdq, jpeg.pdq) <= 16
    assert PDQ.distance(original.pdq, other.pdq) > PDQ.match_threshold


@pytest.mark.parametrize(
    ("turn", "variant"),
    [
        (Image.Transpose.ROTATE_90, "rotate-90"),
        (Image.Transpose.ROTATE_180, "rotate-180"),
        (Image.Transpose.ROTATE_270, "rotate-270"),
        (Image.Transpose.FLIP_TOP_BOTTOM, "flipx"),
        (Image.Transpose.FLIP_LEFT_RIGHT, "flipy"),
        (Image.Transpose.TRANSPOSE, "flip-plus-1"),
        (Image.Transpose.TRANSVERSE, "flip-minus-1"),
    ],
)
def test_a_turned_or_flipped_copy_is_found_through_its_dihedral_variant(
    turn: Image.Transpose, variant: str
) -> None:
    # PDQ turns the hash in the DCT's domain, which is not exactly hashing the turned pixels
    # (the 64×64 sampling is not symmetric): 0-20 bits apart on a detailed 512-pixel picture.
    original = hash_image(encoded(picture(512, 512)))
    turned = hash_image(encoded(picture(512, 512).transpose(turn)))
    distances = [PDQ.distance(turned.pdq, each) for each in original.dihedral]
    assert distances.index(min(distances)) == DIHEDRAL.index(variant)
    assert min(distances) <= PDQ.match_threshold
    assert PDQ.distance(turned.pdq, original.pdq) > PDQ.match_threshold


def test_the_exif_orientation_is_not_applied_as_in_pdqs_reference() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    plain = hash_image(encoded(picture(), "JPEG", quality=95))
    tagged = hash_image(encoded(picture(), "JPEG", quality=95, exif=exif.tobytes()))
    assert tagged.md5 != plain.md5
    assert tagged.pdq == plain.pdq


def test_grey_palette_transparent_and_tiny_images_are_hashed() -> None:
    grey = hash_image(encoded(picture().convert("L")))
    rgb = hash_image(encoded(picture().convert("L").convert("RGB")))
    assert grey.pdq == rgb.pdq
    palette = picture().convert("P")
    palette.info["transparency"] = 0
    assert PDQ.distance(hash_image(encoded(palette)).pdq, rgb.pdq) <= 64
    assert len(hash_image(encoded(picture(3, 2))).pdq) == 64


def test_a_flat_image_has_quality_zero() -> None:
    flat = hash_image(encoded(Image.new("RGB", (100, 100), (120, 30, 200))))
    assert flat.quality == 0


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not an image at all",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),  # a PNG's first bytes only
        encoded(picture(), "JPEG")[:600],  # cut short
    ],
    ids=["empty", "text", "fake-png", "truncated-jpeg"],
)
def test_what_is_not_a_readable_image_is_a_clear_error(content: bytes) -> None:
    with pytest.raises(UnreadableImage) as raised:
        hash_image(content)
    assert raised.value.code == "unreadable_image"
    assert raised.value.field == "file"


def test_too_many_pixels_are_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge, match="the image is 20×20 pixels; at most 399 are hashed"):
        hash_image(encoded(picture(20, 20)), max_pixels=399)
    assert len(hash_image(encoded(picture(20, 20)), max_pixels=400).pdq) == 64
    with pytest.raises(ImageTooLarge) as bomb:  # 400 megapixels: Pillow's own guard
        hash_image(png_header_only(20_000, 20_000))
    assert bomb.value.status == 413
    with pytest.raises(ImageTooLarge, match="10000×8000"):  # ours, under Pillow's
        hash_image(png_header_only(10_000, 8_000))


def test_pdq_bits_are_written_most_significant_first() -> None:
    bits = np.zeros(256, dtype=np.uint8)
    bits[0] = 1
    bits[255] = 1
    assert pdq_hex(bits) == "8" + "0" * 62 + "1"


@pytest.mark.parametrize(
    "size",
    [(1024, 1024), (1024, 768), (768, 1024), (1601, 1003), (4000, 3000), (513, 2), (3, 9000),
     (512, 512), (300, 200), (1432, 812)],
)  # fmt: skip
def test_the_hashed_size_is_pillows_thumbnail_size(size: tuple[int, int]) -> None:
    thumbnail = Image.new("1", size)
    thumbnail.thumbnail((512, 512))
    assert fitted_size(*size) == thumbnail.size


def test_a_four_by_three_jpeg_is_decoded_at_half_scale_not_whole() -> None:
    # Asking the decoder for a 512×512 box decoded a 1024×768 photo whole (768 < 2 × 512) and
    # then resized it: 4× the decoding time (docs/media.md). The final size is what it asks.
    content = encoded(picture(1024, 768), "JPEG", quality=90)
    halved = Image.open(io.BytesIO(content))
    halved.draft("RGB", (512, 384))
    assert halved.size == (512, 384)
    assert np.array_equal(decode_for_pdq(content), np.asarray(halved))


def test_a_phone_photo_with_a_second_picture_mpo_is_decoded_at_reduced_scale() -> None:
    out = io.BytesIO()
    first, second = picture(1024, 768), picture(1024, 768, seed=9)
    first.save(out, "MPO", save_all=True, append_images=[second], quality=90)
    halved = Image.open(io.BytesIO(out.getvalue()))
    assert halved.format == "MPO"
    halved.draft("RGB", (512, 384))
    assert np.array_equal(decode_for_pdq(out.getvalue()), np.asarray(halved))
    assert hash_image(out.getvalue()).pdq == hash_image(encoded(first, "JPEG", quality=90)).pdq


def test_the_pdq_is_near_python_threatexchanges_hash_of_the_full_size_pixels() -> None:
    # python-threatexchange hashes Pillow's full-size pixels; tipline hashes the 512-pixel
    # thumbnail decoded at reduced scale, as PDQ's Python reference does: the reference suite's
    # 16 bits apart at most (photo-like pictures: 0-14 bits in bench/media.py hashing).
    noise = np.random.default_rng(5).integers(-12, 13, (768, 1024, 3), dtype=np.int16)
    pixels = np.clip(np.asarray(picture(1024, 768), dtype=np.int16) + noise, 0, 255)
    content = encoded(Image.fromarray(pixels.astype(np.uint8)), "JPEG", quality=90)
    full, _ = pdqhash.compute(np.asarray(Image.open(io.BytesIO(content)).convert("RGB")))
    assert PDQ.distance(hash_image(content).pdq, pdq_hex(full)) <= 16
