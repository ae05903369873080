"""RFC 9497's OPRF (mode 0x00, "OPRF") over ristretto255 with SHA-512, on libsodium (pysodium).

Both halves of the private check use it: the client blinds and finalizes, the server evaluates
blinded elements and, holding the key, evaluates known inputs to build its keyed set. Scalars
and elements are as the RFC serializes them (32 bytes each, scalars little-endian); the
functions are checked against the RFC's test vectors (tests/client/test_oprf.py).
"""

from __future__ import annotations

import hashlib

import pysodium

SUITE = "ristretto255-SHA512"
MODE = 0x00  # OPRF: no proof (why: docs/private-check.md)
CONTEXT = b"OPRFV1-" + bytes([MODE]) + b"-" + SUITE.encode("ascii")
HASH_TO_GROUP_DST = b"HashToGroup-" + CONTEXT
HASH_TO_SCALAR_DST = b"HashToScalar-" + CONTEXT
DERIVE_KEY_PAIR_DST = b"DeriveKeyPair" + CONTEXT
ELEMENT_BYTES = 32
SCALAR_BYTES = 32
OUTPUT_BYTES = 64
MAX_INPUT_BYTES = 0xFFFF  # its length is written in two bytes
_IDENTITY = bytes(ELEMENT_BYTES)


class OprfError(ValueError):
    """An input, element or scalar the OPRF cannot use (an invalid or identity element)."""


def expand_message_xmd(message: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380's expand_message_xmd with SHA-512 (b_in_bytes 64, s_in_bytes 128)."""
    blocks = -(-length // 64)
    if blocks > 255 or length > 0xFFFF or len(dst) > 255:
        raise OprfError("expand_message_xmd: length or domain tag too long")
    dst_prime = dst + bytes([len(dst)])
    first = hashlib.sha512(
        bytes(128) + message + length.to_bytes(2, "big") + b"\x00" + dst_prime
    ).digest()
    block = hashlib.sha512(first + b"\x01" + dst_prime).digest()
    uniform = [block]
    for index in range(2, blocks + 1):
        mixed = bytes(a ^ b for a, b in zip(first, block, strict=True))
        block = hashlib.sha512(mixed + bytes([index]) + dst_prime).digest()
        uniform.append(block)
    return b"".join(uniform)[:length]


def hash_to_group(data: bytes) -> bytes:
    """The element an input stands for (RFC 9497 HashToGroup: RFC 9380's hash_to_ristretto255)."""
    return pysodium.crypto_core_ristretto255_from_hash(
        expand_message_xmd(data, HASH_TO_GROUP_DST, 64)
    )


def hash_to_scalar(data: bytes, dst: bytes = HASH_TO_SCALAR_DST) -> bytes:
    return pysodium.crypto_core_ristretto255_scalar_reduce(expand_message_xmd(data, dst, 64))


def derive_key(seed: bytes, info: bytes) -> bytes:
    """RFC 9497 DeriveKeyPair's secret key from a 32-byte seed and public info."""
    derive_input = seed + len(info).to_bytes(2, "big") + info
    for counter in range(256):
        key = hash_to_scalar(derive_input + bytes([counter]), DERIVE_KEY_PAIR_DST)
        if key != bytes(SCALAR_BYTES):
            return key
    raise OprfError("DeriveKeyPair found no key")  # pragma: no cover: probability 2^-2000


def random_scalar() -> bytes:
    return pysodium.crypto_core_ristretto255_scalar_random()


def _multiply(scalar: bytes, element: bytes) -> bytes:
    """scalar * element; OprfError for a non-canonical encoding or an identity result."""
    try:
        return pysodium.crypto_scalarmult_ristretto255(scalar, element)
    except ValueError:
        raise OprfError("not a ristretto255 element, or the identity") from None


def blind(data: bytes, blind_scalar: bytes | None = None) -> tuple[bytes, bytes]:
    """(blind, blinded element) of an input; the blind is random unless given (test vectors)."""
    if len(data) > MAX_INPUT_BYTES:
        raise OprfError("an OPRF input is at most 65,535 bytes")
    scalar = blind_scalar if blind_scalar is not None else random_scalar()
    element = hash_to_group(data)
    if element == _IDENTITY:  # pragma: no cover: a hash that lands on the identity
        raise OprfError("the input hashes to the identity")
    return scalar, _multiply(scalar, element)


def blind_evaluate(key: bytes, blinded: bytes) -> bytes:
    """The server's half: key * blinded element (OprfError for a bad element)."""
    if len(blinded) != ELEMENT_BYTES:
        raise OprfError(f"an element is {ELEMENT_BYTES} bytes")
    return _multiply(key, blinded)


def _finalize_hash(data: bytes, unblinded: bytes) -> bytes:
    return hashlib.sha512(
        len(data).to_bytes(2, "big")
        + data
        + len(unblinded).to_bytes(2, "big")
        + unblinded
        + b"Finalize"
    ).digest()


def finalize(data: bytes, blind_scalar: bytes, evaluated: bytes) -> bytes:
    """The client's output: unblind the evaluated element and hash it with the input."""
    if len(evaluated) != ELEMENT_BYTES:
        raise OprfError(f"an element is {ELEMENT_BYTES} bytes")
    inverse = pysodium.crypto_core_ristretto255_scalar_invert(blind_scalar)
    return _finalize_hash(data, _multiply(inverse, evaluated))


def evaluate(key: bytes, data: bytes) -> bytes:
    """The output of an input, computed by the key's holder directly (RFC 9497 Evaluate): the
    same bytes `finalize` gives the client."""
    return _finalize_hash(data, _multiply(key, hash_to_group(data)))
