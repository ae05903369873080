"""TLP 2.0 (FIRST), as the OASIS STIX extension defines its marking-definition objects.

The five official objects are pinned here as OASIS publishes them (oasis-open/
cti-stix-common-objects, extension-definition-specifications/tlp-2.0/examples;
extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d): much code in the wild gets the
identifiers wrong, and a partner's tools recognise the marking only by them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

TLP_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"


class Tlp(StrEnum):
    """From most shareable to least; a partner allowed `amber` receives clear, green and amber."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def rank(self) -> int:
        return TLP_ORDER.index(self)

    @property
    def label(self) -> str:
        """`TLP:AMBER+STRICT`."""
        return f"TLP:{self.value.upper()}"

    @property
    def marking_id(self) -> str:
        return f"marking-definition--{MARKING_UUIDS[self]}"


TLP_ORDER: tuple[Tlp, ...] = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)
TLPS: tuple[str, ...] = tuple(t.value for t in TLP_ORDER)

MARKING_UUIDS: dict[Tlp, str] = {
    Tlp.CLEAR: "94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_BY_MARKING: dict[str, Tlp] = {tlp.marking_id: tlp for tlp in TLP_ORDER}


def parse_tlp(text: str) -> Tlp:
    """`clear`, `TLP:CLEAR`, `amber+strict`, `AMBER_STRICT` → the TLP; ValueError otherwise.

    `white` (TLP 1.0) is read as clear, as FIRST's TLP 2.0 says."""
    word = text.strip().lower().removeprefix("tlp:").replace("_", "+").replace(" ", "+")
    if word == "white":
        word = "clear"
    try:
        return Tlp(word)
    except ValueError:
        raise ValueError(f"a TLP is one of {', '.join(TLPS)}, not {text!r}") from None


def tlps_up_to(highest: Tlp) -> tuple[Tlp, ...]:
    """The TLPs a receiver allowed `highest` may receive: `amber` → clear, green, amber."""
    return TLP_ORDER[: highest.rank + 1]


def marking_definition(tlp: Tlp) -> dict[str, Any]:
    """The official STIX 2.1 marking-definition object of a TLP 2.0 level."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tlp.marking_id,
        "created": TLP_CREATED,
        "name": tlp.label,
        "extensions": {
            TLP_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": tlp.value}
        },
    }
