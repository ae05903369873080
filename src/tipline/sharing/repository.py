"""Every query of published objects. Who may receive which object is decided here, in the
statement, from the caller: staff read every object; a partner's user (or its token) only those
its agency's policy admits; anyone else nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    case,
    delete,
    false,
    func,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from tipline.campaigns.models import Campaign, CampaignReport
from tipline.db import serialise_appends
from tipline.indicators.models import IndicatorRecord, IndicatorSource, ReportIndicator
from tipline.partners.models import Partner
from tipline.principals import Caller, Principal, Role, is_staff
from tipline.reports.models import Report
from tipline.sharing.models import PendingSighting, SharedObject
from tipline.sharing.policy import SharingPolicy, split
from tipline.sharing.publishing import Stored
from tipline.sharing.recipients import (
    partner_recipient,
    received_condition,
    withdrawn_tlp,
    within_condition,
)
from tipline.sharing.stix import CAMPAIGN_EXTENSION_ID
from tipline.sharing.tlp import parse_tlp


def policy_of(partner: Partner) -> SharingPolicy:
    """A partner's stored policy as plain values."""
    return SharingPolicy(
        max_tlp=parse_tlp(partner.max_tlp),
        categories=split(partner.categories),
        kinds=split(partner.kinds),
        campaigns=partner.campaigns,
    )


def partner_policy(session: Session, partner_id: int) -> SharingPolicy | None:
    partner = session.get(Partner, partner_id)
    return None if partner is None else policy_of(partner)


def readable_condition(session: Session, caller: Caller) -> ColumnElement[bool]:
    """What this caller may read of `shared_object`, as a condition of its query: staff all;
    a partner agency's user what its agency may receive (`tipline.sharing.recipients`)."""
    if is_staff(caller):
        return true()
    audience = _partner_audience(session, caller)
    if audience is not None:
        return received_condition(*audience)
    return false()


def _partner_audience(session: Session, caller: Caller) -> tuple[SharingPolicy, str] | None:
    if isinstance(caller, Principal) and caller.role is Role.PARTNER and caller.partner_id:
        policy = partner_policy(session, caller.partner_id)
        if policy is not None:
            return policy, partner_recipient(caller.partner_id)
    return None


def readable_objects(session: Session, caller: Caller) -> Select[SharedObject]:
    """The published objects this caller may receive, oldest addition first (TAXII's order);
    callers add their own filters (`added_after`, `match[type]`…) and limits."""
    return (
        select(SharedObject)
        .where(readable_condition(session, caller))
        .order_by(SharedObject.date_added, SharedObject.stix_id)
    )


def readable_rows(
    session: Session, caller: Caller
) -> Select[str, datetime, str, datetime, str, str | None]:
    """As `readable_objects`, as (stix_id, date_added, body, modified, tlp, withdrawn_tlp)
    rows: `withdrawn_tlp` is the marking a partner had of an object it now receives as its
    own withdrawal (`recipients.withdrawn_tlp`), else None."""
    audience = None if is_staff(caller) else _partner_audience(session, caller)
    withdrawn = null() if audience is None else withdrawn_tlp(*audience)
    return readable_objects(session, caller).with_only_columns(
        SharedObject.stix_id, SharedObject.date_added, SharedObject.body, SharedObject.modified,
        SharedObject.tlp, withdrawn.label("withdrawn_tlp"),
    )  # fmt: skip


def objects_for_policy(
    policy: SharingPolicy, recipient: str, within: SharingPolicy | None = None
) -> Select[SharedObject]:
    """The published objects a recipient receives under a policy (an export at a TLP, a
    partner's feed): what the policy admits, and revocations of what it received before; of
    those, what `within` carries, if given (`recipients.within_condition`)."""
    statement = select(SharedObject).where(received_condition(policy, recipient))
    if within is not None:
        statement = statement.where(within_condition(policy, recipient, within))
    return statement.order_by(SharedObject.date_added, SharedObject.stix_id)


def objects_of_origin(session: Session, origin: str) -> list[SharedObject]:
    """The objects published from one record (`indicator:42`), to replace them."""
    statement = select(SharedObject).where(SharedObject.origin == origin)
    return list(session.scalars(statement))


# --- publishing and importing (tipline.sharing.service) ------------------------------------

# pg_advisory_xact_lock key of publishing ("tl share" as a 63-bit number).
PUBLISH_LOCK_KEY = 0x746C2073_68617265


def lock_publishing(session: Session) -> None:
    """Publish one transaction at a time, until this one ends: a publication that stamps its
    objects' `date_added` after this commits after every publication stamped before it, so a
    TAXII client resuming with `added_after` misses none (docs/sharing.md, TAXII)."""
    serialise_appends(session, PUBLISH_LOCK_KEY, cast(Table, SharedObject.__table__))


# The stored bodies publishing compares (tipline.sharing.publishing); it reads no others.
COMPARED_TYPES = ("observed-data", "campaign", "relationship", "identity", "extension-definition")
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Tally:
    """Reports of one category behind a shared indicator or a campaign: how many, when."""

    key: Any  # an indicator's id, or a campaign's uid
    category: str
    reports: int
    first: datetime
    last: datetime


def _confirmed() -> ColumnElement[bool]:
    """A link an analyst confirmed, to a report that does not call the value its own."""
    return and_(ReportIndicator.confirmed.is_(true()), ReportIndicator.reporter_own.is_(false()))


@dataclass(frozen=True, slots=True)
class IndicatorTally:
    """A shareable indicator and the reports of one category that confirm it."""

    id: int
    kind: str
    value: str
    tlp: str | None
    category: str
    reports: int
    first: datetime
    last: datetime


def shareable_tallies(session: Session, ids: Collection[int] | None = None) -> list[IndicatorTally]:
    """Every indicator that may be shared (not allowlisted, confirmed in a report that does not
    call it its own), with its confirming reports by category: one query, grouped by the
    indicator's primary key (its other columns depend on it, for PostgreSQL too)."""
    statement = (
        select(
            IndicatorRecord.id, IndicatorRecord.kind, IndicatorRecord.value, IndicatorRecord.tlp,
            Report.category, func.count(), func.min(Report.created_at),
            func.max(Report.created_at),
        )
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .join(Report, Report.id == ReportIndicator.report_id)
        .where(IndicatorRecord.allowlisted.is_(false()), _confirmed())
        .group_by(IndicatorRecord.id, Report.category)
    )  # fmt: skip
    if ids is not None:
        statement = statement.where(IndicatorRecord.id.in_(sorted(ids)))
    return [IndicatorTally(*row) for row in session.execute(statement)]


def _current_campaigns(uids: Collection[UUID] | None = None) -> Select[Any]:
    """Current campaigns with their reports (only these, when `uids` says which)."""
    statement = select(Campaign.uid).join(
        CampaignReport, CampaignReport.campaign_id == Campaign.label
    )
    return statement if uids is None else statement.where(Campaign.uid.in_(sorted(uids)))


def campaigns_naming(session: Session, indicator_ids: Collection[int]) -> set[UUID]:
    """The current campaigns with a report that names one of these indicators (confirmed or
    not: a rejected one leaves its campaign's relationships to revoke)."""
    statement = (
        _current_campaigns()
        .join(ReportIndicator, ReportIndicator.report_id == CampaignReport.report_id)
        .where(ReportIndicator.indicator_id.in_(sorted(indicator_ids)))
        .distinct()
    )
    return set(session.scalars(statement))


def indicator_values(session: Session, ids: Collection[int]) -> list[tuple[str, str]]:
    """(kind, value) of these indicators."""
    statement = select(IndicatorRecord.kind, IndicatorRecord.value).where(
        IndicatorRecord.id.in_(sorted(ids))
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def origins_relating(session: Session, stix_ids: Collection[str]) -> set[str]:
    """The groups (campaigns) with a published relationship from one of these objects."""
    found: set[str] = set()
    for stix_id in sorted(stix_ids):
        statement = select(SharedObject.origin).where(
            SharedObject.type == "relationship",
            SharedObject.body.contains(f'"source_ref":"{stix_id}"'),
        )
        found.update(session.scalars(statement.distinct()))
    return found


def campaign_tallies(session: Session, uids: Collection[UUID] | None = None) -> list[Tally]:
    """The reports of every current campaign, by category."""
    statement = (
        _current_campaigns(uids)
        .add_columns(
            Report.category, func.count(), func.min(Report.created_at), func.max(Report.created_at)
        )
        .join(Report, Report.id == CampaignReport.report_id)
        .group_by(Campaign.uid, Report.category)
    )
    return [Tally(*row) for row in session.execute(statement)]


def campaign_losses(
    session: Session, uids: Collection[UUID] | None = None
) -> list[tuple[UUID, str | None, Decimal]]:
    """Every current campaign's reported losses, summed by currency."""
    statement = (
        _current_campaigns(uids)
        .add_columns(Report.loss_currency, func.sum(Report.loss_amount))
        .join(Report, Report.id == CampaignReport.report_id)
        .where(Report.loss_amount.is_not(None))
        .group_by(Campaign.uid, Report.loss_currency)
    )
    return [(row[0], row[1], Decimal(row[2])) for row in session.execute(statement)]


def campaign_indicators(
    session: Session, uids: Collection[UUID] | None = None
) -> list[tuple[UUID, int]]:
    """(campaign uid, indicator id) for each indicator confirmed in a report of a campaign."""
    statement = (
        _current_campaigns(uids)
        .add_columns(ReportIndicator.indicator_id)
        .join(ReportIndicator, ReportIndicator.report_id == CampaignReport.report_id)
        .where(_confirmed())
        .distinct()
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def _stored(statement: Select[Any], modified: bool = True) -> Select[Any]:
    body = case((SharedObject.type.in_(COMPARED_TYPES), SharedObject.body), else_=None)
    version = SharedObject.modified if modified else null()
    columns = (
        SharedObject.stix_id, SharedObject.origin, SharedObject.tlp, SharedObject.category_mask,
        SharedObject.revoked, version, body,
    )  # fmt: skip
    return statement.with_only_columns(*columns)


def stored_witnesses(
    session: Session, origins: Sequence[str] | None = None, witness: str = "observed-data"
) -> list[Stored]:
    """What publishing reads first of every published group (of these `origins` only, when
    given): of an indicator's, its witness (its observed-data); of any other, every object.
    Bodies where publishing compares them; no versions (`stored_of_origins` reads them for the
    groups that change)."""
    statement = _stored(select(SharedObject), modified=False).where(
        or_(~SharedObject.origin.startswith("indicator:"), SharedObject.type == witness)
    )
    if origins is None:
        return [Stored(*row) for row in session.execute(statement)]
    found: list[Stored] = []
    for start in range(0, len(origins), CHUNK):
        chunk = statement.where(SharedObject.origin.in_(origins[start : start + CHUNK]))
        found += [Stored(*row) for row in session.execute(chunk)]
    return found


def stored_of_origins(session: Session, origins: Sequence[str]) -> list[Stored]:
    """Every published object of these groups (bodies where publishing compares them)."""
    found: list[Stored] = []
    for start in range(0, len(origins), CHUNK):
        chunk = origins[start : start + CHUNK]
        statement = _stored(select(SharedObject)).where(SharedObject.origin.in_(chunk))
        found += [Stored(*row) for row in session.execute(statement)]
    return found


def bodies(session: Session, stix_ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(stix_ids), CHUNK):
        chunk = stix_ids[start : start + CHUNK]
        statement = select(SharedObject.stix_id, SharedObject.body).where(
            SharedObject.stix_id.in_(chunk)
        )
        found.update({row.stix_id: row.body for row in session.execute(statement)})
    return found


def delete_objects(session: Session, stix_ids: Sequence[str]) -> None:
    for start in range(0, len(stix_ids), CHUNK):
        chunk = stix_ids[start : start + CHUNK]
        session.execute(delete(SharedObject).where(SharedObject.stix_id.in_(chunk)))


def insert_objects(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    table = cast(Table, SharedObject.__table__)  # Core's executemany: no ORM work per row
    for start in range(0, len(rows), CHUNK * 10):
        session.execute(table.insert(), list(rows[start : start + CHUNK * 10]))


def revoke_objects(session: Session, revoked: Sequence[dict[str, Any]]) -> None:
    """Write revoked versions: `{"stix_id", "body", "modified", "date_added"}` each."""
    if revoked:
        session.execute(update(SharedObject), [{**r, "revoked": True} for r in revoked])


def live_rows_of_origins(session: Session, origins: Sequence[str]) -> list[tuple[str, str]]:
    """(stix_id, body) of every object of these groups that is not revoked."""
    found: list[tuple[str, str]] = []
    for start in range(0, len(origins), CHUNK):
        statement = select(SharedObject.stix_id, SharedObject.body).where(
            SharedObject.origin.in_(origins[start : start + CHUNK]),
            SharedObject.revoked.is_(false()),
        )
        found += [(row[0], row[1]) for row in session.execute(statement)]
    return found


def latest_version(session: Session, origins: Sequence[str]) -> datetime | None:
    """The latest version (`modified`) of any object of these groups."""
    latest: datetime | None = None
    for start in range(0, len(origins), CHUNK):
        statement = select(func.max(SharedObject.modified)).where(
            SharedObject.origin.in_(origins[start : start + CHUNK])
        )
        found = session.scalar(statement)
        latest = found if latest is None or (found is not None and found > latest) else latest
    return latest


def reversion_objects(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write new versions: `{"stix_id", "body", "modified", "date_added"}` each."""
    if rows:
        session.execute(update(SharedObject), list(rows))


def export_rows(
    session: Session, policy: SharingPolicy, recipient: str, within: SharingPolicy | None = None
) -> Iterator[Any]:
    """(type, stix_id, body, modified, tlp, withdrawn_tlp, date_added) of every published
    object a recipient receives under a policy, oldest addition first (run on the connection,
    as plain rows: an export reads hundreds of thousands)."""
    columns = (
        SharedObject.type, SharedObject.stix_id, SharedObject.body, SharedObject.modified,
        SharedObject.tlp, withdrawn_tlp(policy, recipient).label("withdrawn_tlp"),
        SharedObject.date_added,
    )  # fmt: skip
    statement = objects_for_policy(policy, recipient, within).with_only_columns(*columns)
    # Options on the statement: set on the connection, they would stay for later statements.
    yield from session.connection().execute(statement.execution_options(yield_per=5000))


def misp_rows(policy: SharingPolicy, recipient: str) -> Select[*tuple[Any, ...]]:
    """The rows a MISP export reads (`export_rows`' and the kind, categories and revoked)."""
    return objects_for_policy(policy, recipient).with_only_columns(
        SharedObject.stix_id, SharedObject.body, SharedObject.modified, SharedObject.tlp,
        SharedObject.kind, SharedObject.category_mask, SharedObject.revoked,
        withdrawn_tlp(policy, recipient).label("withdrawn_tlp"), SharedObject.date_added,
    )  # fmt: skip


def upsert_partner_sources(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """A partner's listings of indicators (`IndicatorSource` columns); a listing already there
    takes the new category, TLP, sightings, id and last sighting."""
    if not rows:
        return
    table = cast(Table, IndicatorSource.__table__)
    postgres = session.get_bind().dialect.name == "postgresql"
    statement = (postgresql.insert if postgres else sqlite.insert)(table)
    changed = ("last_seen", "category", "tlp", "stix_id")
    set_: dict[str, Any] = {name: statement.excluded[name] for name in changed}
    # An indicator sent again without its sightings (they came in another page) keeps them.
    set_["sightings"] = func.coalesce(statement.excluded.sightings, table.c.sightings)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.indicator_id, table.c.source], set_=set_
    )
    ordered = sorted(rows, key=lambda row: row["indicator_id"])  # row locks in one order
    session.execute(statement, ordered)


def forget_partner_sources(session: Session, source: str, stix_ids: Sequence[str]) -> int:
    """Remove a partner's listings of the objects it revoked; how many there were."""
    removed = 0
    for start in range(0, len(stix_ids), CHUNK):
        statement = delete(IndicatorSource).where(
            IndicatorSource.source == source,
            IndicatorSource.stix_id.in_(stix_ids[start : start + CHUNK]),
        )
        result = cast(CursorResult[Any], session.execute(statement))
        removed += result.rowcount or 0
    return removed


def set_partner_sightings(
    session: Session, source: str, sightings: Mapping[str, tuple[int, datetime | None]]
) -> None:
    """A partner's sightings of indicators it sent before (in an earlier page or bundle), by
    the partner's id of each: `{stix_id: (count, last seen)}`. Listings are found a chunk of
    ids at a time (`stix_id` has no index: one scan a chunk, not one a sighting) and updated
    by their primary key."""
    ids = sorted(sightings)
    changes: list[dict[str, Any]] = []
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        statement = select(IndicatorSource.id, IndicatorSource.stix_id, IndicatorSource.last_seen)
        statement = statement.where(
            IndicatorSource.source == source,
            IndicatorSource.stix_id.in_(ids[start : start + CHUNK]),
        )
        for ident, stix_id, last_seen in session.execute(statement):
            count, last = sightings[stix_id or ""]
            found.add(stix_id or "")
            seen = last_seen if last is None else max(last_seen, last)
            changes.append({"id": ident, "sightings": count, "last_seen": seen})
    if changes:
        session.execute(update(IndicatorSource), changes)
    _keep_pending(session, source, {i: sightings[i] for i in ids if i not in found})


def _keep_pending(
    session: Session, source: str, sightings: Mapping[str, tuple[int, datetime | None]]
) -> None:
    """Keep the sightings of indicators the partner has not sent yet (the latest count)."""
    if not sightings:
        return
    table = cast(Table, PendingSighting.__table__)
    postgres = session.get_bind().dialect.name == "postgresql"
    statement = (postgresql.insert if postgres else sqlite.insert)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.source, table.c.stix_id],
        set_={name: statement.excluded[name] for name in ("sightings", "last_seen")},
    )
    rows = [
        {"source": source, "stix_id": stix_id, "sightings": count, "last_seen": last}
        for stix_id, (count, last) in sorted(sightings.items())
    ]
    session.execute(statement, rows)


def take_pending_sightings(
    session: Session, source: str, stix_ids: Sequence[str]
) -> dict[str, tuple[int, datetime | None]]:
    """The kept sightings of these indicators the partner now sends, removed from the kept."""
    found: dict[str, tuple[int, datetime | None]] = {}
    ids = sorted(set(stix_ids))
    for start in range(0, len(ids), CHUNK):
        where = (
            PendingSighting.source == source,
            PendingSighting.stix_id.in_(ids[start : start + CHUNK]),
        )
        statement = select(
            PendingSighting.stix_id, PendingSighting.sightings, PendingSighting.last_seen
        ).where(*where)
        found.update({row[0]: (row[1], row[2]) for row in session.execute(statement)})
        if found:
            session.execute(delete(PendingSighting).where(*where))
    return found


def count_for_policy(
    session: Session, policy: SharingPolicy, recipient: str, within: SharingPolicy | None = None
) -> int:
    """How many published objects a recipient receives under a policy (and `within`)."""
    chosen = objects_for_policy(policy, recipient, within)
    statement = select(func.count()).select_from(chosen.subquery())
    return session.scalar(statement) or 0


# --- campaigns that grew since they were published (tipline.sharing.growth) ---------------


def published_campaigns(session: Session) -> dict[UUID, int | None]:
    """Every campaign published and not revoked, with the report count its object says."""
    statement = select(SharedObject.origin, SharedObject.body).where(
        SharedObject.type == "campaign", SharedObject.revoked.is_(false())
    )
    found: dict[UUID, int | None] = {}
    for origin, body in session.execute(statement):
        figures = json.loads(body).get("extensions", {}).get(CAMPAIGN_EXTENSION_ID, {})
        found[UUID(origin.removeprefix("campaign:"))] = figures.get("report_count")
    return found


def campaign_report_counts(session: Session, uids: Collection[UUID]) -> dict[UUID, int]:
    """How many reports each of these campaigns has now (a retired one is not listed)."""
    found: dict[UUID, int] = {}
    ordered = sorted(uids)
    for start in range(0, len(ordered), CHUNK):
        statement = (
            _current_campaigns(ordered[start : start + CHUNK])
            .add_columns(func.count())
            .group_by(Campaign.uid)
        )
        found.update({row[0]: row[1] for row in session.execute(statement)})
    return found


def published_indicator_ids(session: Session) -> set[int]:
    """The indicators whose objects are published and not revoked."""
    statement = select(SharedObject.origin).where(
        SharedObject.type == "indicator", SharedObject.revoked.is_(false())
    )
    return {int(origin.removeprefix("indicator:")) for origin in session.scalars(statement)}
