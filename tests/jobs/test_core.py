"""A job's period as a cron schedule: never less often than asked, each run as far apart."""

from __future__ import annotations

import pytest

from tipline.jobs.core import Job, cron_for, due_at_start, every, scheduled
from tipline.settings import Settings


@pytest.mark.parametrize(
    ("seconds", "cron"),
    [
        (1, "* * * * * */1"),
        (5, "* * * * * */5"),
        (20, "* * * * * */20"),
        (45, "* * * * * */30"),  # 45 does not divide a minute: every 30 s, never less often
        (60, "*/1 * * * *"),
        (300, "*/5 * * * *"),
        (420, "*/6 * * * *"),
        (3600, "0 */1 * * *"),
        (5 * 3600, "0 */4 * * *"),
        (86400, "0 0 * * *"),
        (7 * 86400, "0 0 * * *"),
    ],
)
def test_a_period_reads_as_the_nearest_cron_not_less_often(seconds: int, cron: str) -> None:
    assert cron_for(seconds) == cron


def test_a_period_is_at_least_a_second() -> None:
    with pytest.raises(ValueError, match="at least one second"):
        cron_for(0)


def test_a_job_reads_its_period_from_the_settings() -> None:
    settings = Settings(feed_refresh_seconds=90)
    feed = Job("feed", lambda f, s: None, lambda s: s.feed_refresh_seconds, at_start=True)
    fixed = Job("fixed", lambda f, s: None, every(300))
    on_demand = Job("retrain", lambda f, s: None, None)
    jobs = [feed, fixed, on_demand]
    assert [j.seconds(settings) for j in jobs] == [90, 300, None]
    assert scheduled(jobs) == [feed, fixed]
    assert due_at_start(jobs) == [feed]
