"""Every piece of tipline's background work, declared once: `JOBS`.

Each runs once a period across all server and worker processes on PostgreSQL (the queue,
`tipline.jobs.queue`), and inside the one server process on SQLite (`tipline.jobs.inprocess`).
A new job is one `Job(...)` line here with a function of (session factory, settings).

Not here, on purpose: the PDQ index (`tipline.media.indexing`) lives in each process's memory,
so each process loads it and keeps it in step itself; a queue would build it in one process
only.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from tipline.alerts.service import REFRESH_SECONDS, refresh_figures
from tipline.audit.service import checkpoint_now
from tipline.campaigns.service import configured_hub_threshold, rebuild_campaigns
from tipline.cooperation.reminders import remind_due
from tipline.db import transaction
from tipline.db_types import utc_now
from tipline.feeds.service import Refresher
from tipline.jobs.core import DAY, HOUR, Job, every
from tipline.orgrequests.delivery import deliver_due, webhook_client
from tipline.orgrequests.service import remind_overdue
from tipline.privatecheck.service import build_first_set, follow
from tipline.retention.service import purge_due
from tipline.sealing import sealing_key
from tipline.settings import Settings
from tipline.sharing.growth import publish_grown
from tipline.trends.clustering import place_new, recluster
from tipline.triage.service import corrections_as_examples, retrain
from tipline.triage.store import model_dir

Factory = sessionmaker[Session]
SYSTEM = "system:jobs"  # how the audit log names the background work


# The webhooks' HTTP client, one a process and timeout: making one loads the system's CA
# certificates (~10 ms of CPU), which every round (5 s) paid even with nothing due (issue 18).
_webhook_clients: dict[float, httpx.Client] = {}


def deliver_webhooks(factory: Factory, settings: Settings) -> Any:
    """The webhooks to organisations that fell due (`tipline.orgrequests.delivery`)."""
    key = sealing_key(settings.secret_key, settings.make_data_dir())
    timeout = settings.webhook_timeout_seconds
    client = _webhook_clients.get(timeout)
    if client is None:
        client = _webhook_clients[timeout] = webhook_client(settings)
    return deliver_due(factory, utc_now(), client, key)


def publish_grown_campaigns(factory: Factory, settings: Settings) -> Any:
    """The campaigns that grew, published to partners (`tipline.sharing.growth`)."""
    with factory() as session:
        return publish_grown(session, settings)


# The feed's refresher remembers what the feed was made of, so that a round with nothing new
# costs one query: one per process and database.
_refreshers: dict[tuple[int, str], Refresher] = {}


def refresh_feed(factory: Factory, settings: Settings) -> Any:
    """The indicator feed, refreshed when what it is made of changed (`tipline.feeds`)."""
    key = (id(factory), settings.sqlalchemy_url)
    refresher = _refreshers.setdefault(key, Refresher(factory, settings))
    return refresher.round(utc_now())


def follow_private_check(factory: Factory, settings: Settings) -> Any:
    """The private check's keyed set in step with the database; a new installation's first
    key and set built first, so that the private check answers with no operator step."""
    build_first_set(factory, settings)
    return follow(factory, settings)


def refresh_alerts(factory: Factory, _settings: Settings) -> Any:
    """Published alerts' figures following their campaigns (`tipline.alerts`)."""
    with factory() as session:
        return refresh_figures(session)


def remind_overdue_requests(factory: Factory, _settings: Settings) -> Any:
    """Organisations reminded of their overdue requests, each once since it fell due."""
    with factory() as session:
        return len(remind_overdue(session, SYSTEM))


def remind_cooperation(factory: Factory, _settings: Settings) -> Any:
    """Cooperation requests past their deadline and preservations lapsing within a week,
    reminded to the analysts' queue, each once per deadline or end."""
    with factory() as session:
        return len(remind_due(session, SYSTEM))


def rebuild_all_campaigns(factory: Factory, _settings: Settings) -> Any:
    """Every campaign recomputed from all the links (what `tipline campaigns rebuild` does):
    repairs whatever incremental linking left behind."""
    with transaction(factory) as session:
        return rebuild_campaigns(session, configured_hub_threshold())


def retrain_triage(factory: Factory, _settings: Settings) -> Any:
    """A new triage model on the corpus plus analysts' corrections (`tipline triage train`)."""
    with factory() as session:
        corrections = corrections_as_examples(session)
    return retrain(model_dir(), corrections)


def place_new_reports_in_scripts(factory: Factory, _settings: Settings) -> Any:
    """Reports in no script yet, each placed in the nearest script or a new one
    (`tipline.trends.clustering`)."""
    with factory() as session:
        return place_new(session, utc_now())


def recluster_scripts(factory: Factory, _settings: Settings) -> Any:
    """The last months' narratives clustered afresh into scripts (`tipline.trends.clustering`)."""
    with factory() as session:
        return recluster(session, utc_now())


def purge_past_retention(factory: Factory, settings: Settings) -> Any:
    """Each data class past its retention, removed and audited (`tipline.retention`): how
    many of each class went."""
    return {kind.value: count for kind, count in purge_due(factory, settings).counts.items()}


JOBS: list[Job] = [
    Job("audit-checkpoint", checkpoint_now, lambda s: s.audit_checkpoint_seconds),
    Job("webhook-delivery", deliver_webhooks, lambda s: s.webhook_deliver_seconds),
    Job("sharing-growth", publish_grown_campaigns, lambda s: s.sharing_growth_seconds),
    Job("feed-refresh", refresh_feed, lambda s: s.feed_refresh_seconds),
    Job("private-check-follow", follow_private_check, lambda s: s.private_check_follow_seconds,
        at_start=True),
    Job("alerts-refresh", refresh_alerts, every(REFRESH_SECONDS)),
    Job("request-reminders", remind_overdue_requests, every(HOUR)),
    Job("cooperation-reminders", remind_cooperation, every(HOUR)),
    Job("campaign-rebuild", rebuild_all_campaigns, every(DAY)),
    Job("retention-purge", purge_past_retention, every(DAY)),
    Job("trend-scripts-place", place_new_reports_in_scripts, every(HOUR)),
    Job("trend-scripts-recluster", recluster_scripts, every(DAY)),
    # On demand only: each server process loads the triage model once, so a scheduled
    # retraining would leave processes triaging with different models until they restart.
    Job("triage-retrain", retrain_triage, None),
]  # fmt: skip


def job_named(name: str, jobs: list[Job] | None = None) -> Job:
    """The job of that name (KeyError naming the known ones if none)."""
    for job in JOBS if jobs is None else jobs:
        if job.name == name:
            return job
    raise KeyError(f"no job {name!r}; known: {', '.join(j.name for j in JOBS)}")
