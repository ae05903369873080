from __future__ import annotations

import pytest

from tipline.sharing.tlp import TLP_ORDER, Tlp, marking_definition, parse_tlp, tlps_up_to

# The OASIS TLP 2.0 marking definitions, copied from the issue (and OASIS's
# cti-stix-common-objects): the ids partners' tools recognise.
OFFICIAL = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


@pytest.mark.parametrize(("level", "marking_id"), OFFICIAL.items())
def test_marking_definitions_are_the_official_objects(level: str, marking_id: str) -> None:
    assert marking_definition(Tlp(level)) == {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": marking_id,
        "created": "2022-10-01T00:00:00.000Z",
        "name": f"TLP:{level.upper()}",
        "extensions": {
            "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                "extension_type": "property-extension",
                "tlp_2_0": level,
            }
        },
    }


def test_order_and_parsing() -> None:
    assert [t.value for t in TLP_ORDER] == list(OFFICIAL)
    assert tlps_up_to(Tlp.AMBER) == (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)
    assert tlps_up_to(Tlp.CLEAR) == (Tlp.CLEAR,)
    for text, tlp in [
        ("TLP:AMBER+STRICT", Tlp.AMBER_STRICT),
        ("amber_strict", Tlp.AMBER_STRICT),
        (" White ", Tlp.CLEAR),
        ("tlp:red", Tlp.RED),
    ]:
        assert parse_tlp(text) is tlp
    with pytest.raises(ValueError, match="a TLP is one of clear, green"):
        parse_tlp("orange")
