"""Campaigns that grew reach partners without waiting for `tipline sharing publish`.

A report joining a campaign, or a merge, is intake's work, which sharing cannot hook into
(sharing is built on intake's neighbours, not the other way round), and publishing in the
intake transaction would hold every new report behind the publication lock. So `tipline
serve` looks every `Settings.sharing_growth_seconds` for the campaigns whose published object
no longer says what they are, and publishes just those (`service.publish(campaigns=…)`):

- a published campaign whose report count changed (a report joined or left: its first and
  last seen and losses go with it), or that was merged into another (it is revoked, the one
  that took its reports published with its members);
- a campaign not published yet that now holds an indicator that is (a report joined a lone
  report whose indicator an analyst confirmed).

What does not reach partners by growth alone: the new report's own indicators. Only an
indicator an analyst confirmed is shared (docs/sharing.md): a report joins a campaign by the
values it shares with others, automatically, and its other values may be a victim's own
phone or account. They reach the published set when an analyst confirms them on the report
view, which publishes them and their campaigns at once (`tipline.sharing.markings`).
"""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy.orm import Session

from tipline.settings import Settings
from tipline.sharing import repository
from tipline.sharing.service import PublishSummary, publish

log = logging.getLogger(__name__)


def grown_campaigns(session: Session) -> set[UUID]:
    """The campaigns whose published objects no longer say what they are (the module's list)."""
    published = repository.published_campaigns(session)
    current = repository.campaign_report_counts(session, published)
    grown = {uid for uid, count in published.items() if current.get(uid) != count}
    shared = repository.published_indicator_ids(session)
    holding = {uid for uid, ident in repository.campaign_indicators(session) if ident in shared}
    return grown | (holding - published.keys())


def publish_grown(session: Session, settings: Settings) -> PublishSummary | None:
    """Publish the campaigns that grew, and commit; None when none did."""
    grown = grown_campaigns(session)
    if not grown:
        return None
    summary = publish(session, settings, indicators=(), campaigns=grown)
    session.commit()
    return summary
