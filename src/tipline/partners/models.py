"""Partner agencies and organisations as stored. Their contacts are personal data: never logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import BigId, UtcDateTime, utc_now


class Partner(Base):
    """A partner agency abroad (a police unit, a hotline) that receives what is shared with it."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    contacts: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

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
