"""Use cases: the account a payment QR code (a picture or its text) sends money to."""

from __future__ import annotations

from tipline.vietqr.banks import bank_table
from tipline.vietqr.core import VietQRError, VietQRPayment, decode_payload
from tipline.vietqr.image import read_qr_texts


def decode_payment_text(payload: str) -> VietQRPayment:
    """The payment a VietQR payload describes (raises VietQRError, an InvalidInput)."""
    return decode_payload(payload, bank_table())


def decode_payment_image(data: bytes) -> VietQRPayment:
    """The payment in the first VietQR code of a PNG/JPEG screenshot (raises VietQRError)."""
    texts = read_qr_texts(data)
    if not texts:
        raise VietQRError("no QR code was found in the picture", reason="no_qr")
    first_error: VietQRError | None = None
    for text in texts:
        try:
            return decode_payment_text(text)
        except VietQRError as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise first_error
