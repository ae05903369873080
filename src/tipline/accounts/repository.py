"""Every query of accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tipline.accounts.models import ApiToken, User, WebSession


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def all_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.username)).all()


def session_with_user(session: Session, session_hash: str) -> tuple[WebSession, User] | None:
    """The web session of this cookie hash and its user: one indexed lookup."""
    statement = (
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.session_hash == session_hash)
    )
    row = session.execute(statement).one_or_none()
    return (row[0], row[1]) if row else None


def token_with_user(session: Session, token_hash: str) -> tuple[ApiToken, User] | None:
    """The API token of this hash and its user: one indexed lookup."""
    statement = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash)
    )
    row = session.execute(statement).one_or_none()
    return (row[0], row[1]) if row else None


def web_session_by_hash(session: Session, session_hash: str) -> WebSession | None:
    statement = select(WebSession).where(WebSession.session_hash == session_hash)
    return session.scalars(statement).one_or_none()


def token_by_id(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def tokens_with_users(
    session: Session, user_id: int | None = None
) -> Sequence[tuple[ApiToken, User]]:
    statement = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
    if user_id is not None:
        statement = statement.where(ApiToken.user_id == user_id)
    rows = session.execute(statement.order_by(User.username, ApiToken.id)).all()
    return [(row[0], row[1]) for row in rows]


def revoke_everything_of(session: Session, user_id: int, now: datetime) -> None:
    """Revoke every live session and token of a user."""
    for model in (WebSession, ApiToken):
        session.execute(
            update(model)
            .where(model.user_id == user_id, model.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def revoke_sessions_of(session: Session, user_id: int, now: datetime) -> int:
    """Revoke every live web session of a user; how many there were."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def note_token_use(session: Session, token_id: int, now: datetime) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
