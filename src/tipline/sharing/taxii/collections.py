"""The API root and its collections, and which callers see which (pure).

- `indicators` (read): the published objects the caller may receive, decided in the query of
  `tipline.sharing.repository.readable_objects` (a partner: what its agency's policy admits,
  campaigns only when the policy gives them; staff: everything).
- `inbox` (write): where a partner agency POSTs envelopes of its own indicators, imported as
  that partner's (`tipline.sharing.service.import_bundle`).

A partner's user or token sees both; staff see `indicators` (they import through the CLI); a
partner role tied to no agency, a platform's token, anyone else: none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tipline.sharing.taxii.core import MEDIA_TYPE, STIX_MEDIA_TYPE

API_ROOT = "tipline"
SERVER_TITLE = "tipline TAXII 2.1"


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    alias: str
    title: str
    description: str
    can_read: bool
    can_write: bool

    def resource(self) -> dict[str, Any]:
        """The collection resource (section 5.2.1)."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "alias": self.alias,
            "can_read": self.can_read,
            "can_write": self.can_write,
            "media_types": [STIX_MEDIA_TYPE],
        }


INDICATORS = Collection(
    id="7d1a9c43-1f0e-5b9e-9a55-3c2e6f1d8a01",
    alias="indicators",
    title="tipline indicators",
    description=(
        "Confirmed indicators of fraud and abuse (and campaigns, where the policy gives them), "
        "as STIX 2.1 with TLP 2.0 markings: what your agency's sharing policy admits."
    ),
    can_read=True,
    can_write=False,
)
INBOX = Collection(
    id="4b6e2f80-96c1-5d3a-8e07-b1f5c9a2d402",
    alias="inbox",
    title="tipline inbox",
    description="Send your agency's indicators here: STIX 2.1 objects in a TAXII envelope.",
    can_read=False,
    can_write=True,
)
COLLECTIONS = (INDICATORS, INBOX)


def visible_collections(staff: bool, partner: bool) -> tuple[Collection, ...]:
    """The collections a caller sees: staff the read collection, a partner agency's user both,
    anyone else none."""
    if partner:
        return COLLECTIONS
    return (INDICATORS,) if staff else ()


def discovery(prefix: str) -> dict[str, Any]:
    """The discovery resource (section 4.1.1); `prefix` is where the server is mounted."""
    root = f"{prefix}/{API_ROOT}/"
    return {
        "title": SERVER_TITLE,
        "description": "Indicators of cybercrime against ordinary people, shared by policy.",
        "default": root,
        "api_roots": [root],
    }


def api_root(max_content_length: int) -> dict[str, Any]:
    """The API root resource (section 4.2.1)."""
    return {
        "title": "tipline",
        "description": "Collections of indicators shared with partner agencies.",
        "versions": [MEDIA_TYPE],
        "max_content_length": max_content_length,
    }
