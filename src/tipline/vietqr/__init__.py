"""VietQR: decode the payment QR code a scammer sent to the bank account it pays into."""

from tipline.vietqr.core import VietQRError, VietQRPayment, build_payload, decode_payload

__all__ = ["VietQRError", "VietQRPayment", "build_payload", "decode_payload"]
