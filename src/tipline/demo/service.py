"""The demo data set: generated reports (source `demo`) and the ChongLuaDao feed when present.

A new user starts the server on the embedded default and has something to explore at once.
Every generated report is fictional and stored with source `demo`; the same seed gives the same
reports, and loading again adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from tipline.demo.sharing import SharingDemo

from tipline.imports.core import ImportRow
from tipline.imports.service import ImportSummary, import_reports
from tipline.indicators.service import FeedImport, import_feed
from tipline.reports.schemas import ReportCreate
from tipline.vocabulary import VIETNAM_TIME

DEMO_SOURCE = "demo"
DEMO_SEED = 20240601
DEMO_COUNT = 3000
FEED_SOURCE = "ChongLuaDao"
FEED_CATEGORY = "fraud.phishing"
FEED_PATH = Path("data/chongluadao-blocklist")
FEED_FILES = ("urls.txt", "ips.txt")


@dataclass
class DemoLoad:
    reports: ImportSummary
    feeds: dict[str, FeedImport]
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, password
    sharing: SharingDemo | None = None  # confirmed indicators, partners (tipline.demo.sharing)
    alerts: int = 0  # published by the demo supervisor (tipline.demo.alerts)


def shared_dir(configured: Path | None) -> Path | None:
    """The shared data folder: TIPLINE_SHARED_DIR, else `<repo>/../shared`, else `./../shared`."""
    import tipline

    candidates = [configured] if configured else []
    candidates += [
        Path(tipline.__file__).resolve().parents[2].parent / "shared",
        Path.cwd().parent / "shared",
    ]
    return next((path for path in candidates if path is not None and path.is_dir()), None)


def needs_loading(session: Session, shared: Path | None, count: int = DEMO_COUNT) -> bool:
    """True on an empty database, or when an earlier demo load was cut short (a real database,
    one holding reports that are not demo data, is never given demo data)."""
    from tipline.indicators.repository import feed_is_loaded
    from tipline.reports.repository import count_reports

    stored = count_reports(session)
    if stored == 0:
        return True
    demo_reports = count_reports(session, DEMO_SOURCE)
    if demo_reports != stored:
        return False
    feed_missing = bool(feed_paths(shared)) and not feed_is_loaded(session, FEED_SOURCE)
    return demo_reports < count or feed_missing


def demo_rows(count: int, seed: int, until: datetime | None = None) -> Iterator[ImportRow]:
    """The generated reports as import rows, each with its generator id and the date the
    generator says it came in (over the three years before `until`, when given), in the mix of
    categories of a real tipline (`DEMO_MIX`: mostly fraud, `critical` rare)."""
    from tipline.demo.narratives import DEMO_MIX, generate_reports

    generated_reports = generate_reports(count, seed, until, DEMO_MIX)
    for number, generated in enumerate(generated_reports, start=1):
        report = ReportCreate(
            narrative=generated.text,
            language=generated.language,
            occurred_at=generated.occurred_at,
            loss_amount=generated.loss_amount,
            loss_currency=generated.loss_currency if generated.loss_amount is not None else None,
            victim_age=generated.victim_age,
            province=generated.province,
        )
        # Naive, as the occurrence: both read as Vietnam time when stored.
        yield ImportRow(number, generated.external_id, report, generated.received_at)


def feed_paths(shared: Path | None) -> list[Path]:
    """The ChongLuaDao lists present in the shared folder."""
    if shared is None:
        return []
    return [path for name in FEED_FILES if (path := shared / FEED_PATH / name).is_file()]


def load_feeds(
    session: Session, shared: Path | None, progress: Callable[[int], None] | None = None
) -> dict[str, FeedImport]:
    """The ChongLuaDao lists from the shared folder, when it is there."""
    return {
        path.name: import_feed(
            session, path.read_bytes(), FEED_SOURCE, FEED_CATEGORY, progress=progress
        )
        for path in feed_paths(shared)
    }


def load_demo(
    session: Session,
    shared: Path | None,
    count: int = DEMO_COUNT,
    seed: int = DEMO_SEED,
    workers: int = 0,
    progress: Callable[[int], None] | None = None,
    feed_progress: Callable[[int], None] | None = None,
) -> DemoLoad:
    """Generated reports, the feed and the demo's sign-ins; running it again adds nothing."""
    from tipline.accounts.service import ensure_demo_accounts

    # The demo's three years end today (at midnight in Vietnam: the same reports all day long),
    # so the queue's ages and the dashboard's last year look like a real service's.
    today = datetime.combine(datetime.now(VIETNAM_TIME).date(), time())
    rows = demo_rows(count, seed, today)
    summary = import_reports(session, rows, DEMO_SOURCE, workers=workers, progress=progress)
    feeds = load_feeds(session, shared, feed_progress)
    return DemoLoad(reports=summary, feeds=feeds, accounts=ensure_demo_accounts(session))
