"""TAXII 2.1's rules as plain values: media types, timestamps, the cursor, filters, envelopes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tipline.sharing.taxii.core import (
    MAX_PAGE,
    TaxiiError,
    accepts_taxii,
    date_added_headers,
    decode_cursor,
    encode_cursor,
    envelope_json,
    error_object,
    is_taxii_content,
    object_query,
    parse_timestamp,
    timestamp,
)

WHEN = datetime(2026, 12, 1, 8, 30, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("accept", "accepted"),
    [
        (None, True),
        ("", True),
        ("application/taxii+json;version=2.1", True),
        ("application/taxii+json; version=2.1", True),
        ("application/taxii+json", True),
        ("*/*", True),
        ("application/*", True),
        ("text/html, application/taxii+json;version=2.1;q=0.9", True),
        ("application/json", False),
        ("application/taxii+json;version=2.0", False),
        ("application/vnd.oasis.taxii+json; version=2.0", False),
        ("application/taxii+json;version=2.1;q=0", False),
        ("text/html", False),
    ],
)
def test_what_a_client_may_accept(accept: str | None, accepted: bool) -> None:
    assert accepts_taxii(accept) is accepted


def test_a_post_is_declared_as_taxii_2_1() -> None:
    assert is_taxii_content("application/taxii+json;version=2.1")
    assert is_taxii_content("application/taxii+json")
    assert not is_taxii_content("application/json")
    assert not is_taxii_content(None)
    assert not is_taxii_content("application/taxii+json;version=2.1, application/json")


def test_timestamps_keep_the_microsecond_and_read_any_precision() -> None:
    assert timestamp(WHEN) == "2026-12-01T08:30:00.123456Z"
    assert parse_timestamp("2026-12-01T08:30:00.123456Z", "x") == WHEN
    assert parse_timestamp("2026-12-01T08:30:00Z", "x") == WHEN.replace(microsecond=0)
    assert parse_timestamp("2026-12-01T15:30:00+07:00", "x") == WHEN.replace(microsecond=0)
    for wrong in ("yesterday", "2026-12-01T08:30:00", ""):
        with pytest.raises(TaxiiError) as refused:
            parse_timestamp(wrong, "added_after")
        assert (refused.value.status, refused.value.code) == (400, "invalid_timestamp")


def test_the_cursor_names_the_last_object_of_a_page() -> None:
    cursor = encode_cursor(WHEN, "indicator--0b8d4d9b-2b8b-4d1f-9d33-3d3c4d2c9e11")
    assert decode_cursor(cursor) == (WHEN, "indicator--0b8d4d9b-2b8b-4d1f-9d33-3d3c4d2c9e11")
    for wrong in ("not-a-page", "", encode_cursor(WHEN, "x")[:-4] + "@@@@"):
        with pytest.raises(TaxiiError) as refused:
            decode_cursor(wrong)
        assert refused.value.code == "invalid_next"


def test_a_query_from_the_parameters() -> None:
    query = object_query(
        {
            "added_after": ["2026-12-01T08:30:00.123456Z"],
            "limit": ["5000"],
            "match[type]": ["indicator,campaign", "relationship"],
            "match[id]": ["indicator--a"],
            "match[version]": ["2026-12-01T08:30:00.123456Z"],
            "match[unknown]": ["ignored"],
        }
    )
    assert query.added_after == WHEN
    assert query.limit == MAX_PAGE
    assert query.types == ("indicator", "campaign", "relationship")
    assert query.ids == ("indicator--a",)
    assert query.versions == (WHEN,)
    assert object_query({"match[version]": ["last"]}).versions == ()
    assert object_query({"match[version]": ["all,2026-12-01T08:30:00Z"]}).versions == ()
    assert object_query({"limit": ["7"]}).limit == 7
    assert object_query({"match[spec_version]": ["2.0"]}).matches_nothing
    assert not object_query({"match[spec_version]": ["2.0,2.1"]}).matches_nothing
    for limit in ("0", "-1", "ten"):
        with pytest.raises(TaxiiError):
            object_query({"limit": [limit]})


def test_an_envelope_joins_the_stored_json_as_it_is() -> None:
    bodies = ['{"id":"indicator--a","name":"Việt"}', '{"id":"indicator--b"}']
    assert json.loads(envelope_json(bodies, True, "abc")) == {
        "more": True,
        "next": "abc",
        "objects": [{"id": "indicator--a", "name": "Việt"}, {"id": "indicator--b"}],
    }
    assert json.loads(envelope_json([], False, None)) == {"more": False, "objects": []}
    assert "next" not in json.loads(envelope_json(bodies, False, "abc"))


def test_error_objects_and_headers() -> None:
    assert error_object(404, "no such object", code="object_not_found") == {
        "title": "no such object",
        "http_status": "404",
        "error_code": "object_not_found",
    }
    assert date_added_headers(WHEN, WHEN) == {
        "X-TAXII-Date-Added-First": "2026-12-01T08:30:00.123456Z",
        "X-TAXII-Date-Added-Last": "2026-12-01T08:30:00.123456Z",
    }
    assert date_added_headers(None, None) == {}
