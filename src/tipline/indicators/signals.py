"""Signal types: the kinds of `hash` indicator, each behind one small interface, with a registry.

A signal type (as in Meta's python-threatexchange) says how a value of its kind is written and
compared: `parse` gives the canonical body of a written value (`9F86D0…` → `9f86d0…`) or None,
`distance` says how far two canonical bodies are (0 for the same; exact digests are either 0 or
infinitely far, a perceptual hash such as PDQ counts differing bits), and `examples` are what a
shared test checks every registered type against. The canonical value of a `hash` indicator is
`NAME:BODY` (`sha256:9f86d0…`).

A bare value may fit several types (64 hex digits: a SHA-256 or a PDQ). A bare value is read
as the one type that claims its length (`bare_length`), as the spec says (32, 40, 64 hex: md5,
sha1, sha256); any other type is read only when declared (`pdq:…`, or
`read_value(text, signal_type="pdq")`). Adding a type is adding a module that calls `register`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Protocol

from tipline.errors import InvalidInput

_HEX = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True, slots=True)
class SignalExample:
    """A written value and its canonical body (None: not a value of that type)."""

    written: str
    canonical: str | None


@dataclass(frozen=True, slots=True)
class DistanceExample:
    """Two canonical bodies, their distance, and whether they are the same signal (within the
    type's match threshold)."""

    first: str
    second: str
    distance: float
    same: bool


class SignalType(Protocol):
    """One kind of hash: how it is written, read, compared, and examples of each."""

    @property
    def name(self) -> str:
        """The prefix of its canonical values: `sha256` in `sha256:9f86d0…`."""

    @property
    def bare_length(self) -> int | None:
        """The length of a bare value read as this type when no type is declared; None: this
        type is read only when declared."""

    @property
    def examples(self) -> tuple[SignalExample, ...]: ...

    @property
    def distance_examples(self) -> tuple[DistanceExample, ...]: ...

    @property
    def match_threshold(self) -> float:
        """The largest distance at which two values are the same signal."""

    def parse(self, text: str) -> str | None:
        """The canonical body of `text` written as this type, or None if it is not one."""

    def distance(self, first: str, second: str) -> float:
        """How far apart two canonical bodies are: 0 for the same signal."""


@dataclass(frozen=True, slots=True)
class ExactDigest:
    """A cryptographic digest (MD5, SHA-1, SHA-256): lower-case hex of one length, equal or not."""

    name: str
    length: int
    examples: tuple[SignalExample, ...]
    match_threshold: float = 0.0

    @property
    def bare_length(self) -> int:
        return self.length

    def parse(self, text: str) -> str | None:
        # A run of digits alone is a number (an account, an ID), not a digest: extraction's rule.
        if len(text) != self.length or not _HEX.fullmatch(text) or text.isdigit():
            return None
        return text.lower()

    def distance(self, first: str, second: str) -> float:
        return 0.0 if first == second else math.inf

    @property
    def distance_examples(self) -> tuple[DistanceExample, ...]:
        one, other = [e.canonical for e in self.examples if e.canonical is not None][-2:]
        return (
            DistanceExample(one, one, 0.0, True),
            DistanceExample(one, other, math.inf, False),
        )


@dataclass(frozen=True, slots=True)
class PerceptualHash:
    """A perceptual hash such as PDQ: hex digits of a fixed length, as far apart as the number
    of bits that differ, the same signal up to `match_threshold` bits. It has no bare length:
    a bare 64-hex value stays a SHA-256, and a PDQ is read only when declared (`pdq:…`)."""

    name: str
    length: int
    match_threshold: float
    examples: tuple[SignalExample, ...]
    distance_examples: tuple[DistanceExample, ...]

    @property
    def bare_length(self) -> None:
        return None

    def parse(self, text: str) -> str | None:
        # Digits alone are a hash here too (a PDQ of all zeros is a flat image's).
        if len(text) != self.length or not _HEX.fullmatch(text):
            return None
        return text.lower()

    def distance(self, first: str, second: str) -> float:
        return float((int(first, 16) ^ int(second, 16)).bit_count())


SIGNAL_TYPES: dict[str, SignalType] = {}
_BARE_BY_LENGTH: dict[int, SignalType] = {}


def register(signal_type: SignalType) -> SignalType:
    """Add a signal type to the registry: its name must be new, and so must its bare length."""
    if signal_type.name in SIGNAL_TYPES:
        raise ValueError(f"signal type {signal_type.name!r} is registered already")
    if (length := signal_type.bare_length) is not None:
        if length in _BARE_BY_LENGTH:
            taken = _BARE_BY_LENGTH[length].name
            raise ValueError(f"bare values of {length} characters are read as {taken!r} already")
        _BARE_BY_LENGTH[length] = signal_type
    SIGNAL_TYPES[signal_type.name] = signal_type
    return signal_type


def signal_type(name: str) -> SignalType:
    """The registered type called `name` (any case); a clear error for an unknown one."""
    found = SIGNAL_TYPES.get(name.lower())
    if found is None:
        known = ", ".join(sorted(SIGNAL_TYPES))
        raise InvalidInput(f"unknown signal type {name!r}; known: {known}", field="signal_type")
    return found


def bare_signal(token: str) -> str | None:
    """`NAME:BODY` for a bare value whose length a type claims (`9F86…` (64) → `sha256:9f86…`)."""
    claimed = _BARE_BY_LENGTH.get(len(token))
    if claimed is None:
        return None
    body = claimed.parse(token)
    return None if body is None else f"{claimed.name}:{body}"


def declared_signal(name: str, text: str) -> str | None:
    """`NAME:BODY` for `text` read as the type called `name`, or None if it is not one."""
    declared = signal_type(name)
    body = declared.parse(text)
    return None if body is None else f"{declared.name}:{body}"


def signal_distance(first: str, second: str) -> float:
    """The distance between two canonical values `NAME:BODY` (infinite across types)."""
    first_name, _, first_body = first.partition(":")
    second_name, _, second_body = second.partition(":")
    if first_name != second_name:
        return math.inf
    return signal_type(first_name).distance(first_body, second_body)


def _digest_examples(empty: str) -> tuple[SignalExample, ...]:
    """The digest of the empty string written three ways, another digest, and near misses."""
    other = ("0123456789abcdef" * 4)[: len(empty)]
    return (
        SignalExample(empty, empty),
        SignalExample(empty.upper(), empty),
        SignalExample(other, other),
        SignalExample(empty[:-1], None),
        SignalExample(empty + "0", None),
        SignalExample(empty[:-1] + "g", None),
        SignalExample("1" * len(empty), None),
    )


MD5 = register(ExactDigest("md5", 32, _digest_examples("d41d8cd98f00b204e9800998ecf8427e")))
SHA1 = register(
    ExactDigest("sha1", 40, _digest_examples("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
)
SHA256 = register(
    ExactDigest(
        "sha256",
        64,
        _digest_examples("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    )
)

# PDQ's 256 bits, most significant first; 31 bits is ThreatExchange's and HMA's match distance.
# The examples: ThreatExchange's reference hash of its `bridge-1-original.jpg`, the same with
# 31 and 32 bits turned, and the hash of an image with no detail (all zeros).
_BRIDGE = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22"
_BRIDGE_31 = f"{int(_BRIDGE, 16) ^ (2**31 - 1):064x}"
_BRIDGE_32 = f"{int(_BRIDGE, 16) ^ (2**32 - 1):064x}"
PDQ = register(
    PerceptualHash(
        "pdq",
        64,
        31,
        (
            SignalExample(_BRIDGE, _BRIDGE),
            SignalExample(_BRIDGE.upper(), _BRIDGE),
            SignalExample("0" * 64, "0" * 64),
            SignalExample(_BRIDGE[:-1], None),
            SignalExample(_BRIDGE + "0", None),
            SignalExample(_BRIDGE[:-1] + "g", None),
            SignalExample(f"pdq:{_BRIDGE}"[:64], None),
        ),
        (
            DistanceExample(_BRIDGE, _BRIDGE, 0, True),
            DistanceExample(_BRIDGE, _BRIDGE_31, 31, True),
            DistanceExample(_BRIDGE, _BRIDGE_32, 32, False),
            DistanceExample("0" * 64, "f" * 64, 256, False),
        ),
    )
)
