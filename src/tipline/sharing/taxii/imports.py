"""What becomes of the objects a partner POSTs: the STIX import (`tipline.sharing.service.
import_bundle`), under the partner agency's name as their source, each object's outcome
reported in the envelope's status.

An indicator filed (or revoked) succeeds; one tipline cannot read (a pattern it does not know,
a legitimate value) fails with the import's reason; an object with no STIX id, or an id of
another type, fails without stopping the rest. Other objects (sightings, identities, markings,
relationships) are read for what they say of the indicators and succeed: tipline files
indicators and their sightings, not the objects themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from tipline.errors import InvalidInput
from tipline.partners.models import Partner
from tipline.principals import Principal
from tipline.sharing.reading import STIX_ID
from tipline.sharing.service import import_bundle
from tipline.sharing.taxii.core import TaxiiError
from tipline.sharing.taxii.service import Outcome

READ_ONLY = "read: tipline files indicators and their sightings"


def _identity(stix_object: dict[str, Any]) -> tuple[str, str | None]:
    stix_id = stix_object.get("id")
    version = stix_object.get("modified") or stix_object.get("created")
    return (
        stix_id if isinstance(stix_id, str) else "",
        version if isinstance(version, str) else None,
    )


def _well_formed(stix_object: dict[str, Any]) -> bool:
    stix_id, stix_type = stix_object.get("id"), stix_object.get("type")
    return (
        isinstance(stix_id, str)
        and STIX_ID.match(stix_id) is not None
        and stix_id.partition("--")[0] == stix_type
    )


def _outcome(stix_object: dict[str, Any], skipped: dict[str, str]) -> Outcome:
    stix_id, version = _identity(stix_object)
    if not _well_formed(stix_object):
        return Outcome(stix_id[:120], version, False, "no STIX id of the object's type")
    if stix_id in skipped:
        return Outcome(stix_id, version, False, skipped[stix_id])
    return Outcome(stix_id, version, True, "" if stix_object["type"] == "indicator" else READ_ONLY)


def import_objects(
    session: Session, caller: Principal, objects: Sequence[dict[str, Any]]
) -> list[Outcome]:
    """Import a partner's objects as its agency's; the outcome of each, in order."""
    partner = session.get(Partner, caller.partner_id) if caller.partner_id else None
    if partner is None:  # the inbox is shown to partner agencies' users only
        raise TaxiiError(403, "only a partner agency may add objects", code="not_a_partner")
    readable = [o for o in objects if _well_formed(o)]
    skipped: dict[str, str] = {}
    if readable:
        bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": readable}
        try:
            summary = import_bundle(session, caller.actor, partner.name, bundle)
        except InvalidInput as exc:
            raise TaxiiError(422, "the objects cannot be imported", exc.message,
                             code="not_importable") from None  # fmt: skip
        skipped = {s.stix_id: s.reason for s in summary.skipped}
    return [_outcome(stix_object, skipped) for stix_object in objects]
