"""TAXII 2.1's rules as plain values: the media type and what a request may accept or send,
error objects, timestamps, the filters of a Get Objects request, its page cursor, and the
envelope assembled from stored STIX JSON without parsing it again.

tipline stores each published object at its latest version only (`shared_object`), so
`match[version]` = `last`, `first` or `all` all select that one version, and a timestamp selects
an object whose latest version is that one.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
MAX_PAGE = 1000  # objects in one page: a client's larger `limit` gets this many
VERSION_WORDS = frozenset({"last", "first", "all"})
_TAXII = "application/taxii+json"


class TaxiiError(Exception):
    """An error the server answers with a TAXII error object (`error_object`)."""

    def __init__(
        self,
        status: int,
        title: str,
        description: str = "",
        *,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.description = description
        self.code = code
        self.headers = dict(headers or {})


def error_object(
    status: int, title: str, description: str = "", code: str | None = None
) -> dict[str, Any]:
    """TAXII 2.1's error message (section 3.6.1); `http_status` is a string, as the spec says."""
    body: dict[str, Any] = {"title": title, "http_status": str(status)}
    if description:
        body["description"] = description
    if code:
        body["error_code"] = code
    return body


def _media_ranges(header: str) -> Iterable[tuple[str, dict[str, str]]]:
    """`a/b;version=2.1;q=0.9, */*` → (`a/b`, {"version": "2.1", "q": "0.9"}), (`*/*`, {})."""
    for part in header.split(","):
        kind, *parameters = (piece.strip() for piece in part.split(";"))
        values = {}
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            values[name.strip().lower()] = value.strip().strip('"')
        if kind:
            yield kind.lower(), values


def _is_taxii_21(kind: str, parameters: Mapping[str, str]) -> bool:
    return kind == _TAXII and parameters.get("version", "2.1") == "2.1"


def accepts_taxii(accept: str | None) -> bool:
    """Whether a client that sent this `Accept` takes TAXII 2.1's media type (a missing header,
    `*/*` and `application/*` do; `application/json` and TAXII 2.0's do not)."""
    if not accept:
        return True
    return any(
        kind in ("*/*", "application/*") or _is_taxii_21(kind, parameters)
        for kind, parameters in _media_ranges(accept)
        if parameters.get("q") not in ("0", "0.0", "0.00", "0.000")
    )


def is_taxii_content(content_type: str | None) -> bool:
    """Whether a POSTed body is declared as TAXII 2.1 (`application/taxii+json;version=2.1`)."""
    ranges = list(_media_ranges(content_type or ""))
    return len(ranges) == 1 and _is_taxii_21(*ranges[0])


def timestamp(moment: datetime) -> str:
    """A TAXII/STIX timestamp in UTC, to the microsecond: `2026-12-01T08:30:00.123456Z`
    (a client that sends it back as `added_after` misses nothing added in the same millisecond)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str, name: str) -> datetime:
    """An RFC 3339 timestamp in UTC (`2026-12-01T08:30:00Z`, any fraction of a second)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise TaxiiError(
            400, f"{name} is not a timestamp", f"{name} is a UTC timestamp such as "
            "2026-12-01T08:30:00.000Z", code="invalid_timestamp",
        )  # fmt: skip
    return moment.astimezone(UTC)


def parse_limit(text: str | None) -> int:
    """A page's size: the client's `limit` (a positive integer), at most `MAX_PAGE`."""
    if text is None:
        return MAX_PAGE
    if not text.strip().isdigit() or int(text) < 1:
        raise TaxiiError(400, "limit is not a positive integer", code="invalid_limit")
    return min(int(text), MAX_PAGE)


def encode_cursor(date_added: datetime, stix_id: str) -> str:
    """`next`: where the following page starts, after this (date added, id), the order of
    pages; objects added meanwhile come later in that order, so no page repeats or skips one."""
    raw = f"{timestamp(date_added)}|{stix_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(text: str) -> tuple[datetime, str]:
    """The (date added, id) a `next` value names; a 400 for one this server did not write."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        moment, _, stix_id = raw.partition("|")
        if stix_id and "--" in stix_id:
            return parse_timestamp(moment, "next"), stix_id
    except (binascii.Error, UnicodeDecodeError, ValueError, TaxiiError):
        pass
    raise TaxiiError(400, "next is not a page of this server", code="invalid_next")


def _words(values: Sequence[str]) -> tuple[str, ...]:
    """A filter's values, sent as one comma-separated parameter or repeated."""
    return tuple(word.strip() for value in values for word in value.split(",") if word.strip())


@dataclass(frozen=True, slots=True)
class ObjectQuery:
    """What a Get Objects (or Get Manifest, Get an Object) request asks for."""

    added_after: datetime | None = None
    after: tuple[datetime, str] | None = None  # the `next` cursor
    limit: int = MAX_PAGE
    types: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    versions: tuple[datetime, ...] = ()  # empty: the latest (last, first, all: the same one)
    spec_versions: tuple[str, ...] = field(default=())

    @property
    def matches_nothing(self) -> bool:
        """tipline serves STIX 2.1 only: a `match[spec_version]` without 2.1 gets nothing."""
        return bool(self.spec_versions) and "2.1" not in self.spec_versions


def _versions(words: Sequence[str]) -> tuple[datetime, ...]:
    if not words or VERSION_WORDS.intersection(words):
        return ()
    return tuple(parse_timestamp(word, "match[version]") for word in words)


def object_query(parameters: Mapping[str, Sequence[str]], paged: bool = True) -> ObjectQuery:
    """A request's query parameters (each name with its values) as an ObjectQuery; a TaxiiError
    400 for a value that is not what TAXII allows. Unknown filters are ignored."""

    def one(name: str) -> str | None:
        values = parameters.get(name) or ()
        return values[-1] if values else None

    added_after = one("added_after")
    after = one("next") if paged else None
    return ObjectQuery(
        added_after=parse_timestamp(added_after, "added_after") if added_after else None,
        after=decode_cursor(after) if after else None,
        limit=parse_limit(one("limit")) if paged else MAX_PAGE,
        types=_words(parameters.get("match[type]") or ()),
        ids=_words(parameters.get("match[id]") or ()),
        versions=_versions(_words(parameters.get("match[version]") or ())),
        spec_versions=_words(parameters.get("match[spec_version]") or ()),
    )


def envelope_json(bodies: Sequence[str], more: bool, next_page: str | None) -> bytes:
    """A TAXII envelope around objects already stored as JSON text, joined as they are (a page
    of a thousand objects is not parsed and written again)."""
    head: dict[str, Any] = {"more": more}
    if more and next_page:
        head["next"] = next_page
    opening = json.dumps(head, separators=(",", ":"))[:-1]
    return f'{opening},"objects":[{",".join(bodies)}]}}'.encode()


def manifest_record(stix_id: str, date_added: datetime, modified: datetime) -> dict[str, str]:
    """One object's line in a manifest (section 5.6.1)."""
    return {
        "id": stix_id,
        "date_added": timestamp(date_added),
        "version": timestamp(modified),
        "media_type": STIX_MEDIA_TYPE,
    }


def date_added_headers(first: datetime | None, last: datetime | None) -> dict[str, str]:
    """`X-TAXII-Date-Added-First` and `-Last` of a page (none for an empty one)."""
    if first is None or last is None:
        return {}
    return {
        "X-TAXII-Date-Added-First": timestamp(first),
        "X-TAXII-Date-Added-Last": timestamp(last),
    }
