"""The private check's protocol, both halves' pure part (docs/private-check.md).

The client sends the bucket of its value (a short prefix of a plain hash: thousands of possible
values share it) and the value blinded with RFC 9497's OPRF. The server answers with the blinded
element evaluated under its key and, for each reported value of that bucket, an entry: a tag
and the value's verdict sealed, both derived from the value's OPRF output. The client unblinds,
derives its own tag and key, and opens the one entry that is its value's, if any.

    parameters = httpx.get(f"{server}/api/v1/private-check").json()
    prepared = prepare("phone", "+84912345678", parameters)
    answer = httpx.post(f"{server}/api/v1/private-check", json=prepared.request).json()
    verdict = open_answer(prepared, answer)  # verdict.verdict: "reported" or "not_reported"

`value` is the canonical value of its kind (tipline.indicators.read_value gives it, as the
public check reads a typed value); the server builds its set from the same canonical values.
The server's key-holding half (`entry_for`) is here too, so both halves derive tags and seal
verdicts with one code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pysodium

from tipline.client import oprf

MODE = "oprf"
TAG_BYTES = 16
NONCE_BYTES = 12  # ChaCha20-Poly1305 (IETF); a random nonce each time a verdict is sealed
_TAG_LABEL = b"tipline private-check tag\x00"
_KEY_LABEL = b"tipline private-check key\x00"
_BUCKET_LABEL = b"tipline private-check bucket\x00"
MAX_PREFIX_BITS = 32
_BASE64URL = re.compile(r"[A-Za-z0-9_-]{0,1000000}")
_HEX = re.compile(r"[0-9a-f]{1,8}")
VERDICTS = frozenset({"reported", "not_reported", "allowlisted"})


class PrivateCheckError(ValueError):
    """Parameters or an answer this client cannot use: an unknown suite, a malformed or
    tampered answer. The message says which, never the value."""


@dataclass(frozen=True, slots=True)
class Parameters:
    """What `GET /api/v1/private-check` says: the suite, the mode, the bucket's bits, the key."""

    prefix_bits: int
    key_id: str
    suite: str = oprf.SUITE
    mode: str = MODE

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Parameters:
        try:
            read = cls(int(body["prefix_bits"]), str(body["key_id"]), body["suite"], body["mode"])
        except (KeyError, TypeError, ValueError):
            raise PrivateCheckError("not the private check's parameters") from None
        if read.suite != oprf.SUITE or read.mode != MODE:
            raise PrivateCheckError(f"unsupported suite or mode: {read.suite} {read.mode}")
        if not 1 <= read.prefix_bits <= MAX_PREFIX_BITS:
            raise PrivateCheckError(f"prefix_bits out of range: {read.prefix_bits}")
        return read

    def to_json(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "mode": self.mode,
            "prefix_bits": self.prefix_bits,
            "key_id": self.key_id,
        }


@dataclass(frozen=True, slots=True)
class Prepared:
    """A value ready to ask about: the request to send, and the blind to open the answer with
    (never sent)."""

    kind: str
    value: str
    bucket: str
    blinded: str
    blind: bytes = field(repr=False)

    @property
    def request(self) -> dict[str, str]:
        """The body of `POST /api/v1/private-check`: no value in it."""
        return {"bucket": self.bucket, "blinded": self.blinded}


@dataclass(frozen=True, slots=True)
class PrivateVerdict:
    """The public check's verdict on the value, as only its holder could open it.

    `verdict`: `reported`, `not_reported` (no report or feed here names it: not "safe") or
    `allowlisted`; `categories` counts its reports by category, as the public check shows them.
    """

    kind: str
    value: str
    verdict: str
    confirmed: bool
    allowlisted: bool
    report_count: int
    categories: dict[str, int]
    key_id: str


def encode_bytes(raw: bytes) -> str:
    """base64url without padding: how elements, tags and sealed verdicts travel."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_bytes(text: str, length: int | None = None) -> bytes:
    """The bytes of `encode_bytes`'s text; ValueError when it is not that (or not `length`)."""
    if not isinstance(text, str) or _BASE64URL.fullmatch(text) is None:
        raise ValueError("not base64url text")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:  # a length no encoding has
        raise ValueError("not base64url text") from None
    if length is not None and len(raw) != length:
        raise ValueError(f"expected {length} bytes, got {len(raw)}")
    return raw


def oprf_input(kind: str, value: str) -> bytes:
    """The OPRF's input for a canonical value: `kind:value` (no kind has a colon)."""
    if not kind or ":" in kind:
        raise ValueError(f"not an indicator kind: {kind!r}")
    return f"{kind}:{value}".encode()


def bucket_number(kind: str, value: str, prefix_bits: int) -> int:
    """The first `prefix_bits` bits of SHA-256 of the input, as a number."""
    digest = hashlib.sha256(_BUCKET_LABEL + oprf_input(kind, value)).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - prefix_bits)


def bucket_text(number: int, prefix_bits: int) -> str:
    """A bucket as the wire writes it: hex, one digit per 4 bits (rounded up), zero-padded."""
    return f"{number:0{-(-prefix_bits // 4)}x}"


def read_bucket(text: str, prefix_bits: int) -> int:
    """The bucket number of its text; ValueError when it is not one of `prefix_bits` bits."""
    digits = -(-prefix_bits // 4)
    if not isinstance(text, str) or _HEX.fullmatch(text) is None or len(text) != digits:
        raise ValueError(f"a bucket is {digits} lower-case hex digits")
    number = int(text, 16)
    if number >> prefix_bits:
        raise ValueError(f"a bucket is a number of {prefix_bits} bits")
    return number


def entry_tag(output: bytes) -> bytes:
    return hashlib.sha512(_TAG_LABEL + output).digest()[:TAG_BYTES]


def _entry_key(output: bytes) -> bytes:
    return hashlib.sha512(_KEY_LABEL + output).digest()[:32]


def verdict_plaintext(
    verdict: str, confirmed: bool, allowlisted: bool, count: int, categories: Mapping[str, int]
) -> bytes:
    """A verdict as sealed: `["reported",1,0,3,{"investment_scam":2}]` (compact: an answer
    carries a bucket's entries)."""
    body = [verdict, int(confirmed), int(allowlisted), count, dict(sorted(categories.items()))]
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def entry_for(output: bytes, plaintext: bytes, nonce: bytes | None = None) -> tuple[bytes, bytes]:
    """(tag, sealed verdict) of a value whose OPRF output is `output`: what the server keeps."""
    tag = entry_tag(output)
    nonce = nonce if nonce is not None else os.urandom(NONCE_BYTES)
    sealed = pysodium.crypto_aead_chacha20poly1305_ietf_encrypt(
        plaintext, tag, nonce, _entry_key(output)
    )
    return tag, nonce + sealed


def prepare(kind: str, value: str, parameters: Parameters | Mapping[str, Any]) -> Prepared:
    """Blind a canonical value and name its bucket, for the server `parameters` describe."""
    if not isinstance(parameters, Parameters):
        parameters = Parameters.from_json(parameters)
    data = oprf_input(kind, value)
    blind, blinded = oprf.blind(data)
    bucket = bucket_text(bucket_number(kind, value, parameters.prefix_bits), parameters.prefix_bits)
    return Prepared(kind, value, bucket, encode_bytes(blinded), blind)


def open_answer(prepared: Prepared, answer: Mapping[str, Any]) -> PrivateVerdict:
    """The verdict on the prepared value from the server's answer; PrivateCheckError when the
    answer is malformed or was tampered with (an entry of ours that does not open)."""
    try:
        key_id = str(answer["key_id"])
        evaluated = decode_bytes(answer["evaluated"], oprf.ELEMENT_BYTES)
        entries = _entries(answer["entries"])
        output = oprf.finalize(oprf_input(prepared.kind, prepared.value), prepared.blind, evaluated)
    except (KeyError, TypeError, ValueError) as exc:  # OprfError is a ValueError
        raise PrivateCheckError(f"malformed answer: {exc}") from None
    tag = entry_tag(output)
    sealed = entries.get(tag)
    if sealed is None:
        return PrivateVerdict(
            prepared.kind, prepared.value, "not_reported", False, False, 0, {}, key_id
        )
    return _opened(prepared, key_id, _open(output, tag, sealed))


def _entries(listed: Sequence[Any]) -> dict[bytes, bytes]:
    if not isinstance(listed, list):
        raise TypeError("entries is not a list")
    entries: dict[bytes, bytes] = {}
    for item in listed:
        if not isinstance(item, list) or len(item) != 2:
            raise TypeError("an entry is [tag, sealed]")
        entries.setdefault(decode_bytes(item[0], TAG_BYTES), decode_bytes(item[1]))
    return entries


def _open(output: bytes, tag: bytes, sealed: bytes) -> list[Any]:
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        plaintext = pysodium.crypto_aead_chacha20poly1305_ietf_decrypt(
            ciphertext, tag, nonce, _entry_key(output)
        )
        body = json.loads(plaintext)
    except ValueError:  # a failed authentication is a ValueError too
        raise PrivateCheckError("the answer's entry for this value does not open") from None
    if not isinstance(body, list) or len(body) != 5:
        raise PrivateCheckError("the answer's entry for this value is not a verdict")
    return body


def _opened(prepared: Prepared, key_id: str, body: list[Any]) -> PrivateVerdict:
    verdict, confirmed, allowlisted, count, categories = body
    valid = (
        verdict in VERDICTS
        and isinstance(count, int)
        and isinstance(categories, dict)
        and all(isinstance(n, int) for n in categories.values())
    )
    if not valid:
        raise PrivateCheckError("the answer's entry for this value is not a verdict")
    return PrivateVerdict(
        prepared.kind,
        prepared.value,
        verdict,
        bool(confirmed),
        bool(allowlisted),
        count,
        {str(name): n for name, n in categories.items()},
        key_id,
    )
