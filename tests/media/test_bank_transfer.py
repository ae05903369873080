"""Importing a bank from a file (in committed chunks, lines that are not hashes reported) and
exporting it only where its TLP and kind allow."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.media.banks import LEAD, bank_with, md5, pdq, pdq_value

from tipline.audit.models import AuditEntry
from tipline.errors import InvalidInput, NotPermitted
from tipline.media import service, transfer
from tipline.media.core import HashValue, Signal
from tipline.partners.service import add_organisation, add_partner
from tipline.principals import Principal, Role
from tipline.sharing.policies import PolicyChange, set_policy


def test_an_import_goes_in_chunks_and_reports_bad_lines(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "CHUNK", 4)
    bank = bank_with(db_session, "NCII", "ncii", values=[pdq_value(pdq(1))])
    lines = [f"pdq {pdq(n)}" for n in range(1, 11)] + ["pdq nothex", f"md5,{md5('a')}"]
    told: list[int] = []
    done = transfer.import_hashes(db_session, LEAD, bank.id, "hma", lines, "file.txt", told.append)
    assert (done.added, done.skipped, done.refused) == (10, 1, 1)
    assert [(p.line, "64 hexadecimal" in p.reason) for p in done.problems] == [(11, True)]
    assert told == [4, 4, 3]
    imports = db_session.scalars(
        select(AuditEntry.details_json).where(
            AuditEntry.action.in_(["media.hash.import", "media.hash.add"])
        )
    ).all()
    assert len(imports) == 2  # the bank's first hash, then one entry for the whole import
    assert '"added":10,' in imports[1]
    assert service.view_bank(db_session, LEAD, bank.id).summary.counts["pdq"] == 10
    with pytest.raises(InvalidInput):
        transfer.import_hashes(db_session, LEAD, bank.id, "stix", [], "x")


def _export(session: Session, bank_id: int, fmt: str = "hma", **recipient: str) -> str:
    return "".join(transfer.export_bank(session, LEAD, bank_id, fmt, "tipline", **recipient))


def test_a_red_bank_is_never_exported(db_session: Session) -> None:
    red = bank_with(db_session, "Red", "other", values=[pdq_value(pdq(1))], tlp="red")
    for fmt in ("hma", "threatexchange", "stix"):
        with pytest.raises(NotPermitted, match="TLP:RED"):
            _export(db_session, red.id, fmt)


def test_a_child_bank_goes_only_to_a_granted_recipient(db_session: Session) -> None:
    add_organisation(db_session, "cli:test", "Meta", "platform")
    add_organisation(db_session, "cli:test", "Zalo", "platform")
    add_organisation(db_session, "cli:test", "Owner", "platform")
    child = bank_with(db_session, "CSAM known", values=[HashValue(Signal.MD5, md5("k"))],
                      owner_organisation="Owner")  # fmt: skip
    service.grant(db_session, LEAD, child.id, organisation="Meta")
    with pytest.raises(NotPermitted, match="child bank"):
        _export(db_session, child.id, "stix")
    with pytest.raises(NotPermitted, match="Zalo is not granted"):
        _export(db_session, child.id, "stix", organisation="Zalo")
    assert _export(db_session, child.id, organisation="Meta") == f"md5 {md5('k')}\n"
    assert _export(db_session, child.id, organisation="Owner") == f"md5 {md5('k')}\n"


def test_a_partner_receives_a_bank_within_its_tlp(db_session: Session) -> None:
    add_partner(db_session, "cli:test", "Thai CCIB", "TH")
    bank = bank_with(db_session, "Scams", "other", values=[pdq_value(pdq(2))], tlp="amber")
    service.grant(db_session, LEAD, bank.id, partner="Thai CCIB")
    with pytest.raises(NotPermitted, match="up to TLP:CLEAR, this bank is TLP:AMBER"):
        _export(db_session, bank.id, "stix", partner="Thai CCIB")
    set_policy(db_session, "cli:test", "Thai CCIB", PolicyChange(max_tlp="amber"))
    assert '"PDQ"' in _export(db_session, bank.id, "stix", partner="Thai CCIB")
    exports = db_session.scalars(
        select(AuditEntry.details_json).where(AuditEntry.action == "media.bank.export")
    ).all()
    assert len(exports) == 1
    assert "Thai CCIB" in exports[0]


def test_only_staff_export(db_session: Session) -> None:
    bank = bank_with(db_session, "Scams", "other", values=[pdq_value(pdq(2))], tlp="clear")
    platform = Principal(5, "meta", Role.PLATFORM, "token", organisation_id=1)
    with pytest.raises(NotPermitted):
        transfer.export_bank(db_session, platform, bank.id, "hma", "tipline")
    assert _export(db_session, bank.id) == f"pdq {pdq(2)}\n"
