"""Importing partners' STIX bundles: values in tipline's canonical form, one indicator with one
listing per source (its TLP, sightings and the partner's id), revocations, and bundles refused
whole without storing anything."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.sharing.stix_fixtures import confirm, indicator, instance_settings

from tipline.audit.models import AuditEntry
from tipline.errors import InvalidInput
from tipline.indicators.models import IndicatorRecord, IndicatorSource
from tipline.sharing import service
from tipline.sharing.models import PendingSighting
from tipline.sharing.tlp import Tlp

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
AMBER_1 = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"  # TLP 1.0 (stix2's TLP_AMBER)
GREEN_2 = Tlp.GREEN.marking_id
STAMP = "2026-11-02T10:00:00.000Z"


def listings(session: Session, source: str | None = None) -> dict[str, IndicatorSource]:
    statement = select(IndicatorSource)
    if source:
        statement = statement.where(IndicatorSource.source == source)
    return {
        session.get_one(IndicatorRecord, row.indicator_id).value: row
        for row in session.scalars(statement)
    }


def partner_indicator(number: int, pattern: str, marking: str, **more: Any) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--0000000{number}-1111-4111-8111-111111111111",
        "created": STAMP,
        "modified": STAMP,
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": STAMP,
        "object_marking_refs": [marking],
        **more,
    }


PARTNER_BUNDLE = {
    "type": "bundle",
    "id": "bundle--2b8b2d8a-3c4e-4a5f-9b6c-7d8e9f0a1b2c",
    "objects": [
        partner_indicator(1, "[url:value = 'HTTPS://Scam-Shop.VN/pay']", AMBER_1),
        partner_indicator(
            2, "[domain-name:value = 'login.scam-shop.vn']", GREEN_2, labels=["fraud.shopping"]
        ),
        partner_indicator(3, "[phone-number:value = '+855 12 345 678']", GREEN_2),
        partner_indicator(4, "[url:value = 'a' OR url:value = 'b']", GREEN_2),
        partner_indicator(5, "[domain-name:value = 'facebook.com']", GREEN_2),
        partner_indicator(6, "[email-addr:value = 'not an email']", GREEN_2),
        {
            "type": "sighting",
            "spec_version": "2.1",
            "id": "sighting--3c9c3e9b-4d5f-4b6a-8c7d-8e9f0a1b2c3d",
            "created": STAMP,
            "modified": STAMP,
            "sighting_of_ref": "indicator--00000003-1111-4111-8111-111111111111",
            "count": 7,
            "first_seen": "2026-10-01T00:00:00Z",
            "last_seen": "2026-11-30T00:00:00Z",
        },
    ],
}


def test_a_partners_bundle_in_tiplines_canonical_form(db_session: Session) -> None:
    summary = service.import_bundle(db_session, "cli:test", "Khmer police", PARTNER_BUNDLE, T0)
    found = listings(db_session)
    assert set(found) == {"https://scam-shop.vn/pay", "scam-shop.vn", "+85512345678"}
    phone = found["+85512345678"]
    assert (phone.source, phone.tlp, phone.sightings) == ("Khmer police", "green", 7)
    assert phone.stix_id == "indicator--00000003-1111-4111-8111-111111111111"
    assert (phone.first_seen, phone.last_seen) == (
        datetime(2026, 10, 1, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    assert (found["https://scam-shop.vn/pay"].tlp, found["scam-shop.vn"].category) == (
        "amber",
        "fraud.shopping",
    )
    assert found["https://scam-shop.vn/pay"].category == "other"
    assert summary.imported == 3
    assert sorted((s.stix_id[11:19], s.reason) for s in summary.skipped) == [
        ("00000004", "a pattern tipline does not read (one equality on a known observable)"),
        ("00000005", "a legitimate (allowlisted) value"),
        ("00000006", "not a valid email value"),
    ]
    entry = db_session.scalars(select(AuditEntry).order_by(AuditEntry.sequence.desc())).first()
    assert entry is not None
    details = json.loads(entry.details_json)
    assert (entry.action, entry.target_id, details["imported"], details["skipped"]) == (
        "sharing.import",
        "Khmer police",
        3,
        3,
    )
    assert "+85512345678" not in entry.details_json


def test_round_trip_and_two_sources_make_one_indicator_with_two_listings(
    db_session: Session, make_report: ReportMaker
) -> None:
    report = make_report("Gọi từ số 0912 345 678, chuyển vào STK 0123456789 Vietcombank")
    confirm(db_session, report.code)
    service.publish(db_session, instance_settings(), now=T0)
    bundle = service.export_bundle(db_session, "cli:test", Tlp.AMBER)
    before = db_session.scalar(select(func.count()).select_from(IndicatorRecord))
    for source in ("Thai CCIB", "Khmer police"):
        summary = service.import_bundle(db_session, "cli:test", source, bundle, T0)
        assert (summary.imported, summary.skipped) == (2, [])
    assert db_session.scalar(select(func.count()).select_from(IndicatorRecord)) == before
    phone = indicator(db_session, "+84912345678")
    rows = db_session.scalars(
        select(IndicatorSource).where(IndicatorSource.indicator_id == phone.id)
    )
    by_source = {row.source: row for row in rows}
    assert set(by_source) == {"Thai CCIB", "Khmer police"}
    ids = {o["pattern"]: o["id"] for o in bundle["objects"] if o["type"] == "indicator"}
    stix_id = ids["[phone-number:value = '+84912345678']"]
    assert {(r.tlp, r.sightings, r.stix_id) for r in by_source.values()} == {("amber", 1, stix_id)}
    assert set(listings(db_session, "Thai CCIB")) == {"+84912345678", "VCB:0123456789"}


def test_revoked_objects_and_late_sightings(db_session: Session) -> None:
    service.import_bundle(db_session, "cli:test", "Khmer police", PARTNER_BUNDLE, T0)
    later = {
        "type": "bundle",
        "id": "bundle--4d0d4f0c-5e6a-4c7b-9d8e-9f0a1b2c3d4e",
        "objects": [
            partner_indicator(1, "[url:value = 'HTTPS://Scam-Shop.VN/pay']", AMBER_1, revoked=True),
            {**PARTNER_BUNDLE["objects"][-1], "count": 9, "modified": "2026-12-01T00:00:00.000Z"},
        ],
    }
    summary = service.import_bundle(db_session, "cli:test", "Khmer police", later, T0)
    assert (summary.imported, summary.revoked) == (0, 1)
    found = listings(db_session)
    assert "https://scam-shop.vn/pay" not in found
    assert found["+85512345678"].sightings == 9


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([], '"type" is not "bundle"'),
        ({"type": "bundle", "id": "bundle--1", "objects": []}, '"id" is not a bundle id'),
        ({**PARTNER_BUNDLE, "objects": {"a": 1}}, '"objects" is not a list'),
        ({**PARTNER_BUNDLE, "objects": [*PARTNER_BUNDLE["objects"], "x"]}, "object 8 is not"),
        ({**PARTNER_BUNDLE, "objects": [{"type": "indicator"}]}, "object 1 has no STIX id"),
        (
            {
                **PARTNER_BUNDLE,
                "objects": [{"type": "campaign", "id": PARTNER_BUNDLE["objects"][0]["id"]}],
            },
            "is not of the type its id names",
        ),
    ],
)
def test_a_malformed_bundle_is_refused_whole(
    db_session: Session, document: Any, reason: str
) -> None:
    with pytest.raises(InvalidInput, match="not a STIX 2.1 bundle") as refused:
        service.import_bundle(db_session, "cli:test", "Khmer police", document, T0)
    assert reason in refused.value.message
    assert listings(db_session) == {}
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_source_is_named_by_printable_characters(db_session: Session) -> None:
    for name in ("", " padded", "line\nbreak", "x" * 101):
        with pytest.raises(InvalidInput, match="a source is named by 1 to 100 printable"):
            service.import_bundle(db_session, "cli:test", name, PARTNER_BUNDLE, T0)
    summary = service.import_bundle(
        db_session, "cli:test", "Cục A05 (Việt Nam)", PARTNER_BUNDLE, T0
    )
    assert summary.imported == 3


def test_a_sighting_in_a_page_before_its_indicators_is_kept_until_it_comes(
    db_session: Session,
) -> None:
    """Two TAXII pages in reverse order: the sighting first, its indicator next."""
    sighting, phone = PARTNER_BUNDLE["objects"][-1], PARTNER_BUNDLE["objects"][2]
    pages = [
        {
            "type": "bundle",
            "id": f"bundle--0000000{n}-5e6a-4c7b-9d8e-9f0a1b2c3d4e",
            "objects": [item],
        }
        for n, item in enumerate((sighting, phone), start=1)
    ]
    for page in pages:
        service.import_bundle(db_session, "cli:test", "Khmer police", page, T0)
    listing = listings(db_session)["+85512345678"]
    assert listing.sightings == 7
    assert listing.last_seen == datetime(2026, 11, 30, tzinfo=UTC)
    assert db_session.scalar(select(func.count()).select_from(PendingSighting)) == 0
    # The indicator sent again with no sighting keeps its count.
    service.import_bundle(db_session, "cli:test", "Khmer police", pages[1], T0)
    assert listings(db_session)["+85512345678"].sightings == 7
