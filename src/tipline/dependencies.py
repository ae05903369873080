"""Request dependencies every capability's routes share: the database session, and the session
of the read-heavy paths (checks, feeds, the dashboard), on the replica when one is configured."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request, from the app's session factory; closed (rolled back) after.

    Services commit their own use cases, so nothing is committed here. It is an async
    dependency so that opening it costs no thread hop; making a session does no I/O (the
    connection is taken on first use, in whichever thread the route runs).
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        yield session


async def get_read_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request of a read-heavy path: on the streaming replica
    (`TIPLINE_REPLICA_URL`) when the app has one, else on the primary like `get_session`.

    What it reads may lag the primary by the replica's replay delay (tens of milliseconds on
    loopback, docs/scaling.md); a write through it fails (a hot standby is read-only)."""
    factory: sessionmaker[Session] = request.app.state.read_session_factory
    with factory() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]
ReadSession = Annotated[Session, Depends(get_read_session)]
