"""MISP events into the indicator store through the STIX import: tipline's own feed round trip,
another MISP's event, and a deletion that takes the listing back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.sharing.misp_fixtures import VALUES, shared
from tests.sharing.test_misp_read import partner_event
from tests.sharing.test_misp_service import publish

from tipline.audit.models import AuditEntry
from tipline.indicators.models import IndicatorRecord as Indicator
from tipline.indicators.models import IndicatorSource
from tipline.sharing.misp_read import source_name
from tipline.sharing.misp_service import import_events, write_feed
from tipline.sharing.tlp import Tlp

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def listings(session: Session, source: str) -> dict[tuple[str, str], IndicatorSource]:
    rows = session.execute(
        select(Indicator, IndicatorSource)
        .join(IndicatorSource, IndicatorSource.indicator_id == Indicator.id)
        .where(IndicatorSource.source == source)
    )
    return {(i.kind, i.value): s for i, s in rows}


def test_a_tipline_feed_comes_back_as_the_same_indicators(
    db_session: Session, tmp_path: Path
) -> None:
    tlps = {"url": Tlp.GREEN, "phone": Tlp.AMBER_STRICT}
    items = [
        item
        for kind in VALUES
        for item in shared(kind, tlp=tlps.get(kind, Tlp.CLEAR), reports=2 + len(kind))
    ]
    publish(db_session, items)
    write_feed(db_session, "cli:test", Tlp.AMBER_STRICT, "Vietnam tipline", tmp_path / "feed")
    ((source, summary),) = import_events(db_session, "cli:test", tmp_path / "feed", now=NOW)
    assert (source, summary.imported, summary.skipped) == ("Vietnam tipline", 9, [])
    found = listings(db_session, "Vietnam tipline")
    assert set(found) == set(VALUES.items())
    assert {key: row.tlp for key, row in found.items()} == {
        (kind, value): tlps.get(kind, Tlp.CLEAR).value for kind, value in VALUES.items()
    }
    assert {key: row.sightings for key, row in found.items()} == {
        (kind, value): 2 + len(kind) for kind, value in VALUES.items()
    }
    url = found[("url", VALUES["url"])]
    assert (url.category, url.first_seen) == (
        "fraud.investment",
        datetime(2026, 11, 3, 8, tzinfo=UTC),
    )
    assert all(row.stix_id and row.stix_id.startswith("indicator--") for row in found.values())


def test_another_misps_event_is_filed_under_its_organisation_and_audited(
    db_session: Session, tmp_path: Path
) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(partner_event()))
    ((source, summary),) = import_events(db_session, "cli:test", event, now=NOW)
    assert (source, summary.imported, summary.revoked) == ("Thai Police CCIB", 5, 0)
    assert [s.reason for s in summary.skipped] == ["a MISP text tipline does not keep"]
    found = listings(db_session, "Thai Police CCIB")
    assert {key: (row.tlp, row.sightings) for key, row in found.items()} == {
        ("domain", "scam-invest.vn"): ("green", 3),
        ("ip", "203.0.113.7"): ("amber", None),
        ("crypto", "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"): ("amber", None),
        ("crypto", "eth:0x52908400098527886e0f7030069857d2e4169ee7"): ("amber", None),
        ("social", "telegram:invest_guru"): ("red", None),
    }
    assert {row.category for row in found.values()} == {"fraud.phishing"}
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "sharing.import"))
    details = json.loads(entry.one().details_json)
    assert (details["what"], details["from"], details["imported"]) == (
        "misp.events",
        "Thai Police CCIB",
        5,
    )
    assert "polite" not in entry_text(db_session)


def entry_text(session: Session) -> str:
    return " ".join(e.details_json for e in session.scalars(select(AuditEntry)))


def test_a_deleted_attribute_takes_the_listing_back_and_a_source_can_be_named(
    db_session: Session, tmp_path: Path
) -> None:
    document = partner_event()
    event = tmp_path / "event.json"
    event.write_text(json.dumps(document))
    import_events(db_session, "cli:test", event, source="CCIB MISP", now=NOW)
    assert ("domain", "scam-invest.vn") in listings(db_session, "CCIB MISP")
    for attribute in document["Attribute"]:  # pymisp writes the event bare
        attribute["deleted"] = attribute["type"] == "domain"
    event.write_text(json.dumps(document))
    ((_, summary),) = import_events(db_session, "cli:test", event, source="CCIB MISP", now=NOW)
    assert summary.revoked == 1
    assert ("domain", "scam-invest.vn") not in listings(db_session, "CCIB MISP")
    assert ("ip", "203.0.113.7") in listings(db_session, "CCIB MISP")


def test_an_organisations_name_becomes_a_source_name() -> None:
    assert source_name("Thai Police CCIB") == "Thai Police CCIB"
    assert source_name("CERT/CC (US)") == "CERT CC US"
    assert source_name("Công an") == "C ng an"
    assert source_name("***") == "misp"
