"""The STIX builders and patterns, pure: every kind at every TLP passes the OASIS validator in
strict mode, ids are deterministic and are the ones `stix2` (and OpenCTI) compute, and every
pattern reads back as the indicator it came from."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

import pytest
import stix2
from stix2.canonicalization.Canonicalize import canonicalize
from tests.sharing.stix_checks import problems, validation

from tipline.sharing import patterns, stix
from tipline.sharing.publishing import fragment, text
from tipline.sharing.tlp import TLP_ORDER, Tlp, marking_definition

WHEN = datetime(2026, 12, 1, 8, 30, 15, 123456, tzinfo=UTC)
LATER = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
VERSION = stix.Version(WHEN, LATER)
CAMPAIGN_UID = UUID("5b0c7e1e-3c55-4b8e-9d7a-0a9c8f6e2d11")
BUNDLE_UUID = UUID("6f1e1c52-9a0b-4c3d-8e7f-0a1b2c3d4e5f")
OASIS = UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")

# One canonical value of every kind (spec: indicators.md), with a quote and a backslash in
# the URL to exercise the pattern's escaping.
VALUES = {
    "phone": "+84912345678",
    "bank_account": "VCB:0123456789",
    "url": "https://vietcombank-xacthuc.com/đăng nhập?next=it's\\here",
    "domain": "vietcombank-xacthuc.com",
    "email": "hotro.cskh@gmail.com",
    "ip": "103.97.125.12",
    "crypto": "trx:TQ5NzVXGpqtPWFwNPcYbnbjTS1wNG8Ph2q",
    "hash": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "social": "telegram:hotro_vcb",
}
PATTERNS = {
    "phone": "[phone-number:value = '+84912345678']",
    "bank_account": "[x-tipline-bank-account:value = 'VCB:0123456789']",
    "url": "[url:value = 'https://vietcombank-xacthuc.com/%C4%91%C4%83ng%20nh%E1%BA%ADp"
    "?next=it\\'s%5Chere']",
    "domain": "[domain-name:value = 'vietcombank-xacthuc.com']",
    "email": "[email-addr:value = 'hotro.cskh@gmail.com']",
    "ip": "[ipv4-addr:value = '103.97.125.12']",
    "crypto": "[cryptocurrency-wallet:value = 'TQ5NzVXGpqtPWFwNPcYbnbjTS1wNG8Ph2q']",
    "hash": "[file:hashes.'SHA-256' = "
    "'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']",
    "social": "[x-tipline-social-account:value = 'telegram:hotro_vcb']",
}


def share(kind: str, tlp: Tlp = Tlp.AMBER, reports: int = 3) -> stix.IndicatorShare:
    return stix.IndicatorShare(
        kind, VALUES[kind], tlp, ("fraud.impersonation", "fraud.phishing"), reports, WHEN, LATER
    )


def objects_of(item: stix.IndicatorShare) -> list[dict[str, Any]]:
    found = patterns.observable(item.kind, item.value)
    assert found is not None
    creator = stix.identity_id("tipline")
    return stix.indicator_objects(item, found, creator, VERSION)


def definitions() -> list[dict[str, Any]]:
    return [
        stix.instance_identity("tipline"),
        patterns.project_identity(),
        stix.campaign_extension_definition(),
        *(patterns.extension_definition(c) for c in patterns.CUSTOM_SCOS.values()),
        *(marking_definition(tlp) for tlp in TLP_ORDER),
    ]


def campaign_objects(tlp: Tlp) -> list[dict[str, Any]]:
    campaign = stix.CampaignShare(
        CAMPAIGN_UID, tlp, ("fraud.investment",), 12, WHEN, LATER, (("VND", "150000000.00"),)
    )
    creator = stix.identity_id("tipline")
    body = stix.campaign_object(campaign, creator, VERSION)
    indicator = objects_of(share("phone", tlp))[0]
    link = stix.relationship("indicates", indicator["id"], body["id"], tlp, creator, VERSION)
    return [body, link]


@pytest.mark.parametrize("tlp", TLP_ORDER, ids=str)
def test_every_kind_at_every_tlp_passes_the_strict_validator(tlp: Tlp) -> None:
    objects = definitions() + campaign_objects(tlp)
    for kind in VALUES:
        objects += objects_of(share(kind, tlp))
    bundle = stix.bundle(objects, BUNDLE_UUID)
    assert problems(bundle) == []
    assert {
        o["object_marking_refs"][0]
        for o in objects
        if "created_by_ref" in o["type"] or o["type"] in ("indicator", "sighting")
    } == {tlp.marking_id}
    # The stix2 library reads it back too (its own checks, with tipline's custom types).
    parsed = stix2.parse(bundle, allow_custom=True)
    assert len(parsed["objects"]) == len(objects)


def test_the_validator_does_fail_a_bad_bundle() -> None:
    bundle = stix.bundle(definitions() + objects_of(share("phone")), BUNDLE_UUID)
    broken = copy.deepcopy(bundle)
    broken["objects"][-4]["pattern"] = "[phone-number:value = '+84912345678'"  # no bracket
    broken["objects"][-1]["count"] = -1
    found = problems(broken)
    assert any("pattern" in text.lower() for text in found), found
    assert any("count" in text for text in found), found
    # Without the UUIDv5 exception, the only findings are the deterministic ids.
    full = validation(bundle)
    assert not full.is_valid
    assert {str(e).split(": {")[1][:3] for e in full.errors} == {"103"}


def test_indicator_objects_say_what_is_shared_and_nothing_else() -> None:
    indicator, observable, observed, sighting = objects_of(share("phone", Tlp.GREEN, 2))
    creator = stix.identity_id("tipline")
    assert indicator == {
        "type": "indicator",
        "spec_version": "2.1",
        "id": indicator["id"],
        "created_by_ref": creator,
        "created": "2026-12-01T08:30:15.123Z",
        "modified": "2026-12-05T09:00:00.000Z",
        "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
        "name": "phone number +84912345678",
        "description": "A phone number that analysts confirmed in 2 reports of cybercrime "
        "(fraud.impersonation, fraud.phishing).",
        "indicator_types": ["malicious-activity"],
        "pattern": "[phone-number:value = '+84912345678']",
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": "2026-12-01T08:30:15.123Z",
        "confidence": 80,
        "labels": ["fraud.impersonation", "fraud.phishing"],
    }
    assert observable["value"] == "+84912345678"
    assert observable["extensions"] == {
        "extension-definition--ec75a6bc-6c07-4440-b561-29973a96c5fd": {"extension_type": "new-sco"}
    }
    assert observed["object_refs"] == [observable["id"]]
    assert (observed["number_observed"], observed["last_observed"]) == (
        2,
        "2026-12-05T09:00:00.000Z",
    )
    assert sighting["sighting_of_ref"] == indicator["id"]
    assert sighting["observed_data_refs"] == [observed["id"]]
    assert sighting["where_sighted_refs"] == [creator]
    assert (sighting["count"], sighting["first_seen"]) == (2, "2026-12-01T08:30:15.123Z")


@pytest.mark.parametrize("kind", VALUES)
def test_patterns_and_their_reading(kind: str) -> None:
    found = patterns.observable(kind, VALUES[kind])
    assert found is not None
    assert found.pattern == PATTERNS[kind]
    read = patterns.read_pattern(found.pattern)
    assert read is not None
    assert read.kind == kind
    expected = VALUES[kind].partition(":")[2] if kind == "crypto" else VALUES[kind]
    assert read.text == expected


def test_patterns_tipline_does_not_read() -> None:
    for pattern in [
        "[url:value = 'a' OR url:value = 'b']",
        "[url:value LIKE 'http://%']",
        "[file:name = 'a.exe']",
        "[file:hashes.'SHA-512' = 'ab']",
        "[user-account:account_login = 'x']",
        "[x-other:value = 'x']",
        "not a pattern",
    ]:
        assert patterns.read_pattern(pattern) is None, pattern
    assert patterns.read_pattern("[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']") == (
        patterns.PatternValue("hash", "md5:D41D8CD98F00B204E9800998ECF8427E")
    )
    assert patterns.observable("hash", "pdq:" + "f" * 64) is None


def test_observable_ids_are_the_ones_stix2_computes() -> None:
    library = {
        "url": stix2.URL(value=patterns.as_uri(VALUES["url"])),
        "domain": stix2.DomainName(value=VALUES["domain"]),
        "email": stix2.EmailAddress(value=VALUES["email"]),
        "ip": stix2.IPv4Address(value=VALUES["ip"]),
        "hash": stix2.File(hashes={"SHA-256": VALUES["hash"].partition(":")[2]}),
    }
    for kind, sco in library.items():
        found = patterns.observable(kind, VALUES[kind])
        assert found is not None
        assert found.id == sco.id, kind
    assert patterns.observable("ip", "2001:db8::1") == patterns.observable("ip", "2001:db8::1")
    six = patterns.observable("ip", "2001:db8::1")
    assert six is not None
    assert six.id == stix2.IPv6Address(value="2001:db8::1").id


def opencti_id(stix_type: str, data: dict[str, Any]) -> str:
    """OpenCTI's standard id (pycti's generate_id): UUIDv5, OASIS namespace, canonical JSON."""
    return f"{stix_type}--{uuid5(OASIS, canonicalize(data, utf8=False))}"


def test_domain_object_ids_are_opencti_standard_ids_and_stable() -> None:
    indicator, _, observed, sighting = objects_of(share("url"))
    assert indicator["id"] == opencti_id("indicator", {"pattern": PATTERNS["url"]})
    assert observed["id"] == opencti_id("observed-data", {"objects": observed["object_refs"]})
    creator = opencti_id("identity", {"name": "tipline", "identity_class": "organization"})
    assert stix.instance_identity("Tipline ")["id"] == creator
    assert sighting["id"] == opencti_id(
        "sighting",
        {"type": "sighting", "sighting_of_ref": indicator["id"], "where_sighted_refs": [creator]},
    )
    campaign, link = campaign_objects(Tlp.CLEAR)
    assert campaign["id"] == opencti_id("campaign", {"name": f"campaign {CAMPAIGN_UID}"})
    assert link["id"] == opencti_id(
        "relationship",
        {
            "relationship_type": "indicates",
            "source_ref": link["source_ref"],
            "target_ref": campaign["id"],
        },
    )
    # Other counts, TLP and dates: the same objects, so the same ids.
    again = objects_of(stix.IndicatorShare("url", VALUES["url"], Tlp.RED, (), 9, LATER, LATER))
    assert [o["id"] for o in again] == [o["id"] for o in objects_of(share("url"))]


def test_campaign_carries_aggregates_only() -> None:
    campaign, _ = campaign_objects(Tlp.AMBER)
    assert campaign["name"] == f"Campaign {CAMPAIGN_UID}"
    assert campaign["extensions"] == {
        stix.CAMPAIGN_EXTENSION_ID: {
            "extension_type": "property-extension",
            "report_count": 12,
            "losses": [{"currency": "VND", "amount": "150000000.00"}],
        }
    }
    assert (campaign["first_seen"], campaign["last_seen"]) == (
        "2026-12-01T08:30:15.123Z",
        "2026-12-05T09:00:00.000Z",
    )


def test_revoked_version_and_timestamps() -> None:
    indicator = objects_of(share("email"))[0]
    later = datetime(2026, 12, 9, tzinfo=UTC)
    withdrawn = stix.revoked(indicator, later)
    assert withdrawn["revoked"] is True
    assert withdrawn["modified"] == "2026-12-09T00:00:00.000Z"
    assert withdrawn["id"] == indicator["id"]
    assert stix.timestamp(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05.000Z"


def test_the_observation_text_is_the_observed_datas_json() -> None:
    item = stix.IndicatorShare("url", VALUES["url"], Tlp.AMBER, (), 1234, WHEN, LATER)
    observed = objects_of(item)[2]
    assert stix.observation_text(item) == fragment(stix.observation(item))
    assert stix.observation_text(item) in text(observed)
