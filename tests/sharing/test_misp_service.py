"""A MISP feed of the published objects at a TLP, written to a folder and audited; MISP files
and feeds read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pymisp import MISPEvent
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.sharing.misp_fixtures import campaign, indicates, indicator

from tipline.audit.models import AuditEntry
from tipline.errors import InvalidInput
from tipline.sharing.misp import Shared
from tipline.sharing.misp_feed import MANIFEST
from tipline.sharing.misp_read import read_events
from tipline.sharing.misp_service import load_events, published, write_feed
from tipline.sharing.models import SharedObject
from tipline.sharing.policy import category_mask
from tipline.sharing.tlp import Tlp

WHEN = datetime(2026, 12, 1, tzinfo=UTC)


def publish(session: Session, items: list[Shared]) -> None:
    for i, item in enumerate(items):
        session.add(
            SharedObject(
                stix_id=item.body["id"],
                type=item.body["type"],
                origin=f"test:{i}",
                tlp=item.tlp.value,
                kind=item.kind,
                category_mask=category_mask(item.categories),
                needs_campaigns=item.body["type"] in {"campaign", "relationship"},
                revoked=item.revoked,
                modified=WHEN,
                date_added=WHEN,
                body=json.dumps(item.body),
            )
        )
    session.flush()


def test_a_row_is_read_with_its_tlp_kind_and_categories(db_session: Session) -> None:
    item = indicator("url", tlp=Tlp.GREEN, categories=("fraud.phishing", "sextortion"))
    publish(db_session, [item])
    (row,) = db_session.scalars(select(SharedObject))
    assert published(row) == item


def test_the_feed_holds_what_the_tlp_admits_and_the_share_is_audited(
    db_session: Session, tmp_path: Path
) -> None:
    url, ring = indicator("url"), campaign()
    publish(
        db_session,
        [url, indicator("phone", tlp=Tlp.AMBER), indicator("domain"), ring, indicates(url, ring)],
    )
    folder = tmp_path / "feed"
    share = write_feed(db_session, "cli:test", Tlp.CLEAR, "Vietnam tipline", folder)
    assert len(share.ids) == 4
    listed = json.loads((folder / MANIFEST).read_text())
    infos = set()
    for uid in listed:
        event = MISPEvent()
        event.load_file(folder / f"{uid}.json")
        assert event.Orgc.name == "Vietnam tipline"
        assert all(a.type != "phone-number" for a in event.attributes)
        infos.add(event.info)
    assert infos == {
        "tipline campaign: Campaign 11111111-2222-4333-8444-555555555555",
        "tipline indicators: fraud.investment, 2026-11 (TLP:CLEAR)",
    }
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "share")).one()
    details = json.loads(entry.details_json)
    assert (details["what"], details["count"], details["to"]) == ("misp.feed", 4, "export")
    assert details["policy"]["max_tlp"] == "clear"
    assert sorted(details["ids"]) == sorted(share.ids)


def test_an_event_file_a_list_and_a_feed_folder_are_read(
    db_session: Session, tmp_path: Path
) -> None:
    publish(db_session, [indicator("url"), indicator("ip", tlp=Tlp.GREEN)])
    share = write_feed(db_session, "cli:test", Tlp.GREEN, "Vietnam tipline", tmp_path / "feed")
    from_folder = load_events(tmp_path / "feed")
    assert sorted(e["Event"]["uuid"] for e in from_folder) == sorted(
        e["Event"]["uuid"] for e in share.events
    )
    one = tmp_path / "one.json"
    one.write_text(json.dumps(share.events[0]))
    assert load_events(one) == [share.events[0]]
    (tmp_path / "list.json").write_text(json.dumps({"response": share.events}))
    assert len(load_events(tmp_path / "list.json")) == 2
    assert {(r.kind, r.value, r.tlp) for r in read_events(from_folder)[0].indicators} == {
        ("url", "https://vietcombank-xacthuc.com/login", Tlp.CLEAR),
        ("ip", "103.97.125.12", Tlp.GREEN),
    }
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(InvalidInput, match="cannot read MISP events"):
        load_events(tmp_path / "bad.json")
    (tmp_path / "strings.json").write_text('["a", "b"]')
    with pytest.raises(InvalidInput, match="holds no MISP events"):
        load_events(tmp_path / "strings.json")
    with pytest.raises(InvalidInput, match="cannot read MISP events"):
        load_events(tmp_path / "nowhere")
