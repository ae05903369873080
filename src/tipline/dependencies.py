"""Request dependencies every capability's routes share: the database session."""

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
    session = factory()
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session)]
