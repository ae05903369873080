"""tipline's own jobs: each runs on an empty installation, and each is declared once."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tipline.campaigns.service import RebuildOutcome
from tipline.cli import app
from tipline.feeds.service import Refreshed
from tipline.jobs.core import scheduled
from tipline.jobs.tasks import JOBS, job_named
from tipline.orgrequests.delivery import Round
from tipline.privatecheck import repository as private_check
from tipline.privatecheck.service import Followed
from tipline.settings import Settings
from tipline.trends.clustering import ClusteringRun


def test_every_job_has_one_name() -> None:
    names = [job.name for job in JOBS]
    assert len(names) == len(set(names))
    assert {
        "audit-checkpoint", "webhook-delivery", "sharing-growth", "feed-refresh",
        "private-check-follow", "alerts-refresh", "request-reminders", "cooperation-reminders",
        "campaign-rebuild", "triage-retrain",
    } <= set(names)  # fmt: skip


def test_a_job_is_found_by_name_or_the_known_ones_are_named() -> None:
    assert job_named("feed-refresh").name == "feed-refresh"
    with pytest.raises(KeyError, match="known: audit-checkpoint, webhook-delivery"):
        job_named("no-such-job")


# What each scheduled job answers on an empty installation: nothing to do, and no error.
EMPTY = {
    "audit-checkpoint": None,  # the log did not grow
    "webhook-delivery": Round(delivered=0, retried=0, gave_up=0),
    "sharing-growth": None,  # no campaign grew
    "feed-refresh": Refreshed(added=0, changed=0, removed=0, last=0),
    "private-check-follow": Followed(changed=0, swept=0, expired=0),  # after its first set
    "alerts-refresh": 0,
    "request-reminders": 0,
    "cooperation-reminders": 0,
    "campaign-rebuild": RebuildOutcome(reports=0, links=0, campaigns=0, linked_campaigns=0, hubs=0),
    "retention-purge": {"contacts": 0},  # the only class limited by default
    "trend-scripts-place": ClusteringRun(reports=0, scripts=0),
    "trend-scripts-recluster": ClusteringRun(reports=0, scripts=0),
}


def test_each_scheduled_job_runs_on_an_empty_installation(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    done = {job.name: job.run(session_factory, settings) for job in scheduled(JOBS)}
    assert done == EMPTY


def test_the_private_check_job_builds_the_first_set_then_follows(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    job_named("private-check-follow").run(session_factory, settings)
    with session_factory() as session:
        assert len(private_check.keys(session)) == 1


def test_jobs_list_names_each_job_and_its_schedule(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["jobs", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert set(lines) == {job.name for job in JOBS}
    assert "every 5 s (cron * * * * * */5)" in lines["webhook-delivery"]
    assert lines["private-check-follow"].endswith("and at start")
    assert "on demand" in lines["triage-retrain"]


def test_jobs_run_names_an_unknown_job(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["jobs", "run", "no-such-job"])
    assert result.exit_code == 2
    assert "no job 'no-such-job'" in result.output


def test_the_worker_command_needs_postgresql(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["worker"])
    assert result.exit_code == 2
    assert "`tipline worker` needs PostgreSQL" in result.output
