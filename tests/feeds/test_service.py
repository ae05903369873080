"""The feed through its service: refresh, full pulls, changes since a cursor, removals, and the
agreement enforced in the query."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from tests.feeds.conftest import FeedWorld, listed_domain
from tests.principals import staff

from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotPermitted
from tipline.feeds.formats import SPLICE
from tipline.feeds.models import FeedEntry
from tipline.feeds.service import PullRequest, Refresher, open_pull, refresh, stream
from tipline.principals import Caller, Principal, ReportHolder, Role
from tipline.reports.models import Report
from tipline.settings import Settings
from tipline.workspace.service import review_indicator


def pulled(
    factory: sessionmaker[Session], settings: Settings, caller: Caller, **asked: Any
) -> list[dict[str, Any]]:
    """The JSON lines of a pull, the `end` line last."""
    with factory() as session:
        pull = open_pull(session, caller, PullRequest(**asked))
    text = "".join(stream(factory, settings, pull))
    return [json.loads(line) for line in text.splitlines()]


def test_a_full_pull_holds_what_the_agreement_allows_and_nothing_else(
    session_factory: sessionmaker[Session], settings: Settings, feed_world: FeedWorld
) -> None:
    *entries, end = pulled(session_factory, settings, feed_world.bank)
    assert {e["id"] for e in entries} == {feed_world.phone, feed_world.url}
    phone = next(e for e in entries if e["id"] == feed_world.phone)
    assert (phone["op"], phone["kind"], phone["value"]) == ("add", "phone", "+84912345678")
    assert (phone["categories"], phone["confidence"]) == (["fraud.investment"], 70)
    assert (end["op"], end["count"]) == ("end", 2)
    assert end["cursor"]


def test_removals_come_in_the_next_pull_without_their_value(
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    feed_world: FeedWorld,
) -> None:
    cursor = pulled(session_factory, settings, feed_world.bank)[-1]["cursor"]
    lead = staff("analyst:an")
    review_indicator(
        db_session, lead, feed_world.investment_report, feed_world.phone, "rejected", settings
    )
    *changes, end = pulled(session_factory, settings, feed_world.bank, since=cursor)
    assert changes == [
        {"op": "remove", "id": feed_world.phone, "kind": "phone", "reason": "rejected",
         "changed": changes[0]["changed"]}
    ]  # fmt: skip
    assert "+84912345678" not in json.dumps(changes)
    *present, _ = pulled(session_factory, settings, feed_world.bank)
    assert [e["id"] for e in present] == [feed_world.url]
    # Nothing changed since: an empty pull that keeps the cursor.
    *nothing, last = pulled(session_factory, settings, feed_world.bank, since=end["cursor"])
    assert (nothing, last["cursor"]) == ([], end["cursor"])


def test_an_indicator_not_seen_for_the_expiry_leaves_the_feed(
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    feed_world: FeedWorld,
) -> None:
    cursor = pulled(session_factory, settings, feed_world.bank)[-1]["cursor"]
    later = utc_now() + timedelta(days=settings.feed_expiry_days + 1)
    done = refresh(db_session, settings, now=later)
    db_session.commit()
    # Both phones and the URL leave; the listed domain, never in the feed, does not come in.
    assert (done.added, done.removed) == (0, 3)
    *changes, _ = pulled(session_factory, settings, feed_world.bank, since=cursor)
    assert {(c["id"], c["op"], c["reason"]) for c in changes} == {
        (feed_world.phone, "remove", "expired"),
        (feed_world.url, "remove", "expired"),
    }
    assert pulled(session_factory, settings, feed_world.bank)[:-1] == []


def test_a_refresh_with_nothing_new_changes_nothing(
    db_session: Session, settings: Settings, feed_world: FeedWorld
) -> None:
    first = refresh(db_session, settings)  # the listed domain comes in
    again = refresh(db_session, settings)
    assert (first.added, again.added, again.changed, again.last) == (1, 0, 0, first.last)


def test_asking_outside_the_agreement_is_refused_and_narrowing_works(
    session_factory: sessionmaker[Session], settings: Settings, feed_world: FeedWorld
) -> None:
    with session_factory() as session:
        with pytest.raises(NotPermitted):
            open_pull(session, feed_world.bank, PullRequest(kind="phone,bank_account"))
        with pytest.raises(NotPermitted):
            open_pull(session, feed_world.bank, PullRequest(category="sextortion"))
        with pytest.raises(InvalidInput):
            open_pull(session, feed_world.bank, PullRequest(kind="telepathy"))
        with pytest.raises(InvalidInput):
            open_pull(session, feed_world.bank, PullRequest(since="not-a-cursor"))
    *urls, _ = pulled(session_factory, settings, feed_world.bank, kind="url")
    assert [e["id"] for e in urls] == [feed_world.url]
    assert pulled(session_factory, settings, feed_world.bank, min_confidence=80)[:-1] == []


def test_no_one_but_an_organisation_pulls(
    session_factory: sessionmaker[Session], feed_world: FeedWorld
) -> None:
    callers: list[Caller] = [
        None,
        ReportHolder(feed_world.investment_report),
        Principal(8, "ccib", Role.PARTNER, "token", 4, partner_id=1),
        staff("admin:root"),
    ]
    with session_factory() as session:
        for caller in callers:
            with pytest.raises(NotPermitted):
                open_pull(session, caller, PullRequest())


def test_a_platform_user_of_no_organisation_pulls_an_empty_feed(
    session_factory: sessionmaker[Session], settings: Settings, feed_world: FeedWorld
) -> None:
    orphan = Principal(9, "orphan", Role.PLATFORM, "token", 5)
    *entries, end = pulled(session_factory, settings, orphan)
    assert (entries, end["op"], end["count"]) == ([], "end", 0)


def test_an_entry_that_leaves_a_readers_categories_is_a_removal_for_that_reader(
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    feed_world: FeedWorld,
) -> None:
    cursor = pulled(session_factory, settings, feed_world.bank)[-1]["cursor"]
    report = db_session.get(Report, feed_world.investment_report)
    assert report is not None
    report.category = "fraud.romance"  # an analyst's correction: no longer investment fraud
    refresh(db_session, settings)
    db_session.commit()
    *changes, _ = pulled(session_factory, settings, feed_world.bank, since=cursor)
    assert {(c["id"], c["op"], c["reason"]) for c in changes} == {
        (feed_world.phone, "remove", "out_of_scope"),
        (feed_world.url, "remove", "out_of_scope"),
    }


def test_the_servers_refresher_refreshes_when_the_sources_changed_or_an_hour_passed(
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    feed_world: FeedWorld,
) -> None:
    refresher = Refresher(session_factory, settings)
    now = utc_now()
    first = refresher.round(now)
    assert first is not None
    assert first.added == 1  # the listed domain
    assert refresher.round(now + timedelta(minutes=1)) is None  # nothing changed
    listed_domain(db_session, "techcombank-uudai.com", "fraud.phishing")
    db_session.commit()
    again = refresher.round(now + timedelta(minutes=2))
    assert again is not None
    assert again.added == 1
    hourly = refresher.round(now + timedelta(minutes=63))
    assert hourly is not None
    assert hourly.added == 0


def stix_pulled(factory: sessionmaker[Session], settings: Settings, caller: Caller) -> str:
    """A STIX pull's text, its bundle's random id left out."""
    with factory() as session:
        pull = open_pull(session, caller, PullRequest(format="stix"))
    return re.sub(r"bundle--[0-9a-f-]{36}", "bundle--", "".join(stream(factory, settings, pull)))


def test_entries_stored_before_their_stix_indicators_pull_alike_and_a_refresh_writes_them(
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    feed_world: FeedWorld,
) -> None:
    last = refresh(db_session, settings).last
    db_session.commit()
    written = stix_pulled(session_factory, settings, feed_world.bank)
    assert written.count('"type":"indicator"') == 2
    db_session.execute(update(FeedEntry).values(stix_body=None))  # as the migration leaves them
    db_session.commit()
    assert stix_pulled(session_factory, settings, feed_world.bank) == written
    done = refresh(db_session, settings)
    db_session.commit()
    assert (done.added, done.changed, done.last) == (0, 0, last)  # no change for the readers
    bodies = db_session.scalars(select(FeedEntry.stix_body).where(FeedEntry.present)).all()
    assert len(bodies) == 4
    assert all(body is not None and body.count(SPLICE) == 3 for body in bodies)
    assert stix_pulled(session_factory, settings, feed_world.bank) == written
