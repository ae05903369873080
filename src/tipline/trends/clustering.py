"""Scripts kept up to date: new reports placed hourly, the recent ones re-clustered daily.

Both run as background jobs (`tipline.jobs.tasks`: in the server process on SQLite, on the queue
on PostgreSQL). Narratives are encrypted at rest: a run reads the ones it needs, masks them and
clusters them in memory (`tipline.trends.scripts`), and writes back only each report's script id
and each script's k-anonymous label. Nothing of the model is kept between runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tipline.indicators.defaults import extract
from tipline.trends import repository
from tipline.trends.scripts import (
    SCRIPT_RULE,
    ScriptRule,
    cluster,
    kept_ids,
    labels_of,
    masked,
    place,
)

WINDOW = timedelta(weeks=26)  # re-clustered daily: the trends' 9 weeks and more
SAMPLE = 40  # members read per script to place a new report


@dataclass(frozen=True, slots=True)
class ClusteringRun:
    reports: int  # narratives clustered or placed
    scripts: int  # scripts they are in


def masked_narrative(text: str) -> str:
    """A narrative with the values extraction finds, and digits, e-mails, handles, names,
    masked (`tipline.trends.scripts.masked`)."""
    return masked(text, [indicator.span for indicator in extract(text)])


def recluster(session: Session, now: datetime, rule: ScriptRule = SCRIPT_RULE) -> ClusteringRun:
    """The reports of the last `WINDOW` clustered afresh; a cluster keeps the id most of its
    reports had, so a script's weekly series survives the run. Labels recomputed."""
    rows = repository.narratives_since(session, now - WINDOW)
    report_ids = [report_id for report_id, _ in rows]
    texts = [masked_narrative(text) for _, text in rows]
    labels = cluster(texts, rule)
    before = repository.scripts_of(session, report_ids)
    ids, _ = kept_ids(
        [before.get(r) for r in report_ids], labels, repository.next_script_id(session)
    )
    assigned = {r: ids[label] for r, label in zip(report_ids, labels, strict=True)}
    members: dict[int, list[str]] = {}
    for report_id, text in zip(report_ids, texts, strict=True):
        members.setdefault(assigned[report_id], []).append(text)
    repository.save_scripts(session, assigned, labels_of(members, rule), now)
    session.commit()
    return ClusteringRun(len(rows), len(members))


def place_new(session: Session, now: datetime, rule: ScriptRule = SCRIPT_RULE) -> ClusteringRun:
    """Each report of the window in no script yet joins the nearest script (its centroid over
    up to `SAMPLE` of the script's latest reports), or starts one."""
    new = repository.unplaced_since(session, now - WINDOW)
    if not new:
        return ClusteringRun(0, 0)
    members = repository.script_members(session, SAMPLE)
    order = sorted({script_id for script_id, _, _ in members})
    index = {script_id: k for k, script_id in enumerate(order)}
    placed = place(
        [masked_narrative(text) for _, _, text in members],
        [index[script_id] for script_id, _, _ in members],
        [masked_narrative(text) for _, text in new],
        rule,
    )
    assigned = _assigned([r for r, _ in new], placed, order, repository.next_script_id(session))
    repository.save_scripts(session, assigned, {}, now)
    session.commit()
    return ClusteringRun(len(new), len(set(assigned.values())))


def _assigned(
    report_ids: Sequence[int], placed: Sequence[int], order: list[int], next_id: int
) -> dict[int, int]:
    """Placed labels (known scripts' indexes in `order`, then new ones) as script ids."""
    fresh: dict[int, int] = {}
    assigned: dict[int, int] = {}
    for report_id, label in zip(report_ids, placed, strict=True):
        if label < len(order):
            assigned[report_id] = order[label]
        else:
            assigned[report_id] = fresh.setdefault(label, next_id + len(fresh))
    return assigned
