"""Rotation re-encrypts every victim's value and evidence file under the new key, in batches,
idempotently; search follows; the old key can then go, and a key that is gone is a clear error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session, sessionmaker
from tests.principals import staff

from tipline.db_types import use_data_keys
from tipline.evidence.models import Evidence
from tipline.evidence.store import EvidenceStore
from tipline.keyring import MissingKey, new_key, ring_of, sealed_key_id
from tipline.keys import service
from tipline.keys.repository import SEALED
from tipline.reports.models import Report
from tipline.workspace.core import PageRequest, QueueFilter
from tipline.workspace.models import ReportNote
from tipline.workspace.repository import queue_rows

OLD, NEW = new_key().decode(), new_key().decode()
OLD_ID, NEW_ID = ring_of(OLD, Path()).current.id, ring_of(NEW, Path()).current.id
# Rows other tests committed (PostgreSQL keeps them) are under the tests' key: it stays in the
# ring, and this test's transaction, rotation included, is rolled back.
TESTS = os.environ["TIPLINE_DATA_KEYS"]


@pytest.fixture
def keys(tmp_path: Path) -> Iterator[Path]:
    use_data_keys(f"{OLD},{TESTS}", tmp_path)
    yield tmp_path
    use_data_keys(TESTS, tmp_path)


def stored_key_ids(session: Session, report_id: int) -> set[str | None]:
    """The keys the report's values are stored under (its contact, narrative, notes)."""
    found: set[str | None] = set()
    for sealed in SEALED[:3]:
        table = sealed.table
        owner = table.c.id if table.name == "report" else table.c.report_id
        raw = type_coerce(table.c[sealed.column], Text)
        found |= {sealed_key_id(v) for v in session.scalars(select(raw).where(owner == report_id))}
    return found


def found(session: Session, words: str) -> list[str]:
    rows = queue_rows(session, staff("analyst:lan"), QueueFilter(text=words), PageRequest())
    return [row.code for row in rows]


def test_rotation_reseals_values_and_files_and_search_follows(
    keys: Path, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    store = EvidenceStore(keys)
    report = Report(code="TL-ROTATE1", channel="api", narrative="Lừa qua Zalo, gói quixotrap",
                    language="vi", category="fraud.other", urgency="normal",
                    reporter_contact="Chị Hạnh 0912000111")  # fmt: skip
    db_session.add(report)
    db_session.flush()
    db_session.add(ReportNote(report_id=report.id, author="reporter", text="thêm quixotrap"))
    put = store.put([b"%PDF-1.4 sao ke"], 10_000, lambda _check: "application/pdf")
    db_session.add(Evidence(sha256=put.sha256, size=put.size, media_type="application/pdf",
                            original_name="sao-ke-hanh.pdf", uploaded_by="reporter"))  # fmt: skip
    db_session.commit()
    assert stored_key_ids(db_session, report.id) == {OLD_ID}
    assert store.key_of(put.sha256) == OLD_ID

    ring = use_data_keys(f"{NEW},{OLD},{TESTS}", keys)
    assert found(db_session, "QUIXOTRAP zalo") == ["TL-ROTATE1"]  # mid-rotation: either key
    done = service.rotate(session_factory, store, ring, lambda _n: None)
    assert done.values >= 4  # its narrative, contact, note and file name (and others' rows)
    assert done.files >= 1
    db_session.expire_all()
    assert stored_key_ids(db_session, report.id) == {NEW_ID}
    assert store.key_of(put.sha256) == NEW_ID
    assert store.read_verified(put.sha256) == b"%PDF-1.4 sao ke"
    again = service.rotate(session_factory, store, ring, lambda _n: None)
    assert (again.values, again.files) == (0, 0)
    with db_session.begin_nested():
        usage = service.key_usage(db_session, store)
    assert set(usage) == {NEW_ID}
    assert usage[NEW_ID] >= 5

    use_data_keys(NEW, keys)  # the old keys retired
    db_session.expire_all()
    assert found(db_session, "quixotrap") == ["TL-ROTATE1"]
    assert db_session.get(Report, report.id).reporter_contact == "Chị Hạnh 0912000111"  # type: ignore[union-attr]
    assert found(db_session, "quixo") == []  # whole words only

    use_data_keys(new_key().decode(), keys)  # a key that is not the one it was sealed under
    db_session.expire_all()
    with pytest.raises(MissingKey, match=NEW_ID):
        db_session.get(Report, report.id)
