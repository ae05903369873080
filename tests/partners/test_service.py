from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.audit.models import AuditEntry
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.partners import service

CONTACTS = "Capt. Somchai, +66 81 234 5678, somchai@example.th"


def test_add_partner_keeps_contacts_and_logs_only_the_name(db_session: Session) -> None:
    partner = service.add_partner(db_session, "cli:an", " Thai  CCIB ", "th", CONTACTS)
    assert (partner.name, partner.country, partner.contacts) == ("Thai CCIB", "TH", CONTACTS)
    entry = db_session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.target_id) == ("partner.add", str(partner.id))
    assert json.loads(entry.details_json) == {"name": "Thai CCIB", "country": "TH"}
    assert "Somchai" not in repr(partner)
    assert service.find_partner(db_session, "Thai CCIB").id == partner.id


def test_add_organisation(db_session: Session) -> None:
    bank = service.add_organisation(db_session, "cli:an", "Vietcombank", " Bank ", CONTACTS)
    telco = service.add_organisation(db_session, "cli:an", "Viettel", "telecom")
    assert (bank.kind, telco.kind, telco.contacts) == ("bank", "telecom", "")
    assert [o.name for o in service.list_organisations(db_session)] == ["Vietcombank", "Viettel"]
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.target_id == str(bank.id)))
    assert json.loads(entry.one().details_json) == {"name": "Vietcombank", "kind": "bank"}


def test_refusals(db_session: Session) -> None:
    service.add_partner(db_session, "cli:an", "Thai CCIB", "TH")
    with pytest.raises(Conflict, match="already exists"):
        service.add_partner(db_session, "cli:an", "Thai  CCIB", "TH")
    with pytest.raises(InvalidInput) as bad_country:
        service.add_partner(db_session, "cli:an", "Khmer police", "Cambodia")
    assert bad_country.value.field == "country"
    with pytest.raises(InvalidInput) as bad_kind:
        service.add_organisation(db_session, "cli:an", "Lucky88", "casino")
    assert bad_kind.value.field == "kind"
    with pytest.raises(NotFound):
        service.find_organisation(db_session, "Nobody")
    assert [p.name for p in service.list_partners(db_session)] == ["Thai CCIB"]
