"""Backups end to end: restore into an empty place and compare everything; a backup taken while
reports arrive holds whole reports only; a changed, cut-off or wrongly keyed backup is refused."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker
from tests.instances import Instance, InstanceMaker
from tests.principals import staff

from tipline.audit.anchors import checkpoint_file, load_key
from tipline.audit.service import checkpoint_now, record, verify_anchored, verify_log
from tipline.backups import repository, sealed
from tipline.backups.keys import write_key_file
from tipline.backups.sealed import DamagedBackup, WrongKey
from tipline.backups.service import restore_backup, take_backup, verify_backup
from tipline.errors import Conflict
from tipline.evidence.service import Upload, receive, store_of
from tipline.indicators.models import ReportIndicator
from tipline.intake.service import submit_report
from tipline.keyring import ring_of
from tipline.reports.models import Report
from tipline.reports.schemas import ReportCreate
from tipline.settings import get_settings

FILES = [
    b"%PDF-1.7\n" + bytes(40),
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 70,
    b"chat: 0123 456 789\n",
]


def narrative(number: int) -> str:
    return f"Gọi từ số 0987 {number:06d}, bảo chuyển tiền vào STK 9{number:09d} ngân hàng ACB"


def seed(factory: sessionmaker[Session], instance: Instance, reports: int = 3) -> list[int]:
    """Reports with evidence attached, audit entries and a signed checkpoint."""
    ids = []
    with factory() as session:
        for number in range(reports):
            code = submit_report(session, ReportCreate(narrative=narrative(number)), "api").code
            ids.append(session.scalar(select(Report.id).where(Report.code == code)))
        for content, report_id in zip(FILES, ids, strict=False):
            upload = Upload([content], "proof.bin", None)
            receive(session, store_of(instance.settings), upload, staff("analyst:lan"), 10_000,
                    report_id=report_id)  # fmt: skip
        record(session, "analyst:lan", "report.view", "report", ids[0])
        session.commit()
    checkpoint_now(factory, instance.settings)
    return [i for i in ids if i is not None]


def all_rows(factory: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with factory() as session:
        connection = session.connection()
        tables = repository.table_names(connection)
        quote = connection.dialect.identifier_preparer.quote
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {quote(table)}"))),
                key=repr,
            )
            for table in tables
        }


def evidence_bytes(instance: Instance) -> dict[str, bytes]:
    store = store_of(instance.settings)
    return {p.name: p.read_bytes() for p in store.stored_files() if "incoming" not in p.parts}


def test_a_restore_into_an_empty_place_holds_every_row_file_and_the_audit_chain(
    make_instance: InstanceMaker, tmp_path: Path
) -> None:
    source = make_instance("source")
    factory = source.factory()
    seed(factory, source)
    (source.settings.allowlist_dir).mkdir()
    (source.settings.allowlist_dir / "banks.json").write_text('{"list": ["acb.com.vn"]}')
    rows, files = all_rows(factory), evidence_bytes(source)
    backup = tmp_path / "instance.backup"
    manifest = take_backup(source.settings, backup, include_keys=True)
    assert len(files) == len(FILES) == len(manifest.evidence_hashes)
    assert manifest.tables["report"] == 3
    assert manifest.keys["audit"]["public_key"]
    assert len(manifest.keys["data_keys"]["ids"]) == 1
    assert verify_backup(source.settings, backup).problems == []

    target = make_instance("target", empty=True)
    restore_backup(target.settings, backup)
    restored = target.factory()
    assert all_rows(restored) == rows
    assert evidence_bytes(target) == files
    assert (target.settings.allowlist_dir / "banks.json").read_text() == '{"list": ["acb.com.vn"]}'
    with restored() as session:
        checkpoints = checkpoint_file(target.settings).read()
        assert len(checkpoints) == 1
        anchored = verify_anchored(session, load_key(target.settings).public_key(), checkpoints)
        assert anchored.intact
        assert anchored.checked == verify_log(session).checked >= 1
    assert store_of(target.settings).check(next(iter(manifest.evidence_hashes))) is None


def test_restore_refuses_a_folder_or_database_that_holds_data(
    make_instance: InstanceMaker, tmp_path: Path
) -> None:
    source = make_instance("full")
    seed(source.factory(), source, reports=1)
    backup = tmp_path / "b.backup"
    take_backup(source.settings, backup)
    with pytest.raises(Conflict, match="empty"):
        restore_backup(source.settings, backup)


def test_a_backup_taken_while_reports_arrive_holds_whole_reports_only(
    make_instance: InstanceMaker, tmp_path: Path
) -> None:
    source = make_instance("busy")
    factory = source.factory()
    seed(factory, source, reports=1)
    half_written, backed_up, stop = threading.Event(), threading.Event(), threading.Event()
    submitted: list[int] = []

    def held_submission() -> None:
        """One report flushed with its indicators, committed only after the backup."""
        with factory() as session:
            commit = session.commit

            def late_commit() -> None:
                half_written.set()
                backed_up.wait(60)
                commit()

            session.commit = late_commit  # type: ignore[method-assign]
            submit_report(session, ReportCreate(narrative=narrative(900_000)), "api")

    def stream() -> None:
        number = 1000
        while not stop.is_set():
            with factory() as session:
                submit_report(session, ReportCreate(narrative=narrative(number)), "api")
            submitted.append(number)
            number += 1

    held = threading.Thread(target=held_submission)
    held.start()
    assert half_written.wait(60)
    streaming = threading.Thread(target=stream)
    streaming.start()
    try:
        manifest = take_backup(source.settings, tmp_path / "busy.backup")
    finally:
        backed_up.set()
        stop.set()
        held.join(60)
        streaming.join(60)

    target = make_instance("busy-restored", empty=True)
    restore_backup(target.settings, tmp_path / "busy.backup")
    with target.factory()() as restored, factory() as original:
        assert (
            restored.scalar(select(func.count()).select_from(Report)) == manifest.tables["report"]
        )
        codes = set(restored.scalars(select(Report.code)))
        assert "0987 900000" not in " ".join(restored.scalars(select(Report.narrative)))
        for report in restored.scalars(select(Report)):
            links = restored.scalar(select(func.count()).select_from(ReportIndicator)
                                    .where(ReportIndicator.report_id == report.id))  # fmt: skip
            source_id = original.scalar(select(Report.id).where(Report.code == report.code))
            expected = original.scalar(select(func.count()).select_from(ReportIndicator)
                                       .where(ReportIndicator.report_id == source_id))  # fmt: skip
            assert links == expected >= 2, report.code
        total = original.scalar(select(func.count()).select_from(Report))
    assert len(codes) == manifest.tables["report"] <= total
    assert total == 2 + len(submitted)  # the seeded one, the held one, the streamed ones


def _backup(make_instance: InstanceMaker, tmp_path: Path) -> tuple[Instance, Path]:
    source = make_instance("to-damage")
    seed(source.factory(), source, reports=2)
    backup = tmp_path / "d.backup"
    take_backup(source.settings, backup)
    return source, backup


def test_a_changed_cut_off_or_wrongly_keyed_backup_fails_verify_and_restore(
    make_instance: InstanceMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, backup = _backup(make_instance, tmp_path)
    content = backup.read_bytes()
    changed = tmp_path / "changed.backup"
    changed.write_bytes(content[:5000] + bytes([content[5000] ^ 1]) + content[5001:])
    with pytest.raises(DamagedBackup, match="authentication"):
        verify_backup(source.settings, changed)
    cut = tmp_path / "cut.backup"
    cut.write_bytes(content[: len(content) - 100])
    with pytest.raises(DamagedBackup, match="truncated"):
        verify_backup(source.settings, cut)
    header = tmp_path / "header.backup"
    header.write_bytes(content.replace(b'"version": 1', b'"version": 2', 1))
    with pytest.raises(DamagedBackup, match="authentication"):
        verify_backup(source.settings, header)
    target = make_instance("from-damaged", empty=True)
    with pytest.raises(DamagedBackup):
        restore_backup(target.settings, cut)
    assert not (target.settings.data_dir / "evidence").exists()
    write_key_file(tmp_path / "other.key")
    monkeypatch.setenv("TIPLINE_BACKUP_KEY_FILE", str(tmp_path / "other.key"))
    get_settings.cache_clear()
    with pytest.raises(WrongKey, match="does not open this backup"):
        verify_backup(get_settings(), backup)


def test_a_passphrase_backup_opens_with_the_passphrase_only(
    make_instance: InstanceMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sealed, "ARGON2_MEMORY", 8 * 1024 * 1024)  # the test's speed, not safety
    source = make_instance("passphrase")
    seed(source.factory(), source, reports=1)
    monkeypatch.delenv("TIPLINE_BACKUP_KEY_FILE")
    monkeypatch.setenv("TIPLINE_BACKUP_PASSPHRASE", "correct horse battery staple")
    get_settings.cache_clear()
    take_backup(get_settings(), tmp_path / "p.backup")
    assert verify_backup(get_settings(), tmp_path / "p.backup").intact
    assert b"correct horse" not in (tmp_path / "p.backup").read_bytes()
    monkeypatch.setenv("TIPLINE_BACKUP_PASSPHRASE", "wrong horse battery staple")
    get_settings.cache_clear()
    with pytest.raises(WrongKey):
        verify_backup(get_settings(), tmp_path / "p.backup")


def test_a_restore_opens_victims_data_with_only_the_key_ring_it_restored(
    make_instance: InstanceMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys from the data folder, not the environment: the source's folder is gone before the
    target reads, so only the ring restored from the backup can open the narratives and files;
    a restore without keys names the missing key instead of reading garbage."""
    from tipline.db_types import use_data_keys
    from tipline.keyring import MissingKey

    monkeypatch.delenv("TIPLINE_DATA_KEYS", raising=False)
    source = make_instance("keyed")
    use_data_keys(None, source.settings.data_dir)
    seed(source.factory(), source, reports=2)
    with source.factory()() as session:
        stories = sorted(session.scalars(select(Report.narrative)))
    backup, bare = tmp_path / "with-keys.backup", tmp_path / "no-keys.backup"
    manifest = take_backup(source.settings, backup, include_keys=True)
    take_backup(source.settings, bare)
    current = manifest.keys["data_keys"]["current"]
    for engine in source.engines:
        engine.dispose()
    shutil.rmtree(source.settings.data_dir)

    try:
        target = make_instance("keys-restored", empty=True)
        restore_backup(target.settings, backup)
        use_data_keys(None, target.settings.data_dir)
        assert [key.id for key in ring_of(None, target.settings.data_dir).keys] == [current]
        with target.factory()() as session:
            assert sorted(session.scalars(select(Report.narrative))) == stories
        store = store_of(target.settings)
        opened = sorted(store.read_verified(h) for h in manifest.evidence_hashes)
        assert opened == sorted(FILES[:2])  # seed() attaches one file per report

        keyless = make_instance("keys-missing", empty=True)
        restore_backup(keyless.settings, bare)
        use_data_keys(None, keyless.settings.data_dir)  # a new ring: not the one restored above
        with keyless.factory()() as session, pytest.raises(MissingKey, match=current):
            session.scalars(select(Report.narrative)).all()
    finally:
        use_data_keys(get_settings().data_keys, get_settings().data_dir)
