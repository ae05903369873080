"""Partner agencies and organisations as stored. Their contacts are personal data: never logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now
from tipline.indicators.types import Kind
from tipline.vocabulary import CATEGORIES

# A new partner's policy names every category and kind (and only TLP:CLEAR, no campaigns).
ALL_CATEGORIES = ",".join(sorted(CATEGORIES))
ALL_KINDS = ",".join(sorted(k.value for k in Kind))
# The lowest confidence (0-100) an organisation's feed holds until an admin says otherwise:
# indicators analysts confirmed (tipline.feeds.core.confidence), not blocklists' alone.
DEFAULT_FEED_MIN_CONFIDENCE = 70


class Partner(Base):
    """A partner agency abroad (a police unit, a hotline) that receives what is shared with it."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    contacts: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Its sharing policy (tipline.sharing.policy): the highest TLP it receives, the categories
    # and indicator kinds it gets (comma-separated), whether it receives campaigns.
    max_tlp: Mapped[str] = mapped_column(String(16), default="clear", server_default="clear")
    categories: Mapped[str] = mapped_column(
        Text, default=ALL_CATEGORIES, server_default=ALL_CATEGORIES
    )
    kinds: Mapped[str] = mapped_column(Text, default=ALL_KINDS, server_default=ALL_KINDS)
    campaigns: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def __repr__(self) -> str:  # never the contacts
        return f"Partner(id={self.id!r}, name={self.name!r}, country={self.country!r})"


class Organisation(Base):
    """A bank, a telecom or a platform: receives requests, checks values, pulls feeds."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # tipline.partners.core.ORGANISATION_KINDS
    contacts: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # What it answers for, so that tipline proposes it for an indicator: a bank's code as its
    # accounts are written (`VCB` for `VCB:…`), a telecom's number prefixes (`+8486,+8496`),
    # a platform's domains and social platforms (`facebook.com,facebook`), comma-separated.
    bank_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    phone_prefixes: Mapped[str] = mapped_column(Text, default="", server_default="")
    domains: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Its promised response time per request type, in hours ({"freeze": 2, …}); a type not
    # named takes tipline.orgrequests.core.DEFAULT_RESPONSE_HOURS.
    response_hours: Mapped[dict[str, int]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    # Where its systems take webhooks, and the secret they are signed with (sealed).
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(Text)
    # Its feed agreement (docs/feeds.md): the indicator kinds and categories it may pull
    # (comma-separated; none until an admin gives some) and the lowest confidence it receives.
    feed_kinds: Mapped[str] = mapped_column(Text, default="", server_default="")
    feed_categories: Mapped[str] = mapped_column(Text, default="", server_default="")
    feed_min_confidence: Mapped[int] = mapped_column(
        Integer,
        default=DEFAULT_FEED_MIN_CONFIDENCE,
        server_default=str(DEFAULT_FEED_MIN_CONFIDENCE),
    )

    def __repr__(self) -> str:  # never the contacts
        return f"Organisation(id={self.id!r}, name={self.name!r}, kind={self.kind!r})"
