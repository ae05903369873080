"""Accounts use cases: users, sessions, tokens, and the caller of a request.

Every change is recorded in the audit log (never a password, a token or a cookie). Services
commit their own use cases; `principal_for_request` only reads (and at most notes a token's use).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session

from tipline.access import Principal, Role
from tipline.accounts import core, repository
from tipline.accounts.models import ApiToken, User, WebSession
from tipline.accounts.passwords import RecentlyVerified, check_password, hash_password
from tipline.accounts.schemas import TokenRead
from tipline.accounts.throttle import Attempt, checked_user
from tipline.accounts.throttle import TooManyAttempts as TooManyAttempts
from tipline.audit.service import record
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from tipline.partners.service import find_organisation, find_partner
from tipline.ratelimits.service import RateLimits

ANONYMOUS = "anonymous"
SIGN_IN_REFUSED = "Wrong username or password."
VERIFIED = RecentlyVerified()  # passwords of HTTP Basic (machine protocols) checked recently


# --- users -----------------------------------------------------------------------------------


def create_user(
    session: Session,
    actor: str,
    username: str,
    role: Role | str,
    password: str,
    display_name: str | None = None,
    *,
    partner: str | None = None,
    organisation: str | None = None,
) -> User:
    """Add a user with an argon2 hash of `password`; a partner or platform user with the name
    of the partner agency or organisation it acts for."""
    name = core.normal_username(username)
    if problem := core.username_problem(name):
        raise InvalidInput(problem, field="username")
    if problem := core.password_problem(password):
        raise InvalidInput(problem, field="password")
    try:
        chosen = core.parse_role(role) if isinstance(role, str) else role
    except ValueError as exc:
        raise InvalidInput(str(exc), field="role") from None
    partner_id, organisation_id = _affiliation(session, chosen, partner, organisation)
    if repository.user_by_name(session, name) is not None:
        raise Conflict(f"user {name!r} already exists", field="username")
    user = User(
        username=name,
        display_name=(display_name or "").strip()[:200] or name,
        role=chosen.value,
        password_hash=hash_password(password),
        disabled=False,
        created_at=utc_now(),
        partner_id=partner_id,
        organisation_id=organisation_id,
    )
    session.add(user)
    session.flush()
    details = {"username": name, "role": chosen.value}
    details |= {"partner": partner} if partner is not None else {}
    details |= {"organisation": organisation} if organisation is not None else {}
    record(session, actor, "user.add", "user", user.id, details)
    session.commit()
    return user


def _affiliation(
    session: Session, role: Role, partner: str | None, organisation: str | None
) -> tuple[int | None, int | None]:
    """The ids of the partner agency and organisation a new user of `role` acts for."""
    if problem := core.affiliation_problem(role, partner is not None, organisation is not None):
        raise InvalidInput(problem, field="role")
    return (
        find_partner(session, partner).id if partner is not None else None,
        find_organisation(session, organisation).id if organisation is not None else None,
    )


def list_users(session: Session) -> Sequence[User]:
    """Every user, by username."""
    return repository.all_users(session)


def find_user(session: Session, username: str) -> User:
    user = repository.user_by_name(session, core.normal_username(username))
    if user is None:
        raise NotFound(f"no user {username!r}", field="username")
    return user


def disable_user(session: Session, actor: str, username: str) -> User:
    """Disable a user and revoke every session and token of theirs."""
    user = find_user(session, username)
    if not user.disabled:
        user.disabled = True
        repository.revoke_everything_of(session, user.id, utc_now())
        record(session, actor, "user.disable", "user", user.id, {"username": user.username})
        session.commit()
    return user


def change_password(session: Session, actor: str, username: str, password: str) -> int:
    """Give `username` a new password and end every web session of theirs (a cookie copied
    before is refused after); returns how many were live. API tokens are kept: they are separate
    credentials, each with its own expiry, listed and revoked by an admin at /admin/tokens (a
    machine integration does not break when a person changes her password)."""
    user = find_user(session, username)
    if problem := core.password_problem(password):
        raise InvalidInput(problem, field="password")
    user.password_hash = hash_password(password)
    ended = repository.revoke_sessions_of(session, user.id, utc_now())
    details = {"username": user.username, "sessions_ended": ended}
    record(session, actor, "user.password", "user", user.id, details)
    session.commit()
    return ended


# --- passwords and web sessions --------------------------------------------------------------


def verify_password(session: Session, username: str, password: str) -> User | None:
    """The user whose password this is, or None; the same work whether the user exists or not.

    A hash made with older argon2 parameters is replaced by one with the current ones.
    """
    user, matches = _check_password(session, username, password)
    return user if matches else None


def _check_password(session: Session, username: str, password: str) -> tuple[User | None, bool]:
    user = repository.user_by_name(session, core.normal_username(username))
    verdict = check_password(user.password_hash if user else None, password[:1024])
    if user is not None and verdict.needs_rehash:
        user.password_hash = hash_password(password)
    return user, user is not None and verdict.matches


def start_session(session: Session, user: User, now: datetime | None = None) -> str:
    """A new web session for `user`; returns the cookie value (stored only as its hash)."""
    now = now or utc_now()
    cookie = core.new_secret()
    session.add(
        WebSession(
            session_hash=core.secret_hash(cookie),
            user_id=user.id,
            created_at=now,
            expires_at=now + core.SESSION_LIFETIME,
        )
    )
    return cookie


def sign_in(
    session: Session, username: str, password: str, limits: RateLimits, attempt: Attempt | str
) -> tuple[User, str]:
    """Check the password (failures throttled: `tipline.accounts.throttle`) and start a session:
    (user, cookie). `attempt`: where it comes from (an address alone, or with a device cookie).

    Raises NotAuthenticated with one message for an unknown user, a wrong password and a
    disabled user alike, and TooManyAttempts while the attempt is throttled. A flood of failures
    elsewhere never stops the right password from the account's own browser or address.
    """
    now = utc_now()
    found = attempt if isinstance(attempt, Attempt) else Attempt(attempt)
    name = core.normal_username(username)[:64]
    user = checked_user(session, name, password, limits, found, now)
    if user is None:
        raise NotAuthenticated(SIGN_IN_REFUSED)
    cookie = start_session(session, user, now)
    user.last_login_at = now
    record(session, _actor(user), "login", "user", user.id, {"via": "password"})
    session.commit()
    return user, cookie


def change_own_password(
    session: Session, username: str, current: str, new: str, limits: RateLimits, attempt: Attempt
) -> str:
    """A signed-in user's new password, once her current one is checked (failures throttled as
    sign-ins are): every session of hers ends, and this browser gets a new one (its cookie)."""
    if problem := core.password_problem(new):
        raise InvalidInput(problem, field="password")
    user = checked_user(session, username, current, limits, attempt, utc_now())
    if user is None:
        raise NotAuthenticated(SIGN_IN_REFUSED)
    change_password(session, _actor(user), user.username, new)
    cookie = start_session(session, user)
    session.commit()
    return cookie


def principal_for_password(
    session: Session, username: str, password: str, limits: RateLimits, address: str
) -> Principal | None:
    """The caller of a protocol that signs each request with a password (HTTP Basic, as TAXII
    clients do): its principal, or None for wrong credentials, counted and throttled per address
    as sign-ins are (TooManyAttempts while throttled). No web session is started; a password
    verified in the last minute is not checked with argon2 again (`RecentlyVerified`)."""
    known = repository.user_by_name(session, core.normal_username(username)[:64])
    if (
        known
        and not known.disabled
        and VERIFIED.holds(known.username, password, known.password_hash)
    ):
        return _principal(known, "password")
    name = core.normal_username(username)[:64]
    user = checked_user(session, name, password, limits, Attempt(address), utc_now())
    if user is None:
        return None
    if session.dirty:  # a hash made with older parameters, replaced
        session.commit()
    VERIFIED.add(user.username, password, user.password_hash)
    return _principal(user, "password")


def end_session(session: Session, cookie: str | None) -> bool:
    """Revoke the web session of this cookie; False when there was none live."""
    if not cookie or not core.is_session_value(cookie):
        return False
    web_session = repository.web_session_by_hash(session, core.secret_hash(cookie))
    if web_session is None or web_session.revoked_at is not None:
        return False
    now = utc_now()
    web_session.revoked_at = now
    user = session.get(User, web_session.user_id)
    actor = _actor(user) if user else ANONYMOUS
    record(session, actor, "logout", "user", web_session.user_id, None, now=now)
    session.commit()
    return True


# --- API tokens ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: `plaintext` is shown once and never stored."""

    token: ApiToken
    plaintext: str


def create_token(
    session: Session, actor: str, username: str, name: str, days: int = core.DEFAULT_TOKEN_DAYS
) -> IssuedToken:
    """A new API token for `username`, valid `days` days."""
    user = find_user(session, username)
    if user.disabled:
        raise InvalidInput(f"user {user.username!r} is disabled", field="username")
    label = name.strip()[:100]
    if not label:
        raise InvalidInput("a token needs a name (what or who uses it)", field="name")
    now = utc_now()
    try:
        expires_at = core.token_expiry(now, days)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="days") from None
    plaintext = core.new_token()
    token = ApiToken(
        user_id=user.id,
        name=label,
        token_hash=core.secret_hash(plaintext),
        prefix=core.display_prefix(plaintext),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    details = {"username": user.username, "name": label, "prefix": token.prefix, "days": days}
    record(session, actor, "token.create", "api_token", token.id, details, now=now)
    session.commit()
    return IssuedToken(token, plaintext)


def revoke_token(session: Session, actor: str, token_id: int) -> ApiToken:
    """Revoke a token at once; revoking it again changes nothing."""
    token = repository.token_by_id(session, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}", field="token_id")
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        details = {"prefix": token.prefix, "name": token.name}
        record(session, actor, "token.revoke", "api_token", token.id, details)
        session.commit()
    return token


def list_tokens(session: Session, username: str | None = None) -> list[TokenRead]:
    """Every token (of one user, when named), with its state now."""
    user_id = find_user(session, username).id if username else None
    now = utc_now()
    return [
        TokenRead(
            id=token.id,
            username=user.username,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            last_used_at=token.last_used_at,
            state=core.credential_state(now, token.expires_at, token.revoked_at, user.disabled),
        )
        for token, user in repository.tokens_with_users(session, user_id)
    ]


# --- demo mode -------------------------------------------------------------------------------

# The demo's accounts, documented in the README: only `tipline demo` and `tipline serve --demo`
# make them, never a real deployment.
DEMO_ACCOUNTS = (
    ("analyst", Role.ANALYST, "demo-analyst-2026"),
    ("supervisor", Role.SUPERVISOR, "demo-supervisor-2026"),
    ("admin", Role.ADMIN, "demo-admin-2026"),
)


def ensure_demo_accounts(session: Session) -> list[tuple[str, str, str]]:
    """The demo's three accounts, made when missing: (username, role, password) of each that
    signs in with its demo password (a real user who took one of the names is left alone)."""
    for username, role, password in DEMO_ACCOUNTS:
        if repository.user_by_name(session, username) is None:
            display = f"Demo {role.value}"
            create_user(session, "system:demo", username, role, password, display)
    return demo_logins(session)


def demo_logins(session: Session) -> list[tuple[str, str, str]]:
    """The demo accounts present with their demo password (none on a real deployment)."""
    return [
        (username, role.value, password)
        for username, role, password in DEMO_ACCOUNTS
        if (user := verify_password(session, username, password)) and not user.disabled
    ]


# --- the caller of a request -----------------------------------------------------------------


def principal_for_request(session: Session, request: Request) -> Principal | None:
    """The caller from the session cookie or bearer token; None when anonymous.

    At most one indexed lookup (hash → row joined with its user); no lookup at all for a
    request that carries neither.
    """
    token = core.bearer_token(request.headers.get("authorization"))
    if token is not None:
        return principal_for_token(session, token)
    cookie = request.cookies.get(core.SESSION_COOKIE)
    if not core.cookie_may_sign(request.method, request.url.path):
        return None
    if cookie and core.is_session_value(cookie):
        return principal_for_cookie(session, cookie)
    return None


def principal_for_cookie(
    session: Session, cookie: str, now: datetime | None = None
) -> Principal | None:
    found = repository.session_with_user(session, core.secret_hash(cookie))
    if found is None:
        return None
    web_session, user = found
    if not core.is_live(now or utc_now(), web_session.expires_at, web_session.revoked_at,
                        user.disabled):  # fmt: skip
        return None
    return _principal(user, "session")


def principal_for_token(
    session: Session, token: str, now: datetime | None = None
) -> Principal | None:
    found = repository.token_with_user(session, core.secret_hash(token))
    if found is None:
        return None
    api_token, user = found
    now = now or utc_now()
    if not core.is_live(now, api_token.expires_at, api_token.revoked_at, user.disabled):
        return None
    if core.should_note_use(now, api_token.last_used_at):
        repository.note_token_use(session, api_token.id, now)
        session.commit()
    return _principal(user, "token", api_token.id)


def _principal(user: User, via: str, token_id: int | None = None) -> Principal | None:
    try:
        role = Role(user.role)
    except ValueError:  # a role this version does not know admits nothing
        return None
    return Principal(
        user_id=user.id,
        username=user.username,
        role=role,
        via=via,
        token_id=token_id,
        partner_id=user.partner_id,
        organisation_id=user.organisation_id,
    )


def _actor(user: User) -> str:
    return f"{user.role}:{user.username}"
