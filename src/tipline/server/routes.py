"""`GET /api/v1/health`: the service answers and its database does too."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import text

from tipline.accounts.access import PUBLIC
from tipline.dependencies import DbSession

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@router.get("/health", dependencies=[Depends(PUBLIC)])
def health(session: DbSession) -> Health:
    """`ok` when the database answers a query."""
    session.execute(text("SELECT 1"))
    return Health(status="ok", database=session.get_bind().dialect.name)
