"""Partners and organisations: add them, list them, find the one a user acts for.

Each addition is recorded in the audit log with its name only: contacts are personal data.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.partners import core, repository
from tipline.partners.models import Organisation, Partner


def _checked(problem: str | None, field: str) -> None:
    if problem is not None:
        raise InvalidInput(problem, field=field)


def _checked_name(name: str, contacts: str) -> str:
    clean = core.normal_name(name)
    _checked(core.name_problem(clean), "name")
    _checked(core.contacts_problem(contacts), "contacts")
    return clean


def add_partner(
    session: Session, actor: str, name: str, country: str, contacts: str = ""
) -> Partner:
    """Add a partner agency abroad."""
    clean = _checked_name(name, contacts)
    code = core.normal_country(country)
    _checked(core.country_problem(code), "country")
    if repository.partner_by_name(session, clean) is not None:
        raise Conflict(f"partner {clean!r} already exists", field="name")
    partner = Partner(name=clean, country=code, contacts=contacts.strip(), created_at=utc_now())
    repository.add(session, partner)
    record(session, actor, "partner.add", "partner", partner.id, {"name": clean, "country": code})
    session.commit()
    return partner


def add_organisation(
    session: Session, actor: str, name: str, kind: str, contacts: str = ""
) -> Organisation:
    """Add an organisation: a bank, a telecom, a platform."""
    clean = _checked_name(name, contacts)
    chosen = kind.strip().lower()
    _checked(core.kind_problem(chosen), "kind")
    if repository.organisation_by_name(session, clean) is not None:
        raise Conflict(f"organisation {clean!r} already exists", field="name")
    organisation = Organisation(
        name=clean, kind=chosen, contacts=contacts.strip(), created_at=utc_now()
    )
    repository.add(session, organisation)
    details = {"name": clean, "kind": chosen}
    record(session, actor, "organisation.add", "organisation", organisation.id, details)
    session.commit()
    return organisation


def list_partners(session: Session) -> Sequence[Partner]:
    """Every partner agency, by name."""
    return repository.all_partners(session)


def list_organisations(session: Session) -> Sequence[Organisation]:
    """Every organisation, by name."""
    return repository.all_organisations(session)


def find_partner(session: Session, name: str) -> Partner:
    partner = repository.partner_by_name(session, core.normal_name(name))
    if partner is None:
        raise NotFound(f"no partner {name!r}", field="partner")
    return partner


def find_organisation(session: Session, name: str) -> Organisation:
    organisation = repository.organisation_by_name(session, core.normal_name(name))
    if organisation is None:
        raise NotFound(f"no organisation {name!r}", field="organisation")
    return organisation


def feed_agreement(organisation: Organisation) -> str:
    """What the organisation may pull from the feed, in one line (`tipline.feeds` sets it)."""
    return core.agreement_line(
        core.listed_words(organisation.feed_kinds),
        core.listed_words(organisation.feed_categories),
        organisation.feed_min_confidence,
    )
