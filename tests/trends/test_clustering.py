"""Scripts kept in the database: narratives (encrypted at rest) clustered, ids kept across a
re-clustering, a new report placed, and only ids and k-anonymous words stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.trends.test_scripts import LOAN, POLICE, _stories

from tipline.reports.models import Report
from tipline.trends.clustering import ClusteringRun, place_new, recluster
from tipline.trends.models import ReportScript, Script

NOW = datetime(2026, 11, 10, 5, tzinfo=UTC)


def _reports(session: Session, texts: list[str], first: int) -> list[Report]:
    at = NOW - timedelta(days=3)
    reports = [
        Report(
            code=f"TL-SCRIPT-{first + k:04d}", channel="web", narrative=text, language="vi",
            category="other", urgency="normal", triage_reasons=[], listed_values=[],
            anonymous=False, status="new", created_at=at, updated_at=at,
        )
        for k, text in enumerate(texts)
    ]  # fmt: skip
    session.add_all(reports)
    session.commit()
    return reports


def _scripts(session: Session) -> dict[int, int]:
    return dict(session.execute(select(ReportScript.report_id, ReportScript.script_id)).all())


def test_narratives_become_scripts_that_keep_their_ids(db_session: Session) -> None:
    police = _reports(db_session, _stories(POLICE, 6, 1000), 0)
    loan = _reports(db_session, _stories(LOAN, 6, 5000), 100)
    assert recluster(db_session, NOW) == ClusteringRun(reports=12, scripts=2)
    first = _scripts(db_session)
    assert len({first[r.id] for r in police}) == 1
    assert len({first[r.id] for r in loan}) == 1
    assert first[police[0].id] != first[loan[0].id]
    words = {s.id: (s.words, s.reports) for s in db_session.scalars(select(Script))}
    label = words[first[police[0].id]][0]
    assert len(label) == 6
    stories = [text.lower() for text in _stories(POLICE, 6, 1000)]
    assert all(sum(term in story for story in stories) >= 5 for term in label)
    assert words[first[loan[0].id]][1] == 6
    assert not any(any(c.isdigit() for c in w) for ws, _ in words.values() for w in ws)
    # A new report of the police script joins it; a second run keeps every id.
    late = _reports(db_session, [_stories(POLICE, 7, 3000)[6]], 200)
    assert place_new(db_session, NOW) == ClusteringRun(reports=1, scripts=1)
    assert _scripts(db_session)[late[0].id] == first[police[0].id]
    assert place_new(db_session, NOW) == ClusteringRun(reports=0, scripts=0)
    recluster(db_session, NOW)
    assert _scripts(db_session) == {**first, late[0].id: first[police[0].id]}
