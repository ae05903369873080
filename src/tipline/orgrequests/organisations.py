"""What an organisation answers for (its bank code, number prefixes, domains) and how fast it
promised to answer: what tipline proposes it by (`service.propose`) and dates its requests by."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import Conflict, InvalidInput
from tipline.orgrequests import core, repository
from tipline.partners.models import Organisation
from tipline.partners.service import find_organisation


def set_answers_for(
    session: Session, actor: str, name: str, bank_code: str | None = None,
    prefixes: str | None = None, domains: str | None = None,
    hours: dict[str, int] | None = None,
) -> Organisation:  # fmt: skip
    """What an organisation answers for (its bank code, number prefixes, domains) and its
    promised response hours per request type; what is not given stays as it was."""
    organisation = find_organisation(session, name)
    if bank_code is not None:
        code = bank_code.strip().upper() or None
        holder = repository.bank_by_code(session, [code]).get(code) if code else None
        if holder is not None and holder.id != organisation.id:
            raise Conflict(f"{holder.name} has the bank code {code}", field="bank_code")
        organisation.bank_code = code
    if prefixes is not None:
        organisation.phone_prefixes = ",".join(core.comma_list(prefixes))
    if domains is not None:
        organisation.domains = ",".join(d.lower() for d in core.comma_list(domains))
    if hours is not None:
        if (problem := core.response_hours_problem(hours)) is not None:
            raise InvalidInput(problem, field="response_hours")
        organisation.response_hours = hours
    details = {
        "bank_code": organisation.bank_code,
        "phone_prefixes": organisation.phone_prefixes,
        "domains": organisation.domains,
        "response_hours": organisation.response_hours,
    }
    record(session, actor, "organisation.answers", "organisation", organisation.id, details)
    session.commit()
    return organisation
