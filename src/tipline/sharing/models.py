"""What is shared, as stored: one row per published STIX object, with what decides who may
receive it (its TLP, the indicator kind, the categories behind it, whether it is campaign data).

A partner's policy lives on its record (`tipline.partners.models.Partner`: `max_tlp`,
`categories`, `kinds`, `campaigns`); an indicator's TLP on `indicator.tlp`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base
from tipline.db_types import UtcDateTime

STIX_ID_LENGTH = 120
RECIPIENT_LENGTH = 120


class SharedObject(Base):
    """One STIX 2.1 object as partners receive it (`body`, its JSON), at its latest version.

    `origin` names the record it was made from (`indicator:42`, `campaign:<uid>`), so that
    publishing that record again replaces its objects. An object that may no longer be shared
    (its indicator rejected, its TLP raised) is kept as a revoked version, so that partners who
    took it learn of it; `date_added` orders TAXII's pages and `added_after`.
    """

    __tablename__ = "shared_object"
    __table_args__ = (
        Index("ix_shared_object_date_added", "date_added", "stix_id"),
        Index("ix_shared_object_origin", "origin"),
    )

    stix_id: Mapped[str] = mapped_column(String(STIX_ID_LENGTH), primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(80))
    tlp: Mapped[str] = mapped_column(String(16))  # tipline.sharing.tlp.TLPS
    kind: Mapped[str | None] = mapped_column(String(16))  # an indicator's kind, None otherwise
    category_mask: Mapped[int] = mapped_column(Integer)  # tipline.sharing.policy
    needs_campaigns: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    modified: Mapped[datetime] = mapped_column(UtcDateTime)  # the STIX version
    date_added: Mapped[datetime] = mapped_column(UtcDateTime)  # when this version was published
    body: Mapped[str] = mapped_column(Text)  # the STIX object, JSON

    def __repr__(self) -> str:
        return f"SharedObject({self.stix_id}, {self.tlp})"


class DeliveredObject(Base):
    """One published object as one recipient last received it: its version, the marking it
    bore, and whether it came as that recipient's withdrawal (`tipline.sharing.recipients`).

    `recipient` is `partner:<id>` for a partner agency (its TAXII pulls, our pushes to it, a
    bundle written for it) or `<channel>:<name>` for an export to no partner (`stix:clear`,
    `misp:clear`). A revoked version goes only to recipients that received the object: its id
    is a hash of the value, so anyone else could try values until one gives that id.
    """

    __tablename__ = "delivered_object"

    recipient: Mapped[str] = mapped_column(String(RECIPIENT_LENGTH), primary_key=True)
    stix_id: Mapped[str] = mapped_column(String(STIX_ID_LENGTH), primary_key=True)
    tlp: Mapped[str] = mapped_column(String(16))  # the marking it received
    modified: Mapped[datetime] = mapped_column(UtcDateTime)  # the version it received
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    delivered_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PendingSighting(Base):
    """A partner's sightings of an indicator it has not sent yet: a TAXII page may carry a
    sighting before the page of its indicator. Kept (the latest count) until the indicator
    comes, then moved onto its listing (`tipline.sharing.importing`)."""

    __tablename__ = "pending_sighting"

    source: Mapped[str] = mapped_column(String(100), primary_key=True)  # IndicatorSource.source
    stix_id: Mapped[str] = mapped_column(String(STIX_ID_LENGTH), primary_key=True)
    sightings: Mapped[int] = mapped_column(Integer)
    last_seen: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


# The tables of syncing with partners' servers and of the TAXII server's POSTed envelopes
# live beside that code (tipline.sharing.sync, tipline.sharing.taxii);
# importing them here puts them in the metadata the migrations cover (migrations.env_models).
from tipline.sharing.sync import models as sync_models  # noqa: E402, F401
from tipline.sharing.taxii import models as taxii_models  # noqa: E402, F401
