"""The demo data set: generated reports (source `demo`) and the ChongLuaDao feed when present.

A new user starts the server on the embedded default and has something to explore at once.
Every generated report is fictional and stored with source `demo`; the same seed gives the same
reports, and loading again adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from tipline.imports.core import ImportRow
from tipline.imports.service import ImportSummary, import_reports
from tipline.indicators.service import FeedImport, import_feed
from tipline.reports.schemas import ReportCreate

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


def shared_dir(configured: Path | None) -> Path | None:
    """The shared data folder: TIPLINE_SHARED_DIR, else `<repo>/../shared`, else `./../shared`."""
    import tipline

    candidates = [configured] if configured else []
    candidates += [
        Path(tipline.__file__).resolve().parents[2].parent / "shared",
        Path.cwd().parent / "shared",
    ]
    return next((path for path in candidates if path is not None and path.is_dir()), None)


def demo_rows(count: int, seed: int) -> Iterator[ImportRow]:
    """The generated reports as import rows, each with its generator id."""
    from tipline.demo.narratives import generate_reports

    for number, generated in enumerate(generate_reports(count, seed), start=1):
        report = ReportCreate(
            narrative=generated.text,
            language=generated.language,
            occurred_at=generated.occurred_at,
            loss_amount=generated.loss_amount,
            loss_currency=generated.loss_currency if generated.loss_amount is not None else None,
            victim_age=generated.victim_age,
            province=generated.province,
        )
        yield ImportRow(number, generated.external_id, report)


def load_feeds(session: Session, shared: Path | None) -> dict[str, FeedImport]:
    """The ChongLuaDao lists from the shared folder, when it is there."""
    loaded: dict[str, FeedImport] = {}
    if shared is None:
        return loaded
    for name in FEED_FILES:
        path = shared / FEED_PATH / name
        if path.is_file():
            loaded[name] = import_feed(session, path.read_bytes(), FEED_SOURCE, FEED_CATEGORY)
    return loaded


def load_demo(
    session: Session,
    shared: Path | None,
    count: int = DEMO_COUNT,
    seed: int = DEMO_SEED,
    workers: int = 0,
    progress: Callable[[int], None] | None = None,
) -> DemoLoad:
    """Generated reports and the feed; running it again adds nothing."""
    summary = import_reports(
        session, demo_rows(count, seed), DEMO_SOURCE, workers=workers, progress=progress
    )
    return DemoLoad(reports=summary, feeds=load_feeds(session, shared))
