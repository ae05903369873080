"""What becomes of the objects a partner POSTs: the STIX import (`tipline.sharing.service`),
as that partner's, each object's outcome reported in the envelope's status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from tipline.principals import Principal
from tipline.sharing.taxii.service import Outcome


def _identity(stix_object: dict[str, Any]) -> tuple[str, str | None]:
    stix_id = stix_object.get("id")
    version = stix_object.get("modified") or stix_object.get("created")
    return (
        stix_id if isinstance(stix_id, str) else "",
        version if isinstance(version, str) else None,
    )


def import_objects(
    session: Session, caller: Principal, objects: Sequence[dict[str, Any]]
) -> list[Outcome]:
    """Import a partner's objects as its own; the outcome of each, in order."""
    outcomes = []
    for stix_object in objects:
        stix_id, version = _identity(stix_object)
        outcomes.append(Outcome(stix_id, version, False, "imports are not open yet"))
    return outcomes
