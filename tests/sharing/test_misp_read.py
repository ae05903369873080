"""MISP events made by MISP's own library (as another agency's MISP writes them) read back as
the indicators tipline keeps."""

from __future__ import annotations

import json
from typing import Any

from pymisp import MISPEvent, MISPObject, MISPOrganisation, MISPSighting
from tests.sharing.misp_fixtures import no_network  # noqa: F401 (pymisp offline)

from tipline.sharing.misp_read import categories_of_tags, read_events, sightings_of, tlp_of
from tipline.sharing.tlp import Tlp

EVENT_UUID = "5c3e4a1b-7d2f-4e8a-9b0c-1d2e3f4a5b6c"


def partner_event() -> dict[str, Any]:
    event = MISPEvent()
    event.uuid = EVENT_UUID
    event.info = "Investment scam wave"
    orgc = MISPOrganisation()
    orgc.from_dict(name="Thai Police CCIB", uuid="0b5a1c2e-8f0d-4b7a-9e61-3c2d1a0f9e88")
    event.Orgc = orgc
    event.add_tag("tlp:amber")
    event.add_tag('rsit:fraud="phishing"')
    domain = event.add_attribute("domain", "Scam-Invest.VN")
    domain.add_tag("tlp:green")
    for _ in range(3):
        sighting = MISPSighting()
        sighting.from_dict(source="ccib")
        domain.sightings.append(sighting)
    event.add_attribute("ip-src", "203.0.113.7", first_seen="2026-10-01T00:00:00+00:00")
    event.add_attribute("text", "Victim said the caller was polite")
    event.add_attribute("btc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    gone = event.add_attribute("url", "http://old.example/x")
    gone.deleted = True
    wallet = MISPObject("coin-address")
    wallet.add_attribute("address-crypto", "0x52908400098527886E0F7030069857D2E4169EE7")
    wallet.add_attribute("symbol", "ETH")
    event.add_object(wallet)
    account = MISPObject("telegram-account")
    account.add_attribute("username", "@Invest_Guru").add_tag("tlp:red")
    event.add_object(account)
    return dict(json.loads(event.to_json()))


def test_another_misps_event_gives_the_indicators_tipline_keeps() -> None:
    (read,) = read_events([partner_event()])
    assert read.org == "Thai Police CCIB"
    assert read.events == [EVENT_UUID]
    found = {(r.kind, r.value): r for r in read.indicators}
    assert {key: (r.tlp, r.deleted) for key, r in found.items()} == {
        ("domain", "Scam-Invest.VN"): (Tlp.GREEN, False),
        ("ip", "203.0.113.7"): (Tlp.AMBER, False),
        ("crypto", "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"): (Tlp.AMBER, False),
        ("url", "http://old.example/x"): (Tlp.AMBER, True),
        ("crypto", "eth:0x52908400098527886e0f7030069857d2e4169ee7"): (Tlp.AMBER, False),
        ("social", "telegram:invest_guru"): (Tlp.RED, False),
    }
    assert all(r.categories == ("fraud.phishing",) for r in read.indicators)
    assert found[("domain", "Scam-Invest.VN")].sightings == 3
    assert found[("ip", "203.0.113.7")].sightings is None
    assert found[("ip", "203.0.113.7")].first_seen == "2026-10-01T00:00:00+00:00"
    assert [reason for _, reason in read.skipped] == ["a MISP text tipline does not keep"]
    assert "polite" not in json.dumps(read.skipped)


def test_events_are_grouped_by_the_organisation_that_made_them() -> None:
    ours = {"Event": {"uuid": "e1", "Orgc": {"name": "tipline"}, "Attribute": []}}
    theirs = partner_event()
    groups = read_events([ours, theirs, {"Event": {"uuid": "e2", "Org": {"name": "tipline"}}}])
    assert [(g.org, g.events) for g in groups] == [
        ("tipline", ["e1", "e2"]),
        ("Thai Police CCIB", [EVENT_UUID]),
    ]


def test_tags_and_counts_are_read_as_misp_and_tipline_write_them() -> None:
    assert tlp_of(["tlp:white", "rsit:other"]) is Tlp.CLEAR
    assert tlp_of(["TLP:AMBER+STRICT", "tlp:green"]) is Tlp.AMBER_STRICT
    assert tlp_of(["tlp:ex:chr", "misp:x"]) is None
    assert categories_of_tags(['tipline:category="sextortion"', 'rsit:fraud="phishing"']) == (
        "sextortion",
    )
    assert categories_of_tags(['rsit:abusive-content="violence"']) == ("child_exploitation",)
    assert sightings_of({"comment": "sightings: 12"}) == 12
    assert sightings_of({"comment": "seen 12 times"}) is None
