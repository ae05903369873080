"""What a tipline server answers, as typed, frozen values (no pydantic: the client's
distribution stays small). Each is read from the server's JSON by `from_json`, which raises
`BadAnswer` on a body that is not what a tipline server sends; fields it does not know yet
are ignored, so a newer server does not break an older client."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from tipline.client.errors import BadAnswer

Verdict = Literal["reported", "not_reported", "allowlisted"]
VERDICTS: tuple[Verdict, ...] = ("reported", "not_reported", "allowlisted")
T = TypeVar("T")


def _field(data: Mapping[str, Any], name: str, kind: type[T]) -> T:
    value = data.get(name) if isinstance(data, Mapping) else None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadAnswer(f"the server's answer has no {kind.__name__} {name!r}")
    return value


def _optional(data: Mapping[str, Any], name: str, kind: type[T]) -> T | None:
    return None if data.get(name) is None else _field(data, name, kind)


def _time(data: Mapping[str, Any], name: str) -> datetime | None:
    text = _optional(data, name, str)
    try:
        return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadAnswer(f"the server's answer has no time {name!r}") from None


def _counts(data: Mapping[str, Any], name: str) -> dict[str, int]:
    counts = _field(data, name, dict)
    if not all(isinstance(k, str) and type(n) is int for k, n in counts.items()):
        raise BadAnswer(f"the server's answer has no counts {name!r}")
    return counts


def _texts(data: Mapping[str, Any], name: str) -> tuple[str, ...]:
    items = _field(data, name, list)
    if not all(isinstance(item, str) for item in items):
        raise BadAnswer(f"the server's answer has no list of texts {name!r}")
    return tuple(items)


def _verdict(data: Mapping[str, Any]) -> Verdict:
    verdict = _field(data, "verdict", str)
    if verdict not in VERDICTS:
        raise BadAnswer(f"the server's answer has an unknown verdict {verdict[:40]!r}")
    return verdict


@dataclass(frozen=True, slots=True)
class FeedAttribution:
    """A feed that lists the value: its name and category, and when it listed it."""

    source: str
    category: str
    first_seen: datetime | None
    last_seen: datetime | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeedAttribution:
        source, category = _field(data, "source", str), _field(data, "category", str)
        return cls(source, category, _time(data, "first_seen"), _time(data, "last_seen"))


@dataclass(frozen=True, slots=True)
class AccountReports:
    """The reports of a checked bank account at one bank (`UNKNOWN`: reported with no bank)."""

    value: str
    bank: str
    report_count: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AccountReports:
        return cls(
            _field(data, "value", str), _field(data, "bank", str), _field(data, "report_count", int)
        )


@dataclass(frozen=True, slots=True)
class Checked:
    """What both checks answer of a value: how it was read (`kind`, canonical `value`, as
    `phone`, `+84987654321`) and the verdict with its counts. `not_reported` does not mean
    safe: only that no report or feed on the server names the value."""

    input: str
    kind: str
    value: str
    verdict: Verdict
    confirmed: bool
    allowlisted: bool
    report_count: int
    categories: dict[str, int]

    @property
    def reported(self) -> bool:
        return self.verdict == "reported"


@dataclass(frozen=True, slots=True)
class CheckResult(Checked):
    """The public check's answer (`GET /api/v1/check`): the verdict, and which sources and
    feeds name the value and when (as far as the server discloses them)."""

    sources: tuple[str, ...]
    feeds: tuple[FeedAttribution, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    reported_host: str | None = None
    accounts: tuple[AccountReports, ...] = field(default=())

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(
            input=_field(data, "input", str),
            kind=_field(data, "kind", str),
            value=_field(data, "value", str),
            verdict=_verdict(data),
            confirmed=_field(data, "confirmed", bool),
            allowlisted=_field(data, "allowlisted", bool),
            report_count=_field(data, "report_count", int),
            categories=_counts(data, "categories"),
            sources=_texts(data, "sources"),
            feeds=tuple(FeedAttribution.from_json(f) for f in _field(data, "feeds", list)),
            first_seen=_time(data, "first_seen"),
            last_seen=_time(data, "last_seen"),
            reported_host=_optional(data, "reported_host", str),
            accounts=tuple(AccountReports.from_json(a) for a in data.get("accounts") or ()),
        )


@dataclass(frozen=True, slots=True)
class CheckRejected:
    """A value of a bulk check that the server reads as no indicator, and why."""

    input: str
    error: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckRejected:
        return cls(_field(data, "input", str), _field(data, "error", str))


def bulk_result(data: Mapping[str, Any]) -> CheckResult | CheckRejected:
    """One answer of a bulk check: a verdict, or the value's rejection."""
    if isinstance(data, Mapping) and "error" in data and "verdict" not in data:
        return CheckRejected.from_json(data)
    return CheckResult.from_json(data)


@dataclass(frozen=True, slots=True)
class PrivateCheckResult(Checked):
    """The private check's answer (`POST /api/v1/private-check`), opened by the client alone:
    the public check's verdict and counts for a value the server never saw (`kind` and
    `value` are the client's reading of `input`, the server's way); `key_id` names the
    server's key that answered."""

    key_id: str


@dataclass(frozen=True, slots=True)
class HashMatch:
    """A bank's hash that matches an asked one: the bank, the hash, `distance` bits apart
    (0: the same; MD5 and SHA-256 match only at 0)."""

    bank_id: int
    bank: str
    bank_kind: str
    hash_id: int
    signal: str
    value: str
    distance: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HashMatch:
        return cls(
            bank_id=_field(data, "bank_id", int),
            bank=_field(data, "bank", str),
            bank_kind=_field(data, "bank_kind", str),
            hash_id=_field(data, "hash_id", int),
            signal=_field(data, "signal", str),
            value=_field(data, "value", str),
            distance=_field(data, "distance", int),
        )


@dataclass(frozen=True, slots=True)
class HashMatches:
    """The matches of one asked hash (`index`: its place in what was asked, from 0)."""

    index: int
    signal: str
    value: str
    matches: tuple[HashMatch, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any], offset: int = 0) -> HashMatches:
        matches = tuple(HashMatch.from_json(m) for m in _field(data, "matches", list))
        index = _field(data, "index", int) + offset
        return cls(index, _field(data, "signal", str), _field(data, "value", str), matches)
