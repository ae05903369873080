"""The audit page (/audit) for admins: entries by actor, object and days in keyset pages, and
the chain's state (verified or broken, the last signed checkpoint)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from tipline.audit.core import page_filter
from tipline.audit.models import AuditEntry
from tipline.audit.service import checkpoint_now, record
from tipline.settings import Settings

ClientAs = Callable[..., TestClient]
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)  # 15:00 in Vietnam
HTML = {"Accept": "text/html"}


def fill_log(session: Session, count: int) -> None:
    """`count` entries twelve hours apart, by two actors, about reports 1-5 and one case."""
    for i in range(count):
        actor = "analyst:lan" if i % 2 else "supervisor:minh"
        target = ("case", "7") if i % 10 == 9 else ("report", str(i % 5 + 1))
        record(session, actor, "report.view", *target, {"i": i}, now=T0 + timedelta(hours=12 * i))
    session.commit()


def sequences(page: str) -> list[int]:
    body = page.split('id="audit-entries"', 1)[1].split("</table>", 1)[0]
    return [int(n) for n in re.findall(r'data-label="[^"]*">(\d+)</td>', body)]


def older_link(page: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_page_walks_the_log_newest_first_and_says_the_chain_is_intact(
    client_as: ClientAs, db_session: Session
) -> None:
    fill_log(db_session, 120)
    admin = client_as("admin")
    first = admin.get("/audit?lang=en", headers=HTML).text
    assert "Verified: intact" in first
    assert "120 entries checked." in first
    assert "No signed checkpoint yet" in first
    seen, page, href = sequences(first), first, older_link(first)
    while href:
        page = admin.get(href, headers=HTML).text
        assert 'id="audit-chain"' not in page  # the chain is walked on the first page only
        seen += sequences(page)
        href = older_link(page)
    assert seen == list(range(120, 0, -1))


def test_the_page_searches_by_actor_object_and_days(
    client_as: ClientAs, db_session: Session
) -> None:
    fill_log(db_session, 30)
    admin = client_as("admin")

    def found(**params: str) -> list[int]:
        return sequences(admin.get("/audit", params=params, headers=HTML).text)

    assert found(type="case", id="7") == [30, 20, 10]
    assert found(actor="analyst:lan", type="case") == [30, 20, 10]
    assert found(actor="supervisor:minh", type="report", id="1") == [21, 11, 1]
    # Vietnam days: entry 1 is at 15:00 on 1 May, 2 at 03:00 and 3 at 15:00 on 2 May.
    assert found(**{"from": "2026-05-02", "to": "2026-05-02"}) == [3, 2]
    assert found(**{"from": "not a day"}) == list(range(30, 0, -1))


def test_a_tampered_log_is_broken_and_the_last_checkpoint_is_shown(
    client_as: ClientAs,
    db_session: Session,
    settings: Settings,
    session_factory: sessionmaker[Session],
) -> None:
    fill_log(db_session, 5)
    checkpoint = checkpoint_now(session_factory, settings)
    assert checkpoint is not None
    admin = client_as("admin")
    intact = admin.get("/audit?lang=en", headers=HTML).text
    assert "Verified: intact" in intact
    assert "Last signed checkpoint: entry 5" in intact
    assert checkpoint.signed_at not in intact  # its time as the page's reader reads times
    assert re.search(r"signed at \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+7\)", intact)
    assert "and its signature" in intact
    db_session.execute(
        update(AuditEntry).where(AuditEntry.sequence == 3).values(details_json='{"i":99}')
    )
    db_session.commit()
    broken = admin.get("/audit?lang=en", headers=HTML).text
    assert 'class="audit-broken"' in broken
    assert "First wrong entry: number 3." in broken


def test_only_admins_open_the_audit_page(client_as: ClientAs) -> None:
    for role in ("analyst", "supervisor"):
        answer = client_as(role).get("/audit", headers=HTML)
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")


def test_the_page_filter_reads_days_in_vietnam_time() -> None:
    flt, shown = page_filter({"actor": " analyst:lan ", "from": "2026-05-02", "to": "x"})
    assert flt.actor == "analyst:lan"
    assert flt.since == datetime(2026, 5, 1, 17, 0, tzinfo=UTC)
    assert flt.until is None
    assert shown == {"actor": "analyst:lan", "from": "2026-05-02"}


def test_actions_and_objects_are_said_in_the_readers_language(
    client_as: ClientAs, db_session: Session
) -> None:
    record(db_session, "analyst:lan", "login", "user", "1", {"via": "password"}, now=T0)
    record(db_session, "analyst:lan", "campaign.list", "campaign", "*", None, now=T0)
    db_session.commit()
    page = client_as("admin").get("/audit?lang=vi", headers=HTML).text
    body = page.split('id="audit-entries"', 1)[1].split("</table>", 1)[0]
    assert "Đăng nhập" in body
    assert "Xem danh sách chiến dịch" in body
    assert "người dùng <code>1</code>" in body
    assert ">login<" not in body
    assert "campaign.list" not in body
