"""STIX use cases: publish what is shareable, export it as a bundle, import partners' bundles.

`publish` reads, set-based, every shareable indicator and campaign and every published object,
and writes only what changed (`tipline.sharing.publishing`). `export_bundle` and `write_bundle`
read the published rows a policy admits. `import_bundle` files a partner's indicators under its
name (`tipline.sharing.importing`). Every export and import is written to the audit log, with
counts and STIX ids only.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TextIO
from uuid import UUID

from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.partners.models import Partner
from tipline.settings import Settings
from tipline.sharing import repository, stix
from tipline.sharing.audit import record_share
from tipline.sharing.importing import ImportSummary, import_indicators
from tipline.sharing.patterns import observable
from tipline.sharing.policy import SharingPolicy
from tipline.sharing.publishing import (
    MILLISECOND,
    Builder,
    Plan,
    make_plan,
    reversioned_row,
    revoked_row,
)
from tipline.sharing.reading import read_bundle
from tipline.sharing.recipients import (
    export_recipient,
    partner_recipient,
    record_all,
    served_body,
    unwithdrawable_origins,
)
from tipline.sharing.shares import (
    campaign_groups,
    definitions,
    indicator_expected,
    indicator_group,
    shared_indicators,
)
from tipline.sharing.tlp import Tlp, parse_tlp

DEFINITIONS = "definitions"
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class PublishSummary:
    """Groups of objects (an indicator's, a campaign's) written anew or left as they were, the
    objects written, and those revoked or no longer served."""

    written: int
    unchanged: int
    objects: int
    revoked: int
    withdrawn: int


def _ms(moment: datetime) -> datetime:
    """STIX keeps milliseconds: a version stored finer would not compare equal to its JSON."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a targeted publication covers: some indicators, and the campaigns that hold (or
    held) one of them, whose members it reads to build their relationships."""

    indicators: frozenset[int]
    campaigns: frozenset[UUID]
    members: frozenset[int]

    @property
    def origins(self) -> list[str]:
        found = [f"indicator:{ident}" for ident in sorted(self.indicators)]
        return [DEFINITIONS, *found, *(f"campaign:{uid}" for uid in sorted(self.campaigns))]


def scope_of(
    session: Session, indicator_ids: Collection[int], campaigns: Collection[UUID] = ()
) -> Scope:
    """The groups that publishing these indicators touches: theirs, and their campaigns'
    (current ones, and those with a published relationship from one of them); and these
    `campaigns` (their objects, reading their members to build them)."""
    ids = frozenset(indicator_ids)
    found = (observable(kind, value) for kind, value in repository.indicator_values(session, ids))
    stix_ids = {stix.indicator_id(item) for item in found if item is not None}
    uids = set(campaigns) | (set(repository.campaigns_naming(session, ids)) if ids else set())
    for origin in repository.origins_relating(session, stix_ids):
        uids.add(UUID(origin.removeprefix("campaign:")))
    members = {ident for _uid, ident in repository.campaign_indicators(session, uids)}
    return Scope(ids, frozenset(uids), frozenset(members | ids))


def publish(
    session: Session,
    settings: Settings,
    now: datetime | None = None,
    indicators: Collection[int] | None = None,
    campaigns: Collection[UUID] | None = None,
) -> PublishSummary:
    """Bring the published objects up to date with what is shareable now: everything, or only
    what these `indicators` touch (their objects and their campaigns') and these `campaigns`.
    One publication at a time (`repository.lock_publishing`), its moment taken once it holds
    the lock."""
    repository.lock_publishing(session)
    moment = _ms(now or utc_now())
    name = settings.sharing_identity_name
    creator = stix.identity_id(name)
    scope = None
    if indicators is not None or campaigns is not None:
        scope = scope_of(session, indicators or (), campaigns or ())
    default = parse_tlp(settings.sharing_default_tlp)
    shared = shared_indicators(session, default, None if scope is None else scope.members)
    groups: dict[str, Builder] = {DEFINITIONS: lambda _version: definitions(name)}
    expected = {}
    for ident, item in shared.items():
        if scope is None or ident in scope.indicators:
            groups[f"indicator:{ident}"] = partial(indicator_group, item, creator)
            expected[f"indicator:{ident}"] = indicator_expected(item, creator)
    campaigns = None if scope is None else scope.campaigns
    groups |= campaign_groups(session, shared, creator, campaigns)
    witnesses = repository.stored_witnesses(session, None if scope is None else scope.origins)
    stored = partial(repository.stored_of_origins, session)
    plan = make_plan(groups, witnesses, moment, expected, stored)
    _write(session, plan, moment)
    return PublishSummary(
        plan.written, plan.unchanged, len(plan.rows), len(plan.revoke), len(plan.withdraw)
    )


def _write(session: Session, plan: Plan, now: datetime) -> None:
    stored = repository.bodies(session, plan.revoke)
    revoked = [revoked_row(stix_id, body, now) for stix_id, body in stored.items()]
    repository.delete_objects(session, plan.replaced + plan.withdraw)
    repository.insert_objects(session, plan.rows)
    repository.revoke_objects(session, revoked)
    session.flush()


def withdraw_narrowed(
    session: Session, partner_id: int, policy: SharingPolicy, now: datetime | None = None
) -> int:
    """After a partner's policy was narrowed: publish again, at a new version, the groups of
    the objects it holds that the policy no longer admits, so that its next pull (or push, or
    bundle) withdraws them as a raised TLP does (`tipline.sharing.recipients`); how many
    objects. A recipient that may still receive them gets the same objects at the new version;
    one that never had them gets nothing."""
    repository.lock_publishing(session)
    origins = unwithdrawable_origins(session, partner_recipient(partner_id), policy)
    if not origins:
        return 0
    moment = _ms(now or utc_now())
    latest = repository.latest_version(session, origins)
    modified = moment if latest is None or latest < moment else latest + MILLISECOND
    rows = [
        reversioned_row(stix_id, body, modified, moment)
        for stix_id, body in repository.live_rows_of_origins(session, origins)
    ]
    repository.reversion_objects(session, rows)
    session.flush()
    return len(rows)


def policy_at(tlp: Tlp) -> SharingPolicy:
    """An export's policy: everything shareable at that TLP, every category and kind, and
    campaigns."""
    return SharingPolicy(max_tlp=tlp, campaigns=True)


@dataclass(frozen=True, slots=True)
class BundleWritten:
    bundle_id: str
    objects: int
    indicators: int


def write_bundle(
    session: Session,
    actor: str,
    policy: SharingPolicy,
    out: TextIO,
    recipient: Partner | str | None = None,
    progress: Progress | None = None,
) -> BundleWritten:
    """Write the bundle of every published object the recipient receives under the policy to
    `out` (its JSON, object by object as stored; `tipline.sharing.recipients`), remember what
    the recipient received, and record the share in the audit log. For a partner, the policy
    only narrows the partner's own (a bundle at a TLP): never more than its TAXII collection
    serves, and no withdrawal of what its own policy still admits."""
    bundle_id = f"bundle--{uuid.uuid4()}"
    out.write(f'{{"type":"bundle","id":"{bundle_id}","objects":[')
    ids: list[str] = []
    indicators = 0
    key = recipient_key("stix", policy, recipient)
    within = policy if isinstance(recipient, Partner) else None
    policy = repository.policy_of(recipient) if isinstance(recipient, Partner) else policy
    last: datetime | None = None
    for row in repository.export_rows(session, policy, key, within):
        out.write(("," if ids else "") + served_body(row))
        ids.append(row.stix_id)
        indicators += row.type == "indicator"
        last = row.date_added
        if progress is not None and len(ids) % 10_000 == 0:
            progress(10_000)
    out.write("]}")
    if last is not None:
        record_all(session, key, policy, last, utc_now(), within)
    record_share(session, actor, recipient, within or policy, "stix.bundle", len(ids), ids=ids)
    return BundleWritten(bundle_id, len(ids), indicators)


def recipient_key(channel: str, policy: SharingPolicy, recipient: Partner | str | None) -> str:
    """Whose deliveries an export remembers: the partner's, a named receiver's, or those of
    the channel's exports at the policy's TLP (`stix:clear`)."""
    if isinstance(recipient, Partner):
        return partner_recipient(recipient.id)
    return export_recipient(channel, recipient or policy.max_tlp.value)


def export_bundle(
    session: Session,
    actor: str,
    policy: SharingPolicy | Tlp,
    recipient: Partner | str | None = None,
) -> dict[str, Any]:
    """The bundle (as a dict) of every published object a policy (or a TLP) admits."""
    from io import StringIO

    chosen = policy_at(policy) if isinstance(policy, Tlp) else policy
    buffer = StringIO()
    write_bundle(session, actor, chosen, buffer, recipient)
    bundle: dict[str, Any] = json.loads(buffer.getvalue())
    return bundle


def import_bundle(
    session: Session, actor: str, source_name: str, bundle: Any, now: datetime | None = None
) -> ImportSummary:
    """File a partner's bundle: its indicators under `source_name`, with their TLP, the
    partner's ids and sighting counts. A document that is no STIX bundle is refused whole
    (InvalidInput); an indicator tipline cannot read is skipped and listed."""
    read = read_bundle(bundle)
    return import_indicators(session, actor, source_name, read, "stix.bundle", now or utc_now())
