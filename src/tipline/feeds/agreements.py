"""Organisations' feed agreements: what each may pull, shown and changed by admins (the CLI
and the organisations page). Each change is in the audit log, with the old and new agreement.

Here, not in `tipline.partners` (which holds the organisation's record): an agreement's words
are the feed's (`tipline.feeds.core`), and the partners package may not import them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import InvalidInput
from tipline.feeds.core import Agreement, agreement_problem
from tipline.feeds.repository import agreement_of
from tipline.partners.core import agreement_line
from tipline.partners.models import Organisation
from tipline.partners.service import find_organisation, list_organisations


@dataclass(frozen=True, slots=True)
class AgreementChange:
    """What to change of an agreement; None keeps that part."""

    kinds: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    min_confidence: int | None = None


def agreement_record(agreement: Agreement) -> dict[str, object]:
    return {
        "kinds": sorted(agreement.kinds),
        "categories": sorted(agreement.categories),
        "min_confidence": agreement.min_confidence,
    }


def agreement_summary(agreement: Agreement) -> str:
    """One line: `kinds: phone, url · categories: all · confidence ≥ 70`, or `none`."""
    return agreement_line(agreement.kinds, agreement.categories, agreement.min_confidence)


def set_agreement(
    session: Session, actor: str, name: str, change: AgreementChange
) -> tuple[Organisation, Agreement]:
    """Change an organisation's agreement (commits; no change, no audit entry)."""
    organisation = find_organisation(session, name)
    old = agreement_of(organisation)
    new = Agreement(
        old.kinds if change.kinds is None else change.kinds,
        old.categories if change.categories is None else change.categories,
        old.min_confidence if change.min_confidence is None else change.min_confidence,
    )
    if problem := agreement_problem(new.kinds, new.categories, new.min_confidence):
        field = "min_confidence" if "confidence" in problem else "categories"
        raise InvalidInput(problem, field="kinds" if "kind" in problem else field)
    if new == old:
        return organisation, old
    organisation.feed_kinds = ",".join(sorted(new.kinds))
    organisation.feed_categories = ",".join(sorted(new.categories))
    organisation.feed_min_confidence = new.min_confidence
    details = {
        "name": organisation.name,
        "old": agreement_record(old),
        "new": agreement_record(new),
    }
    record(session, actor, "organisation.agreement", "organisation", organisation.id, details)
    session.commit()
    return organisation, new


def organisation_agreement(session: Session, name: str) -> tuple[Organisation, Agreement]:
    organisation = find_organisation(session, name)
    return organisation, agreement_of(organisation)


def organisations_with_agreements(session: Session) -> Sequence[tuple[Organisation, str]]:
    """Every organisation by name, with its agreement in one line."""
    return [(o, agreement_summary(agreement_of(o))) for o in list_organisations(session)]
