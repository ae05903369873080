"""The queue's queries: order, each filter, full-text search and keyset pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.reports.models import Report
from tipline.reports.repository import insert_reports
from tipline.workspace import repository
from tipline.workspace.core import PageRequest, QueueFilter
from tipline.workspace.repository import queue_rows

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # as in conftest.py
StoredReportMaker = Callable[..., Report]


def codes(
    session: Session, flt: QueueFilter | None = None, page: PageRequest | None = None
) -> list[str]:
    rows = queue_rows(session, staff("analyst:lan"), flt or QueueFilter(), page or PageRequest())
    return [row.code for row in rows]


def test_urgency_rank_follows_urgency(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    ranks = {
        u: stored_report(urgency=u).urgency_rank for u in ("critical", "high", "normal", "low")
    }
    assert ranks == {"critical": 0, "high": 1, "normal": 2, "low": 3}


def test_bulk_inserted_reports_get_their_rank(db_session: Session) -> None:
    rows = [
        {"channel": "import", "narrative": u, "language": "vi", "category": "other", "urgency": u,
         "triage_reasons": [], "listed_values": [], "anonymous": False, "status": "new",
         "created_at": NOW, "updated_at": NOW, "source": "test", "external_id": u}
        for u in ("low", "critical", "normal", "high")
    ]  # fmt: skip
    ids = insert_reports(db_session, rows)
    ranks = dict(
        db_session.execute(
            select(Report.urgency, Report.urgency_rank).where(Report.id.in_(ids.values()))
        ).all()
    )
    assert ranks == {"low": 3, "critical": 0, "normal": 2, "high": 1}


def test_queue_is_most_urgent_then_oldest_first(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    low_old = stored_report(urgency="low", age=timedelta(days=30))
    normal_new = stored_report(urgency="normal", age=timedelta(hours=1))
    normal_old = stored_report(urgency="normal", age=timedelta(days=2))
    critical_new = stored_report(urgency="critical", age=timedelta(minutes=5))
    high = stored_report(urgency="high", age=timedelta(days=1))
    expected = [critical_new, high, normal_old, normal_new, low_old]
    assert codes(db_session) == [r.code for r in expected]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (QueueFilter(category="fraud.loan"), {"loan"}),
        (QueueFilter(status="closed"), {"closed"}),
        (QueueFilter(province="Huế"), {"hue"}),
        (QueueFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 1)), {"old"}),
        (QueueFilter(category="fraud.loan", status="closed"), set()),
        (QueueFilter(text="Telegram"), {"telegram"}),
        (QueueFilter(text="telegram binance"), {"telegram"}),
        (QueueFilter(text="telegram zalo"), set()),
        (QueueFilter(text="!!!"), {"plain", "loan", "closed", "hue", "old", "telegram"}),
    ],
)
def test_each_filter(
    db_session: Session, stored_report: StoredReportMaker, flt: QueueFilter, expected: set[str]
) -> None:
    made = {
        "plain": stored_report(),
        "loan": stored_report(category="fraud.loan"),
        "closed": stored_report(status="closed"),
        "hue": stored_report(province="Huế"),
        # 2026-11-01 in Vietnam: the filter's day starts at 17:00 UTC the day before
        "old": stored_report(age=NOW - NOW.replace(month=10, day=31, hour=17, minute=30)),
        "telegram": stored_report("Nhóm Telegram hứa lãi, nạp USDT vào sàn Binance giả"),
    }
    names = {made[name].code: name for name in made}
    assert {names[code] for code in codes(db_session, flt)} == expected


def test_search_follows_edits_and_deletes(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    report = stored_report("chuyển khoản cho shop quần áo")
    assert codes(db_session, QueueFilter(text="shop")) == [report.code]
    report.narrative = "lừa qua Facebook"
    db_session.flush()
    assert codes(db_session, QueueFilter(text="shop")) == []
    assert codes(db_session, QueueFilter(text="facebook")) == [report.code]
    db_session.delete(report)
    db_session.flush()
    assert codes(db_session, QueueFilter(text="facebook")) == []


def test_search_input_is_not_query_syntax(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    report = stored_report('số "0987" NEAR ví (OR) AND')
    assert codes(db_session, QueueFilter(text='"0987 NEAR(ví)')) == [report.code]
    assert codes(db_session, QueueFilter(text="OR AND")) == [report.code]


def test_keyset_pages_walk_forward_and_back(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    made = [
        stored_report(urgency=("critical", "high", "normal", "low")[i % 4], age=timedelta(hours=i))
        for i in range(11)
    ]
    everything = codes(db_session, page=PageRequest(size=100))
    assert sorted(everything) == sorted(r.code for r in made)
    by_code = {r.code: r.id for r in made}
    first = queue_rows(db_session, staff("analyst:lan"), QueueFilter(), PageRequest(size=4))
    assert [r.code for r in first] == everything[:5]  # one more than the page: there is a next
    second = queue_rows(
        db_session, staff("analyst:lan"), QueueFilter(), PageRequest(after=first[3].id, size=4)
    )
    assert [r.code for r in second] == everything[4:9]
    last = queue_rows(
        db_session,
        staff("analyst:lan"),
        QueueFilter(),
        PageRequest(after=by_code[everything[7]], size=4),
    )
    assert [r.code for r in last] == everything[8:]
    back = queue_rows(
        db_session,
        staff("analyst:lan"),
        QueueFilter(),
        PageRequest(before=by_code[everything[8]], size=4),
    )
    assert [r.code for r in back] == everything[3:8]


def test_search_uses_the_backend_index(db_session: Session) -> None:
    """SQLite has the FTS5 table (kept by triggers); PostgreSQL the GIN expression index."""
    dialect = db_session.get_bind().dialect.name
    if dialect == "sqlite":
        names = db_session.scalars(
            text("SELECT name FROM sqlite_master WHERE name LIKE 'report_fts%'")
        )
        assert {"report_fts", "report_fts_insert", "report_fts_delete", "report_fts_update"} <= set(
            names
        )
    else:
        found = db_session.scalar(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_report_narrative_search'")
        )
        assert found is not None
        assert "gin" in found
        assert "to_tsvector" in found
    assert Report.__table__.c.urgency_rank is not None


def test_common_search_walks_the_queue_order(
    db_session: Session, stored_report: StoredReportMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "RARE_SEARCH", 2)  # three matches count as common
    low = stored_report("gọi qua Zalo", urgency="low")
    critical = stored_report("nhắn Zalo đe doạ", urgency="critical")
    stored_report("gọi qua Viber", urgency="critical")
    high = stored_report("tài khoản zalo bị chiếm", urgency="high")
    found = queue_rows(
        db_session, staff("analyst:lan"), QueueFilter(text="zalo"), PageRequest(size=2)
    )
    assert [r.code for r in found] == [critical.code, high.code, low.code]
    assert codes(db_session, QueueFilter(text="viber")) != []
