"""Shared STIX objects as MISP events and a MISP feed, read back with pymisp's MISPEvent as a
MISP instance would (with the network shut: pymisp must not need it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pymisp
import pytest
from pymisp import MISPEvent
from tests.sharing.misp_fixtures import (  # no_network: pymisp must not need it
    ORG,
    VALUES,
    campaign,
    indicates,
    indicator,
    no_network,  # noqa: F401
    shared,
)

from tipline.sharing.misp import Org, Shared, misp_events
from tipline.sharing.misp_feed import HASHES, MANIFEST, feed_files, manifest
from tipline.sharing.misp_read import Received, read_events
from tipline.sharing.tlp import TLP_ORDER, Tlp

CAMPAIGN_INFO = "tipline campaign: Campaign 11111111-2222-4333-8444-555555555555"


def loaded(document: dict[str, Any]) -> MISPEvent:
    event = MISPEvent()
    event.load(json.dumps(document))
    return event


def values(event: MISPEvent) -> set[tuple[str, str]]:
    found = {(a.type, a.value) for a in event.attributes}
    return found | {
        (f"{o.name}.{a.object_relation}", a.value) for o in event.objects for a in o.attributes
    }


def received(document: dict[str, Any]) -> list[Received]:
    (read,) = read_events([document])
    return read.indicators


def every_kind(tlp: Tlp = Tlp.CLEAR) -> list[Shared]:
    return [item for kind in VALUES for item in shared(kind, tlp=tlp)]


def test_every_kind_is_an_attribute_or_object_misp_reads() -> None:
    (document,) = misp_events(every_kind(), ORG)
    event = loaded(document)
    assert event.info == "tipline indicators: fraud.investment, 2026-11 (TLP:CLEAR)"
    assert values(event) == {
        ("url", "https://vietcombank-xacthuc.com/login"),
        ("domain", "vietcombank-xacthuc.com"),
        ("email-src", "hotro.cskh@gmail.com"),
        ("ip-dst", "103.97.125.12"),
        ("phone-number", "+84912345678"),
        ("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ("bank-account.account", "0451000123999"),
        ("bank-account.institution-code", "VCB"),
        ("bank-account.institution-name", "Vietcombank"),
        ("coin-address.address-crypto", "TA4Y62o6YC2Zsck9rZVGTvqW1AQ7X9zTnj"),
        ("coin-address.symbol", "TRX"),
        ("telegram-account.username", "hotro_vcb"),
    }
    assert (event.Orgc.name, event.Orgc.uuid) == (ORG.name, ORG.uuid)
    assert (event.analysis, event.threat_level_id, event.published) == (2, 2, True)
    assert str(event.date) == "2026-11-03"
    assert {a.comment for a in event.attributes} == {"sightings: 1"}


@pytest.mark.parametrize("tlp", TLP_ORDER, ids=lambda t: t.value)
def test_the_tlp_is_misps_tlp_tag_exactly(tlp: Tlp) -> None:
    (document,) = misp_events(every_kind(tlp), ORG)
    event = loaded(document)
    expected = {
        Tlp.CLEAR: "tlp:clear",
        Tlp.GREEN: "tlp:green",
        Tlp.AMBER: "tlp:amber",
        Tlp.AMBER_STRICT: "tlp:amber+strict",
        Tlp.RED: "tlp:red",
    }[tlp]
    assert [t.name for t in event.tags if t.name.startswith("tlp:")] == [expected]
    every_attribute = list(event.attributes) + [a for o in event.objects for a in o.attributes]
    assert len(every_attribute) == 12
    for attribute in every_attribute:
        assert [t.name for t in attribute.tags if t.name.startswith("tlp:")] == [expected]
    assert received(document)[0].tlp is tlp


def test_categories_go_as_rsit_tags_where_one_fits_and_always_as_tipline_tags() -> None:
    objects = [
        indicator("url", categories=("fraud.phishing",)),
        indicator("phone", categories=("fraud.romance",)),
    ]
    phishing, romance = sorted((loaded(e) for e in misp_events(objects, ORG)), key=lambda e: e.info)
    assert [t.name for t in phishing.tags] == [
        "tlp:clear",
        'rsit:fraud="phishing"',
        'tipline:category="fraud.phishing"',
    ]
    assert [t.name for t in romance.tags] == ["tlp:clear", 'tipline:category="fraud.romance"']


def test_lone_indicators_are_grouped_by_category_month_and_tlp() -> None:
    objects = [
        indicator("url"),
        indicator("domain"),
        indicator("phone", first=datetime(2026, 10, 30, tzinfo=UTC)),
        indicator("ip", tlp=Tlp.AMBER),
        indicator("email", categories=("sextortion",)),
    ]
    infos = {loaded(e).info: len(values(loaded(e))) for e in misp_events(objects, ORG)}
    assert infos == {
        "tipline indicators: fraud.investment, 2026-11 (TLP:CLEAR)": 2,
        "tipline indicators: fraud.investment, 2026-10 (TLP:CLEAR)": 1,
        "tipline indicators: fraud.investment, 2026-11 (TLP:AMBER)": 1,
        "tipline indicators: sextortion, 2026-11 (TLP:CLEAR)": 1,
    }
    sextortion = next(loaded(e) for e in misp_events(objects, ORG) if "sextortion" in str(e))
    assert sextortion.threat_level_id == 1


def test_a_campaign_is_one_event_with_its_indicators_and_the_strictest_tlp() -> None:
    url, phone, ring = indicator("url"), indicator("phone", tlp=Tlp.GREEN), campaign()
    objects = [url, phone, indicator("domain"), ring, indicates(url, ring), indicates(phone, ring)]
    documents = misp_events(objects, ORG)
    by_info = {loaded(e).info: loaded(e) for e in documents}
    assert set(by_info) == {
        CAMPAIGN_INFO,
        "tipline indicators: fraud.investment, 2026-11 (TLP:CLEAR)",
    }
    event = by_info[CAMPAIGN_INFO]
    assert values(event) == {
        ("url", "https://vietcombank-xacthuc.com/login"),
        ("phone-number", "+84912345678"),
    }
    assert [t.name for t in event.tags] == [
        "tlp:green",
        'rsit:fraud="masquerade"',
        'tipline:category="fraud.impersonation"',
        'tipline:category="fraud.investment"',
    ]
    assert event.distribution == 2
    lone = by_info["tipline indicators: fraud.investment, 2026-11 (TLP:CLEAR)"]
    assert values(lone) == {("domain", "vietcombank-xacthuc.com")}


def test_uuids_are_the_same_in_every_export_and_differ_between_instances() -> None:
    ring = campaign()
    objects = [*every_kind(), ring, indicates(every_kind()[0], ring)]
    first, again = misp_events(objects, ORG), misp_events(list(reversed(objects)), ORG)
    assert first == again
    other = misp_events(objects, Org("Thai Police CCIB", "0b5a1c2e-8f0d-4b7a-9e61-3c2d1a0f9e88"))
    mine = {e["Event"]["uuid"] for e in first}
    mine |= {a["uuid"] for e in first for a in e["Event"]["Attribute"]}
    theirs = {e["Event"]["uuid"] for e in other}
    theirs |= {a["uuid"] for e in other for a in e["Event"]["Attribute"]}
    assert len(mine) == len(theirs) > 2
    assert not mine & theirs


def test_sightings_go_in_aggregate_and_a_revoked_indicator_as_a_deleted_attribute() -> None:
    objects = [*shared("url", reports=5), *shared("domain", withdrawn=True)]
    event = loaded(misp_events(objects, ORG)[0])
    by_type = {a.type: a for a in event.attributes}
    assert by_type["url"].comment == "sightings: 5"
    assert by_type["url"].first_seen.isoformat() == "2026-11-03T08:00:00+00:00"
    assert by_type["url"].last_seen.isoformat() == "2026-11-19T16:00:00+00:00"
    assert (by_type["domain"].deleted, by_type["domain"].to_ids) == (True, False)
    back = received(misp_events(objects, ORG)[0])
    assert sorted((r.kind, r.deleted) for r in back) == [("domain", True), ("url", False)]


def test_a_feed_is_a_manifest_its_event_files_and_their_hashes(tmp_path: Path) -> None:
    url, ring = indicator("url"), campaign()
    objects = [*every_kind(), *shared("ip", "10.0.0.1", tlp=Tlp.GREEN), ring, indicates(url, ring)]
    events = misp_events(objects, ORG)
    for name, text in feed_files(events).items():
        (tmp_path / name).write_text(text)
    listed = json.loads((tmp_path / MANIFEST).read_text())
    assert listed == manifest(events)
    assert set(listed) | {"manifest", "hashes"} == {p.stem for p in tmp_path.iterdir()}
    expected_hashes = set()
    for uid, entry in listed.items():
        event = MISPEvent()
        event.load_file(tmp_path / f"{uid}.json")
        meta = event.manifest[uid]
        assert entry["info"] == meta["info"] == event.info
        assert entry["Orgc"] == meta["Orgc"]
        assert [t["name"] for t in entry["Tag"]] == [t["name"] for t in meta["Tag"]]
        assert entry["date"] == meta["date"]
        for name in ("analysis", "threat_level_id", "timestamp"):
            assert int(entry[name]) == int(meta[name]), name
        expected_hashes |= {f"{h},{uid}" for h in event.attributes_hashes("md5")}
    assert set((tmp_path / HASHES).read_text().splitlines()) == expected_hashes
    assert len(expected_hashes) == 12 + 1


def test_every_event_passes_the_misp_format_schema_pymisp_ships() -> None:
    """pymisp's `schema-lax.json` (its strict `schema.json` is of MISP 2.4 before objects and
    first/last seen, which MISP has had since)."""
    schema = json.loads((Path(pymisp.__file__).parent / "data" / "schema-lax.json").read_text())
    validator = jsonschema.Draft4Validator(schema)
    ring = campaign()
    objects = [*every_kind(), *shared("url", "https://x.example/a", withdrawn=True), ring]
    documents = misp_events([*objects, indicates(objects[0], ring)], ORG)
    assert len(documents) == 2
    for document in documents:
        assert [error.message for error in validator.iter_errors(document)] == []
