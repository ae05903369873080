"""The purge: each class past its retention goes for real (from the database's own files and
the evidence store), what is held or recent stays, the report's figures stay, one audit entry."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session
from tests.conftest import POSTGRES_URL
from tests.instances import Instance, InstanceMaker
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.audit.service import verify_log
from tipline.cases.service import add_report, create_case
from tipline.db_types import utc_now
from tipline.evidence.models import Evidence
from tipline.evidence.service import Upload, receive, store_of
from tipline.indicators.models import ReportIndicator
from tipline.intake.service import submit_report
from tipline.media.models import Bank, BankHash
from tipline.orgrequests.models import OrgRequest, OrgRequestLine
from tipline.partners.models import Organisation
from tipline.reports.models import Report
from tipline.reports.schemas import ReportCreate
from tipline.retention.core import DataClass, Policy
from tipline.retention.service import purge

OLD = timedelta(days=400)
POLICY = Policy(dict.fromkeys(DataClass, 30))
ANALYST = staff("analyst:lan")


def report(session: Session, word: str, contact: str, age: timedelta = timedelta(0)) -> int:
    """A report whose narrative holds `word` (longer than a page: what an update frees is
    then whole pages, as for a long narrative), made `age` ago."""
    story = f"Kẻ lừa {word} gọi từ số 0987 654 321 bảo chuyển 5.000.000đ vào STK 0123456789. "
    narrative = story + f"Tôi đã tin {word} và chuyển tiền. " * 200
    code = submit_report(session, ReportCreate(narrative=narrative, contact=contact), "api").code
    report_id = session.scalar(select(Report.id).where(Report.code == code))
    assert report_id is not None
    session.execute(update(Report).where(Report.id == report_id)
                    .values(created_at=utc_now() - age))  # fmt: skip
    session.commit()
    return report_id


def evidence(
    session: Session, instance: Instance, content: bytes, age: timedelta, **target: int
) -> str:
    upload = Upload([content], "chat.txt", None)
    received = receive(session, store_of(instance.settings), upload, ANALYST, 10_000, **target)
    session.execute(update(Evidence).where(Evidence.id == received.evidence.id)
                    .values(uploaded_at=utc_now() - age))  # fmt: skip
    session.commit()
    return received.evidence.sha256


def bank_with_hashes(session: Session) -> None:
    bank = Bank(name="NCII", kind="ncii", owner="tipline", created_by="test")
    session.add(bank)
    session.flush()
    session.add_all([
        BankHash(bank_id=bank.id, signal="md5", value="a" * 32, added_at=utc_now() - OLD),
        BankHash(bank_id=bank.id, signal="md5", value="b" * 32, added_at=utc_now()),
    ])  # fmt: skip
    session.commit()


def requests(session: Session) -> None:
    organisation = Organisation(name="ACB", kind="bank")
    session.add(organisation)
    session.flush()
    for reference, status in (("YC-1", "answered"), ("YC-2", "sent"), ("YC-3", "cancelled")):
        made = utc_now() - (OLD if reference != "YC-3" else timedelta(days=1))
        request = OrgRequest(reference=reference, organisation_id=organisation.id, type="freeze",
                             status=status, created_by="analyst:lan", created_at=made,
                             answered_at=made if status == "answered" else None)  # fmt: skip
        session.add(request)
        session.flush()
        session.add(OrgRequestLine(request_id=request.id, kind="account", value="ACB:123456789"))
    session.commit()


def seeded(make_instance: InstanceMaker) -> tuple[Instance, dict[str, object]]:
    instance = make_instance("retention")
    with instance.factory()() as session:
        old = report(session, "quokkaold", "quokka.old@example.org", OLD)
        held = report(session, "quokkaheld", "quokka.held@example.org", OLD)
        new = report(session, "quokkanew", "quokka.new@example.org")
        case = create_case(session, ANALYST, "Held")
        add_report(session, case.id, held, ANALYST)
        files = {
            "old": evidence(session, instance, b"old chat quokkafile", OLD, report_id=old),
            "case": evidence(session, instance, b"case chat quokkafile", OLD, case_id=case.id),
            "new": evidence(session, instance, b"new chat quokkafile", timedelta(0), report_id=new),
        }
        bank_with_hashes(session)
        requests(session)
        links = session.scalar(select(func.count()).select_from(ReportIndicator))
    return instance, {"reports": (old, held, new), "files": files, "links": links}


def stored(session: Session, report_id: int) -> tuple[str, ...]:
    """The narrative, search terms and contact as the database holds them (encrypted)."""
    statement = text("SELECT narrative, search_terms, reporter_contact FROM report WHERE id = :i")
    return tuple(session.execute(statement, {"i": report_id}).one())


def database_bytes(instance: Instance) -> bytes:
    path = instance.settings.data_dir / "tipline.db"
    wal = path.with_name("tipline.db-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_a_purge_removes_each_class_past_its_retention_for_real(
    make_instance: InstanceMaker,
) -> None:
    instance, seed = seeded(make_instance)
    old, held, new = seed["reports"]  # type: ignore[misc]
    files: dict[str, str] = seed["files"]  # type: ignore[assignment]
    store = store_of(instance.settings)
    with instance.factory()() as session:
        stored_before = {i: stored(session, i) for i in (old, new)}
        outcome = purge(session, POLICY, store)
    assert outcome.counts == {DataClass.NARRATIVES: 1, DataClass.CONTACTS: 1,
                              DataClass.EVIDENCE: 1, DataClass.HASHES: 1,
                              DataClass.REQUESTS: 1}  # fmt: skip

    with instance.factory()() as session:
        kept = {r.id: r for r in session.scalars(select(Report))}
        purged = kept[old]
        assert (purged.narrative, purged.search_terms, purged.reporter_contact) == ("", "", None)
        assert kept[old].category == kept[new].category
        assert kept[old].loss_amount == kept[new].loss_amount
        assert "quokkaheld" in kept[held].narrative
        assert kept[new].reporter_contact == "quokka.new@example.org"
        assert session.scalar(select(func.count()).select_from(ReportIndicator)) == seed["links"]
        assert set(session.scalars(select(Evidence.sha256))) == {files["case"], files["new"]}
        assert sorted(session.scalars(select(BankHash.value))) == ["", "b" * 32]
        assert sorted(session.scalars(select(OrgRequest.reference))) == ["YC-2", "YC-3"]
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "retention.purge")
        ).one()
        assert json.loads(entry.details_json)["counts"]["narratives"] == 1
        assert "quokka" not in entry.details_json
        assert verify_log(session).intact
    assert not store.path_for(files["old"]).exists()
    assert store.path_for(files["case"]).exists()
    if POSTGRES_URL:
        return
    raw = database_bytes(instance)
    # A long value spans pages: its first 100 bytes are contiguous.
    assert stored_before[new][0].encode()[:100] in raw  # the search finds what is there
    gone = [b"quokkaold", b"quokka.old@example.org", b"a" * 32]
    gone += [value.encode()[:100] for value in stored_before[old] if value]
    assert [value for value in gone if value in raw] == []


def test_a_dry_run_counts_and_changes_nothing(make_instance: InstanceMaker) -> None:
    instance, _seed = seeded(make_instance)
    with instance.factory()() as session:
        outcome = purge(session, POLICY, store_of(instance.settings), dry_run=True)
        assert outcome.counts[DataClass.EVIDENCE] == 1
        assert outcome.total == 5
        assert session.scalar(select(func.count()).select_from(Report)
                              .where(Report.narrative == "")) == 0  # fmt: skip
        audited = select(func.count()).where(AuditEntry.action == "retention.purge")
        assert session.scalar(audited) == 0
