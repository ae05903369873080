"""Every share in the audit log: what went, to whom, when, and under which policy.

Each channel (a STIX bundle written, a TAXII page served, a MISP feed written, a push to a
partner's collection) calls `record_share` once per share, inside its own transaction: the
entry is committed with the rest of the caller's work, or not at all. The entry names objects by
their STIX ids only (never a value's victim, a narrative or a contact), at most `MAX_IDS` of them;
the count is always exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tipline.audit.core import AuditRecord
from tipline.audit.service import record
from tipline.partners.models import Partner
from tipline.sharing.policy import KINDS, SharingPolicy
from tipline.vocabulary import CATEGORIES

SHARE_ACTION = "share"
MAX_IDS = 200
EVERY = "all"


def policy_record(policy: SharingPolicy) -> dict[str, Any]:
    """A policy as the audit log keeps it: `{"max_tlp": "amber", "categories": [...] or "all",
    "kinds": [...] or "all", "campaigns": true}`."""
    categories = EVERY if policy.categories >= set(CATEGORIES) else sorted(policy.categories)
    kinds = EVERY if policy.kinds >= set(KINDS) else sorted(policy.kinds)
    return {
        "max_tlp": policy.max_tlp.value,
        "categories": categories,
        "kinds": kinds,
        "campaigns": policy.campaigns,
    }


def share_details(
    recipient: str, policy: SharingPolicy, what: str, count: int, ids: Sequence[str] = ()
) -> dict[str, Any]:
    """The details of one share's audit entry (pure: `record_share` writes them)."""
    details: dict[str, Any] = {
        "what": what,
        "count": count,
        "to": recipient,
        "policy": policy_record(policy),
    }
    if ids:
        details["ids"] = list(ids[:MAX_IDS])
        if len(ids) > MAX_IDS:
            details["ids_truncated"] = True
    return details


def record_share(
    session: Session,
    actor: str,
    partner: Partner | str | None,
    policy: SharingPolicy,
    what: str,
    count: int,
    *,
    ids: Sequence[str] = (),
    now: datetime | None = None,
) -> AuditRecord:
    """Record one share in the audit log (action `share`), in the caller's transaction.

    - `actor`: who shared (`cli:admin`, or the partner's user who pulled: `partner:ccib`);
    - `partner`: the agency that received it; a plain name for a receiver that is no partner
      record (a MISP instance, "file"); None for an export written without a receiver;
    - `policy`: the policy the objects were chosen under (the partner's, or the export's TLP);
    - `what`: the channel and form, e.g. `stix.bundle`, `taxii.objects`, `misp.feed`;
    - `count`: how many objects went; `ids`: their STIX ids (the first `MAX_IDS` are kept).
    """
    if isinstance(partner, Partner):
        target_type, target_id, recipient = "partner", str(partner.id), partner.name
    else:
        recipient = (partner or "export")[:200]
        target_type, target_id = "recipient", recipient
    details = share_details(recipient, policy, what, count, ids)
    return record(session, actor, SHARE_ACTION, target_type, target_id, details, now=now)
