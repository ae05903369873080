"""Every query on campaigns: the links that may merge, and the stored campaign of each report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID, uuid4

import numpy as np
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Table,
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from tipline.campaigns.graph import IndicatorNode, ReportNode
from tipline.campaigns.identity import Identities
from tipline.campaigns.linking import Tally
from tipline.campaigns.models import Campaign, CampaignHub, CampaignReport
from tipline.campaigns.summary import ReportFacts, ReportTotal
from tipline.cursors import Keyset
from tipline.indicators.models import IndicatorRecord, IndicatorReview, ReportIndicator
from tipline.principals import Caller, is_staff
from tipline.reports.models import Report
from tipline.reports.repository import report_scope

if TYPE_CHECKING:  # core needs scipy: not loaded by every process that stores a report
    from tipline.campaigns.core import IdArray, Partition

_T = TypeVar("_T")
BATCH = 10_000
CHUNK = 5_000  # ids per `IN (…)`: under SQLite's and PostgreSQL's bound-parameter limits
# IndicatorReview states whose link merges no campaign: an analyst rejected it, or said the
# value is the victim's own.
UNLINKING = ("rejected", "victim")
EXCERPT = 160  # characters of a narrative a campaign's pages show
# pg_advisory_xact_lock key of campaign linking ("tipline campaigns", 8 bytes as a bigint).
LOCK_KEY = 0x7469706C63616D70


def campaign_scope(caller: Caller) -> ColumnElement[bool]:
    """The condition that the caller may read campaigns: staff only, today (a partner will see
    the campaigns its sharing policy gives it; a citizen never sees one)."""
    return true() if is_staff(caller) else false()


def rejected(link: Any) -> Any:
    """Whether this report–indicator link merges nothing: an analyst rejected it, or the value is
    the reporter's own (a victim's phone or email, by a cue in the narrative or an analyst's
    `victim` decision): a victim's own contact must never tie her report to a campaign."""
    review = (
        select(IndicatorReview.report_id)
        .where(
            IndicatorReview.report_id == link.report_id,
            IndicatorReview.indicator_id == link.indicator_id,
            IndicatorReview.state.in_(UNLINKING),
        )
        .exists()
    )
    return or_(link.reporter_own, review)


def merging_links(session: Session) -> tuple[IdArray, IdArray]:
    """(report ids, indicator ids) of every link that may merge: extracted or confirmed, not
    rejected by an analyst, to an indicator that is not allowlisted."""
    stmt = (
        select(ReportIndicator.report_id, ReportIndicator.indicator_id)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .where(IndicatorRecord.allowlisted.is_(False), ~rejected(ReportIndicator))
        .order_by(ReportIndicator.report_id)
    )
    rows = session.execute(stmt).all()
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


def report_ids(session: Session) -> IdArray:
    return np.array(session.scalars(select(Report.id)).all(), dtype=np.int64)


def replace_campaigns(
    session: Session, partition: Partition, hub_counts: dict[int, int], flagged_at: datetime
) -> None:
    """Store a rebuild: every report's campaign and the hub list, replacing what was there."""
    session.execute(delete(CampaignReport))
    rows = zip(partition.report_ids.tolist(), partition.campaign_ids.tolist(), strict=True)
    _insert_batches(session, CampaignReport, ({"report_id": r, "campaign_id": c} for r, c in rows))
    session.execute(delete(CampaignHub))
    hubs = (
        {"indicator_id": i, "report_count": n, "flagged_at": flagged_at}
        for i, n in sorted(hub_counts.items())
    )
    _insert_batches(session, CampaignHub, hubs)


def _insert_batches(
    session: Session,
    model: type[CampaignReport] | type[CampaignHub],
    rows: Iterable[dict[str, object]],
) -> None:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            session.execute(insert(model), batch)
            batch = []
    if batch:
        session.execute(insert(model), batch)


def campaign_of(session: Session, report_id: int) -> int | None:
    return session.scalar(
        select(CampaignReport.campaign_id).where(CampaignReport.report_id == report_id)
    )


def hub_ids(session: Session) -> list[int]:
    return list(
        session.scalars(select(CampaignHub.indicator_id).order_by(CampaignHub.indicator_id))
    )


def campaign_facts(session: Session, campaign_ids: Sequence[int]) -> list[ReportFacts]:
    """The figures of every report of these campaigns."""
    stmt = (
        select(
            CampaignReport.campaign_id,
            Report.loss_amount,
            Report.loss_currency,
            Report.category,
            Report.occurred_at,
            Report.reporter_contact,
        )
        .join(Report, Report.id == CampaignReport.report_id)
        .where(CampaignReport.campaign_id.in_(campaign_ids))
    )
    return [ReportFacts(*row) for row in session.execute(stmt)]


def _chunks(ids: Sequence[_T]) -> Iterator[list[_T]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _core(session: Session) -> Connection:
    """The session's connection, for linking's prebuilt Core statements: run there, they skip
    the ORM's execution layer, which costs as much again as SQLite's answer. What the session
    holds unwritten is flushed first, as its autoflush would (a no-op when there is none)."""
    session.flush()
    return session.connection()


def lock_campaigns(session: Session) -> None:
    """Serialise campaign linking until the transaction ends (PostgreSQL; SQLite's writer lock,
    taken when the reports were inserted, already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))


# The statements of linking, built once: a report's linking runs them on every submission, and
# building a statement costs more than SQLite takes to answer it.
IDS: BindParameter[int] = bindparam("ids", expanding=True)
_named = aliased(ReportIndicator)
_placed = aliased(ReportIndicator)
_unlinked = aliased(ReportIndicator)
NEW_REPORT_LINKS = (
    select(
        ReportIndicator.report_id,
        ReportIndicator.indicator_id,
        CampaignHub.indicator_id.is_not(None),
    )
    .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
    .outerjoin(CampaignHub, CampaignHub.indicator_id == ReportIndicator.indicator_id)
    .where(
        ReportIndicator.report_id.in_(IDS),
        IndicatorRecord.allowlisted.is_(False),
        ~rejected(ReportIndicator),
    )
)
# Links that merge nothing, counted from two small sets instead of testing every link of the
# indicator: the reporter's own values (a partial index holds them) and analysts' reviews that
# unlink (one per link) of links that are not the reporter's own.
UNLINKED_OWN = (
    select(func.count())
    .where(_unlinked.indicator_id == IndicatorRecord.id, _unlinked.reporter_own == true())
    .scalar_subquery()
)
_reviewed = aliased(ReportIndicator)
UNLINKED_REVIEWED = (
    select(func.count())
    .where(
        IndicatorReview.indicator_id == IndicatorRecord.id,
        IndicatorReview.state.in_(UNLINKING),
        ~select(_reviewed.report_id)
        .where(
            _reviewed.report_id == IndicatorReview.report_id,
            _reviewed.indicator_id == IndicatorReview.indicator_id,
            _reviewed.reporter_own == true(),
        )
        .exists(),
    )
    .scalar_subquery()
)
INDICATOR_TALLIES = select(
    IndicatorRecord.id,
    # All links (the index alone answers) less those that merge nothing.
    select(func.count()).where(_named.indicator_id == IndicatorRecord.id).scalar_subquery()
    - UNLINKED_OWN
    - UNLINKED_REVIEWED,
    select(CampaignReport.campaign_id)
    .join(_placed, _placed.report_id == CampaignReport.report_id)
    .where(_placed.indicator_id == IndicatorRecord.id, ~rejected(_placed))
    .limit(1)
    .scalar_subquery(),
).where(IndicatorRecord.id.in_(IDS))
CAMPAIGNS_OF = select(CampaignReport.report_id, CampaignReport.campaign_id).where(
    CampaignReport.report_id.in_(IDS)
)
# Core tables, not the ORM classes: an ORM bulk UPDATE would try to sync the session's objects.
_campaign_table = cast(Table, CampaignReport.__table__)
_hub_table = cast(Table, CampaignHub.__table__)
_campaigns, _hubs = _campaign_table.c, _hub_table.c
MERGE = (
    update(_campaign_table)
    .where(_campaigns.campaign_id.in_(IDS))
    .values(campaign_id=bindparam("target"))
)
COUNT_HUB_REPORTS = (
    update(_hub_table)
    .where(_hubs.indicator_id == bindparam("indicator"))
    .values(report_count=_hubs.report_count + bindparam("added"))
)


def new_report_links(session: Session, report_ids: Sequence[int]) -> list[tuple[int, int, bool]]:
    """(report, indicator, is a hub) of every link of these reports that may merge."""
    rows: list[tuple[int, int, bool]] = []
    for chunk in _chunks(report_ids):
        result = _core(session).execute(NEW_REPORT_LINKS, {"ids": chunk})
        rows.extend((r, i, bool(h)) for r, i, h in result)
    return rows


def indicator_tallies(session: Session, indicator_ids: Sequence[int]) -> dict[int, Tally]:
    """Per indicator: the reports naming it, and the campaign of one of them that has one.

    Stored campaigns keep every non-hub indicator's reports together, so one report tells the
    campaign; the count walks the indicator index only. Both stay cheap however many reports
    name the indicator.
    """
    tallies: dict[int, Tally] = {}
    for chunk in _chunks(indicator_ids):
        result = _core(session).execute(INDICATOR_TALLIES, {"ids": chunk})
        tallies.update((i, Tally(n, c)) for i, n, c in result)
    return tallies


def campaigns_of(session: Session, report_ids: Sequence[int]) -> dict[int, int]:
    """{report: campaign} for those of these reports that have one."""
    found: dict[int, int] = {}
    for chunk in _chunks(report_ids):
        found.update((r, c) for r, c in _core(session).execute(CAMPAIGNS_OF, {"ids": chunk}))
    return found


def members_of(session: Session, campaign_ids: Sequence[int]) -> list[int]:
    members: list[int] = []
    for chunk in _chunks(campaign_ids):
        stmt = select(CampaignReport.report_id).where(CampaignReport.campaign_id.in_(chunk))
        members.extend(session.scalars(stmt))
    return members


def open_links(session: Session, report_ids: Sequence[int]) -> tuple[IdArray, IdArray]:
    """(report ids, indicator ids) of these reports' links that may merge and are no hub."""
    rows: list[tuple[int, int]] = []
    hubs = select(CampaignHub.indicator_id)
    for chunk in _chunks(report_ids):
        stmt = (
            select(ReportIndicator.report_id, ReportIndicator.indicator_id)
            .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
            .where(
                ReportIndicator.report_id.in_(chunk),
                IndicatorRecord.allowlisted.is_(False),
                ReportIndicator.indicator_id.not_in(hubs),
                ~rejected(ReportIndicator),
            )
        )
        rows.extend((r, i) for r, i in session.execute(stmt))
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


@cache
def _placement(dialect: str) -> Any:
    """INSERT … ON CONFLICT (report_id) DO UPDATE of a report's campaign, for this dialect."""
    table = _campaign_table
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.report_id], set_={"campaign_id": stmt.excluded.campaign_id}
    )


def place_reports(session: Session, placements: Mapping[int, int]) -> None:
    """Store each report's campaign (replacing the one it had)."""
    if not placements:
        return
    stmt = _placement(session.get_bind().dialect.name)
    rows = [{"report_id": r, "campaign_id": c} for r, c in sorted(placements.items())]
    for start in range(0, len(rows), BATCH):
        _core(session).execute(stmt, rows[start : start + BATCH])


def merge_campaigns(session: Session, merges: Mapping[int, int]) -> None:
    """Relabel every report of each merged campaign with the campaign it joins."""
    by_target: dict[int, list[int]] = {}
    for source, target in merges.items():
        by_target.setdefault(target, []).append(source)
    for target, sources in sorted(by_target.items()):
        for chunk in _chunks(sorted(sources)):
            _core(session).execute(MERGE, {"ids": chunk, "target": target})


def replace_placements(session: Session, reports: Sequence[int], partition: Partition) -> None:
    """Store a local re-partition of `reports` (after a new hub split their campaigns)."""
    for chunk in _chunks(reports):
        session.execute(delete(CampaignReport).where(CampaignReport.report_id.in_(chunk)))
    rows = zip(partition.report_ids.tolist(), partition.campaign_ids.tolist(), strict=True)
    _insert_batches(session, CampaignReport, ({"report_id": r, "campaign_id": c} for r, c in rows))


def stored_placements(session: Session) -> tuple[IdArray, IdArray]:
    """(report ids, campaign labels) of every stored placement, by report id."""
    stmt = select(CampaignReport.report_id, CampaignReport.campaign_id).order_by(
        CampaignReport.report_id
    )
    pairs = np.array(session.execute(stmt).all(), dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


_identity_table = cast(Table, Campaign.__table__)
_ids = _identity_table.c
CURRENT = _ids.label.is_not(None)
IDENTITIES_OF = select(_ids.uid, _ids.label, _ids.created_at).where(_ids.label.in_(IDS))


@dataclass(frozen=True, slots=True)
class Identity:
    uid: UUID
    label: int
    created_at: datetime


def identities(session: Session, labels: Sequence[int] | None = None) -> list[Identity]:
    """The current identifiers of the campaigns with these labels (of every campaign: None)."""
    if labels is None:
        rows = session.execute(select(_ids.uid, _ids.label, _ids.created_at).where(CURRENT))
        return [Identity(uid, label, at) for uid, label, at in rows]
    found: list[Identity] = []
    for chunk in _chunks(labels):  # a prebuilt Core statement: linking's hot path
        rows = _core(session).execute(IDENTITIES_OF, {"ids": chunk})
        found.extend(Identity(uid, label, at) for uid, label, at in rows)
    return found


# Sizes that decide which merged campaign's identifier survives: counted up to a cap, and in
# full only when two campaigns pass it (a merge of two large campaigns is rare; a new report
# joining a large campaign and a small one is not, and must not count the large one's reports).
SIZE_CAP = 1_000
LABEL: BindParameter[int] = bindparam("label")
CAPPED_SIZE = select(func.count()).select_from(
    select(CampaignReport.report_id).where(CampaignReport.campaign_id == LABEL)
    .limit(bindparam("cap")).subquery()
)  # fmt: skip
FULL_SIZE = select(func.count()).where(CampaignReport.campaign_id == LABEL)


def capped_sizes(session: Session, labels: Sequence[int], cap: int = SIZE_CAP) -> dict[int, int]:
    """{label: number of reports} of these campaigns, or `cap` for the one campaign (if any)
    that has more (exact when two or more have)."""
    connection = _core(session)
    sizes = {
        label: connection.scalar(CAPPED_SIZE, {"label": label, "cap": cap}) or 0 for label in labels
    }
    if sum(size >= cap for size in sizes.values()) > 1:
        for label, size in sizes.items():
            if size >= cap:
                sizes[label] = connection.scalar(FULL_SIZE, {"label": label}) or 0
    return sizes


RETIRE = (
    update(_identity_table)
    .where(_ids.uid == bindparam("retired"))
    .values(label=None, merged_into=bindparam("survivor"))
)
REPOINT = (
    update(_identity_table)
    .where(_ids.merged_into == bindparam("retired"))
    .values(merged_into=bindparam("survivor"))
)
NEW_IDENTITY = insert(_identity_table)
RELABEL = update(_identity_table).where(_ids.uid == bindparam("kept")).values(label=bindparam("to"))


def store_identities(session: Session, changes: Identities, created_at: datetime) -> None:
    """Store the outcome of `tipline.campaigns.identity.carry_identities`."""
    connection = _core(session)
    if changes.merged:
        retired = [{"retired": r, "survivor": s} for r, s in changes.merged.items()]
        connection.execute(REPOINT, retired)  # every retired identifier one hop from a current one
        connection.execute(RETIRE, retired)
    for chunk in _chunks(sorted(changes.dissolved)):
        connection.execute(update(_identity_table).where(_ids.uid.in_(chunk)).values(label=None))
    if changes.relabelled:
        moved = [{"kept": u, "to": label} for u, label in changes.relabelled.items()]
        connection.execute(RELABEL, moved)
    fresh = [{"uid": uuid4(), "label": label, "created_at": created_at} for label in changes.fresh]
    for start in range(0, len(fresh), BATCH):  # Core, not an ORM bulk insert: linking's hot path
        connection.execute(NEW_IDENTITY, fresh[start : start + BATCH])


def locate(session: Session, uid: UUID) -> tuple[int | None, UUID | None] | None:
    """(current label, identifier merged into) of a campaign identifier; None if unknown."""
    row = session.execute(
        select(Campaign.label, Campaign.merged_into).where(Campaign.uid == uid)
    ).first()
    return None if row is None else (row[0], row[1])


@dataclass(frozen=True, slots=True)
class Current:
    """The campaign an identifier names now: itself, or the one it was merged into."""

    uid: UUID
    label: int


def current_campaigns(session: Session, uids: Sequence[UUID]) -> dict[UUID, Current | None]:
    """{identifier: the campaign it names now} for these identifiers: None for one dissolved
    (its reports are gone); unknown identifiers are left out. A retired identifier points at a
    current one (chains are collapsed), so one join answers."""
    survivor = aliased(Campaign)
    found: dict[UUID, Current | None] = {}
    for chunk in _chunks(sorted(set(uids))):
        stmt = (
            select(Campaign.uid, Campaign.label, survivor.uid, survivor.label)
            .outerjoin(survivor, survivor.uid == Campaign.merged_into)
            .where(Campaign.uid.in_(chunk))
        )
        for uid, label, merged_into, merged_label in session.execute(stmt):
            if label is not None:
                found[uid] = Current(uid, label)
            elif merged_into is not None and merged_label is not None:
                found[uid] = Current(merged_into, merged_label)
            else:
                found[uid] = None
    return found


def uids_of(session: Session, labels: Sequence[int]) -> dict[int, UUID]:
    """{label: identifier} of the campaigns with these labels."""
    return {i.label: i.uid for i in identities(session, labels)}


def flag_hubs(session: Session, counts: Mapping[int, int], flagged_at: datetime) -> None:
    rows = [
        {"indicator_id": i, "report_count": n, "flagged_at": flagged_at}
        for i, n in sorted(counts.items())
    ]
    _insert_batches(session, CampaignHub, rows)


def count_hub_reports(session: Session, added: Mapping[int, int]) -> None:
    """Add the new reports naming each hub to its stored report count."""
    if added:
        rows = [{"indicator": i, "added": n} for i, n in sorted(added.items())]
        _core(session).execute(COUNT_HUB_REPORTS, rows)


@dataclass(frozen=True, slots=True)
class CampaignSize:
    campaign_id: int
    reports: int
    newest_report_id: int


def campaign_sort_key(size: CampaignSize, newest_first: bool) -> tuple[int, int]:
    """A listed campaign's place: (newest report, reports) or (reports, newest report), both
    descending. A report is in one campaign, so the newest report alone tells campaigns apart."""
    if newest_first:
        return (size.newest_report_id, size.reports)
    return (size.reports, size.newest_report_id)


def linked_campaigns(
    session: Session, caller: Caller, newest_first: bool, page: Keyset
) -> tuple[list[CampaignSize], int]:
    """A keyset page of the caller's campaigns of more than one report, largest (or newest)
    first (`campaign_sort_key`), and how many there are; up to `page.size + 1` rows, in page
    order, the extra one telling that there is more that way.

    Report ids grow as reports arrive, so a campaign's newest report is its largest id: no join.
    """
    reports, newest = func.count(), func.max(CampaignReport.report_id)
    grouped = (
        select(CampaignReport.campaign_id, reports, newest)
        .where(campaign_scope(caller))
        .group_by(CampaignReport.campaign_id)
        .having(func.count() > 1)
    )
    total = session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    key = (newest, reports) if newest_first else (reports, newest)
    if page.anchor is not None:
        place, anchor = tuple_(*key), tuple_(*page.anchor)
        grouped = grouped.having(place > anchor if page.backwards else place < anchor)
    order = [k.asc() for k in key] if page.backwards else [k.desc() for k in key]
    rows = session.execute(grouped.order_by(*order).limit(page.size + 1))
    found = [CampaignSize(c, n, m) for c, n, m in rows]
    return found[::-1] if page.backwards else found, total


def campaign_size(session: Session, caller: Caller, campaign_id: int) -> int:
    """How many reports the campaign has: 0 for none, or for a caller who may not read it."""
    stmt = select(func.count()).where(
        CampaignReport.campaign_id == campaign_id, campaign_scope(caller)
    )
    return session.scalar(stmt) or 0


@dataclass(frozen=True, slots=True)
class CampaignReportRow:
    id: int
    code: str
    created_at: datetime
    category: str
    urgency: str
    loss_amount: Decimal | None
    loss_currency: str | None
    province: str | None
    narrative: str


def campaign_reports(
    session: Session, caller: Caller, campaign_id: int, limit: int, offset: int
) -> list[CampaignReportRow]:
    """A page of a campaign's reports, newest first."""
    stmt = (
        select(
            Report.id, Report.code, Report.created_at, Report.category, Report.urgency,
            Report.loss_amount, Report.loss_currency, Report.province, Report.narrative,
        )
        .join(CampaignReport, CampaignReport.report_id == Report.id)
        .where(
            CampaignReport.campaign_id == campaign_id,
            campaign_scope(caller),
            report_scope(caller),
        )
        .order_by(Report.id.desc())
        .limit(limit)
        .offset(offset)
    )  # fmt: skip
    # The narrative is read whole (it is decrypted), then cut.
    return [CampaignReportRow(*row[:8], row[8][:EXCERPT]) for row in session.execute(stmt)]


@dataclass(frozen=True, slots=True)
class IndicatorTally:
    id: int
    kind: str
    value: str
    reports: int
    hub: bool
    allowlisted: bool


def top_indicators(
    session: Session, caller: Caller, campaign_id: int, limit: int
) -> list[IndicatorTally]:
    """The indicators most of the campaign's reports name, hubs flagged; allowlisted values (a
    bank's real site, facebook.com) link nothing and are left out."""
    reports = func.count().label("reports")
    stmt = (
        select(
            IndicatorRecord.id, IndicatorRecord.kind, IndicatorRecord.value, reports,
            CampaignHub.indicator_id.is_not(None), IndicatorRecord.allowlisted,
        )
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .join(CampaignReport, CampaignReport.report_id == ReportIndicator.report_id)
        .outerjoin(CampaignHub, CampaignHub.indicator_id == IndicatorRecord.id)
        .where(
            CampaignReport.campaign_id == campaign_id,
            campaign_scope(caller),
            IndicatorRecord.allowlisted.is_(False),
        )
        .group_by(
            IndicatorRecord.id, IndicatorRecord.kind, IndicatorRecord.value,
            CampaignHub.indicator_id, IndicatorRecord.allowlisted,
        )
        .order_by(reports.desc(), IndicatorRecord.id)
        .limit(limit)
    )  # fmt: skip
    return [
        IndicatorTally(i, k, v, n, bool(h), bool(a)) for i, k, v, n, h, a in session.execute(stmt)
    ]


def graph_reports(session: Session, caller: Caller, campaign_id: int) -> list[ReportNode]:
    stmt = (
        select(Report.id, Report.code, Report.category, Report.narrative)
        .join(CampaignReport, CampaignReport.report_id == Report.id)
        .where(
            CampaignReport.campaign_id == campaign_id,
            campaign_scope(caller),
            report_scope(caller),
        )
    )
    return [ReportNode(*row[:3], row[3][:EXCERPT]) for row in session.execute(stmt)]


def graph_links(
    session: Session, caller: Caller, campaign_id: int
) -> tuple[list[IndicatorNode], list[tuple[int, int]]]:
    """The campaign's non-allowlisted links, and the indicators they name (hubs flagged)."""
    stmt = (
        select(
            ReportIndicator.report_id, IndicatorRecord.id, IndicatorRecord.kind,
            IndicatorRecord.value, CampaignHub.indicator_id.is_not(None),
        )
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .join(CampaignReport, CampaignReport.report_id == ReportIndicator.report_id)
        .outerjoin(CampaignHub, CampaignHub.indicator_id == IndicatorRecord.id)
        .where(
            CampaignReport.campaign_id == campaign_id,
            campaign_scope(caller),
            IndicatorRecord.allowlisted.is_(False),
            ~rejected(ReportIndicator),
        )
        .order_by(ReportIndicator.report_id, IndicatorRecord.id)
    )  # fmt: skip
    indicators: dict[int, IndicatorNode] = {}
    links: list[tuple[int, int]] = []
    for report, ident, kind, value, hub in session.execute(stmt):
        indicators.setdefault(ident, IndicatorNode(ident, kind, value, bool(hub)))
        links.append((report, ident))
    return list(indicators.values()), links


def campaign_totals(
    session: Session, caller: Caller, campaign_ids: Sequence[int]
) -> list[ReportTotal]:
    """These campaigns' reports summed by the database in one pass: per campaign, category,
    currency and contact, the reports, their losses and the span of their incidents."""
    loss = case((Report.loss_amount > 0, Report.loss_amount))
    stmt = (
        select(
            CampaignReport.campaign_id, Report.category, Report.loss_currency,
            Report.reporter_contact, func.count(), func.sum(loss),
            func.min(Report.occurred_at), func.max(Report.occurred_at),
        )
        .join(Report, CampaignReport.report_id == Report.id)
        .where(CampaignReport.campaign_id.in_(campaign_ids), campaign_scope(caller))
        .group_by(
            CampaignReport.campaign_id, Report.category, Report.loss_currency,
            Report.reporter_contact,
        )
    )  # fmt: skip
    return [ReportTotal(*row) for row in session.execute(stmt)]


def names_of(session: Session, uids: Sequence[UUID]) -> dict[UUID, str]:
    """The names analysts gave these campaigns (those without one are left out)."""
    stmt = select(Campaign.uid, Campaign.name).where(
        Campaign.uid.in_(uids), Campaign.name.is_not(None)
    )
    return {uid: name for uid, name in session.execute(stmt) if name is not None}


def rename(session: Session, uid: UUID, name: str | None) -> None:
    session.execute(update(Campaign).where(Campaign.uid == uid).values(name=name))


def is_hub(session: Session, indicator_id: int) -> bool:
    stmt = select(CampaignHub.indicator_id).where(CampaignHub.indicator_id == indicator_id)
    return session.execute(stmt).first() is not None


def reports_naming(session: Session, indicator_id: int) -> int:
    """How many reports name this indicator (a hub's stored count starts from it)."""
    stmt = select(func.count()).where(
        ReportIndicator.indicator_id == indicator_id, ~rejected(ReportIndicator)
    )
    return int(session.scalar(stmt) or 0)
