"""What is shareable now, as groups of STIX objects to publish (`tipline.sharing.publishing`):
the definitions every bundle may refer to, each shareable indicator's objects, and each
campaign's with its `indicates` relationships. Read set-based from the repository: a handful of
aggregate queries, however many indicators.

A campaign is shared when one of its indicators is, at the least restrictive TLP of those (its
aggregates are the same whoever reads them), with the categories of its reports; a relationship
at its indicator's TLP, kind and categories, so that a partner receives it only with both ends.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from tipline.sharing import repository, stix
from tipline.sharing.patterns import (
    CUSTOM_SCOS,
    Observable,
    carried,
    extension_definition,
    observable,
    project_identity,
)
from tipline.sharing.policy import ALL_CATEGORIES_MASK, categories_of, category_mask
from tipline.sharing.publishing import Builder, Expected, Published, fragment
from tipline.sharing.tlp import TLP_ORDER, Tlp, marking_definition, parse_tlp

# ISO 4217's code for "no currency" (as tipline.campaigns.summary sums such losses apart).
NO_CURRENCY = "XXX"


def definitions(identity_name: str) -> list[Published]:
    """The objects every bundle may refer to: this instance, the project that defines tipline's
    extensions, those extensions, and the TLP markings."""
    bodies = [
        stix.instance_identity(identity_name),
        project_identity(),
        stix.campaign_extension_definition(),
        *(extension_definition(custom) for custom in CUSTOM_SCOS.values()),
        *(marking_definition(tlp) for tlp in TLP_ORDER),
    ]
    return [Published(body, Tlp.CLEAR, None, ALL_CATEGORIES_MASK) for body in bodies]


@dataclass(frozen=True, slots=True)
class SharedIndicator:
    """A shareable indicator: what is shared of it, and its categories' mask."""

    share: stix.IndicatorShare
    mask: int

    @property
    def item(self) -> Observable:
        """Its observable (built when its objects are: most publishings build none)."""
        found = observable(self.share.kind, self.share.value)
        assert found is not None, "shared_indicators keeps only what STIX can carry"
        return found


@dataclass
class _Span:
    """Reports behind an indicator or a campaign, added up over their categories."""

    mask: int = 0
    reports: int = 0
    first: Any = None
    last: Any = None

    def add(self, category: str, reports: int, first: Any, last: Any) -> None:
        self.mask |= category_mask([category])
        self.reports += reports
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)


def _spans(tallies: list[repository.Tally]) -> dict[Any, _Span]:
    spans: dict[Any, _Span] = defaultdict(_Span)
    for tally in tallies:
        spans[tally.key].add(tally.category, tally.reports, tally.first, tally.last)
    return spans


def shared_indicators(
    session: Session, default_tlp: Tlp, ids: Collection[int] | None = None
) -> dict[int, SharedIndicator]:
    """Every shareable indicator (of `ids`, when given), with the aggregate of the reports that
    confirm it."""
    spans: dict[int, _Span] = {}
    facts: dict[int, tuple[str, str, str | None]] = {}
    for tally in repository.shareable_tallies(session, ids):
        if tally.id not in spans:
            spans[tally.id] = _Span()
            facts[tally.id] = (tally.kind, tally.value, tally.tlp)
        spans[tally.id].add(tally.category, tally.reports, tally.first, tally.last)
    shared = {}
    categories_named = lru_cache(maxsize=None)(categories_of)
    levels = {tlp.value: tlp for tlp in TLP_ORDER}
    for ident, (kind, value, tlp) in facts.items():
        if not carried(kind, value):
            continue
        span = spans[ident]
        level = levels.get(tlp or "") or (parse_tlp(tlp) if tlp else default_tlp)
        share = stix.IndicatorShare(
            kind, value, level, categories_named(span.mask), span.reports, span.first, span.last
        )
        shared[ident] = SharedIndicator(share, span.mask)
    return shared


def indicator_group(
    shared: SharedIndicator, creator: str, version: stix.Version
) -> list[Published]:
    objects = stix.indicator_objects(shared.share, shared.item, creator, version)
    return [Published(body, shared.share.tlp, shared.share.kind, shared.mask) for body in objects]


def indicator_expected(shared: SharedIndicator, creator: str) -> Expected:
    """What an indicator's stored objects say if it has not changed: its observed-data's
    creator, marking and observation (first and last observed, how many reports)."""
    fragments = (
        stix.observation_text(shared.share),
        _creator_fragment(creator),
        _marking_fragment(shared.share.tlp),
    )
    return Expected("observed-data", fragments, shared.share.tlp, shared.mask)


@lru_cache(maxsize=64)
def _creator_fragment(creator: str) -> str:
    return fragment({"created_by_ref": creator})


@lru_cache(maxsize=8)
def _marking_fragment(tlp: Tlp) -> str:
    return fragment({"object_marking_refs": [tlp.marking_id]})


def campaign_group(
    campaign: stix.CampaignShare,
    mask: int,
    members: list[SharedIndicator],
    creator: str,
    version: stix.Version,
) -> list[Published]:
    body = stix.campaign_object(campaign, creator, version)
    group = [Published(body, campaign.tlp, None, mask, needs_campaigns=True)]
    for member in members:
        source = stix.indicator_id(member.item)
        tlp = member.share.tlp
        link = stix.relationship("indicates", source, body["id"], tlp, creator, version)
        group.append(Published(link, tlp, member.share.kind, member.mask, needs_campaigns=True))
    return group


def _losses(
    session: Session, uids: Collection[UUID] | None = None
) -> dict[UUID, tuple[tuple[str, str], ...]]:
    sums: dict[UUID, dict[str, Decimal]] = defaultdict(dict)
    for uid, currency, amount in repository.campaign_losses(session, uids):
        code = currency or NO_CURRENCY
        sums[uid][code] = sums[uid].get(code, Decimal(0)) + amount
    return {
        uid: tuple((code, f"{amount:.2f}") for code, amount in sorted(by_code.items()))
        for uid, by_code in sums.items()
    }


def campaign_groups(
    session: Session,
    shared: Mapping[int, SharedIndicator],
    creator: str,
    uids: Collection[UUID] | None = None,
) -> dict[str, Builder]:
    """A builder for each campaign (of `uids`, when given) with a shared indicator, by origin
    (`campaign:<uid>`); `shared` holds at least every indicator of those campaigns."""
    members: dict[UUID, list[int]] = defaultdict(list)
    for uid, ident in repository.campaign_indicators(session, uids):
        if ident in shared:
            members[uid].append(ident)
    spans = _spans(repository.campaign_tallies(session, uids))
    losses = _losses(session, uids)
    groups: dict[str, Builder] = {}
    for uid, idents in members.items():
        span, items = spans[uid], [shared[i] for i in sorted(idents)]
        tlp = min((item.share.tlp for item in items), key=lambda level: level.rank)
        campaign = stix.CampaignShare(
            uid, tlp, categories_of(span.mask), span.reports, span.first, span.last,
            losses.get(uid, ()),
        )  # fmt: skip
        groups[f"campaign:{uid}"] = partial(campaign_group, campaign, span.mask, items, creator)
    return groups
