"""Rate counters as stored: one row per counted key and window, so every server process counts
together (`tipline serve --workers N`)."""

from __future__ import annotations

from sqlalchemy import Double, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tipline.db import Base


class RateCounter(Base):
    """Hits of one key (a limit and an address, say) in its current window.

    Expired rows count for nothing and are pruned, so the table holds at most the keys seen in
    the longest window.
    """

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[float] = mapped_column(Double, index=True)  # seconds since the epoch
    count: Mapped[int] = mapped_column(Integer)
