"""Partner agencies and organisations as stored. Their contacts are personal data: never logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now
from tipline.indicators.types import Kind
from tipline.vocabulary import CATEGORIES

# A new partner's policy names every category and kind (and only TLP:CLEAR, no campaigns).
ALL_CATEGORIES = ",".join(sorted(CATEGORIES))
ALL_KINDS = ",".join(sorted(k.value for k in Kind))


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

    def __repr__(self) -> str:  # never the contacts
        return f"Organisation(id={self.id!r}, name={self.name!r}, kind={self.kind!r})"
