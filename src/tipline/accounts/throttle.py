"""Failed sign-ins, throttled so that guessing stays slow and a flood cannot lock out the person
whose account it is (OWASP's "device cookies", with addresses as a second sign of a known client).

An attempt comes from a *known* client of the account, or from anyone:

- a known client is a browser holding this account's device cookie (given at each successful
  sign-in, `tipline.accounts.devices`), else an address the account signed in from in the last
  30 days (`signin_known`; for clients without cookies, such as TAXII's HTTP Basic). Its
  failures count against that device, or that (account, address), alone, with the `signin`
  windows: failures anywhere else never reach them;
- anyone else's failures count against their address (`signin`), against the account from every
  unknown client together (`signin_account`), and against everyone (`signin_global`, a spray
  over many accounts). While the address's or the account's windows are full, an unknown
  client's attempt is refused before its password is checked, right or wrong; everyone's
  window refuses only addresses that failed themselves.

So an attacker failing from a thousand addresses exhausts the account's windows for unknown
clients (her guesses stay at their pace), while the admin signs in from her own browser or
address with the right password. A typed name that is no user's counts as one account, `nobody`:
no counter row ever holds what someone typed (people type passwords into the username box).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tipline.accounts import repository
from tipline.accounts.models import User
from tipline.accounts.passwords import check_password, hash_password
from tipline.audit.service import record
from tipline.errors import TooManyRequests
from tipline.ratelimits.service import RateLimits

SIGN_IN = "signin"  # the rate limits of failed sign-ins (tipline.settings)
SIGN_IN_ACCOUNT = "signin_account"
SIGN_IN_GLOBAL = "signin_global"
SIGN_IN_KNOWN = "signin_known"  # (account, address) pairs that signed in lately
EVERYONE = "*"
NOBODY = "nobody"
ANONYMOUS = "anonymous"
THROTTLED = "Too many failed sign-ins: try again later."


class TooManyAttempts(TooManyRequests):
    code = "too_many_attempts"


@dataclass(frozen=True, slots=True)
class Attempt:
    """Where a sign-in comes from: the client's address, and the browser's device cookie (the
    username it was given for, and its id) when it holds a valid one."""

    address: str
    device_user: str | None = None
    device: str | None = None


def checked_user(
    session: Session, name: str, password: str, limits: RateLimits, attempt: Attempt, now: datetime
) -> User | None:
    """The live user of these credentials, or None (the failure counted); TooManyAttempts while
    the attempt's windows are full. A success makes the address known to the account."""
    user = repository.user_by_name(session, name)
    known = _known_as(limits, attempt, user)
    _refuse_throttled(limits, attempt, user, known)
    verdict = check_password(user.password_hash if user else None, password[:1024])
    if user is None or not verdict.matches or user.disabled:
        failed = (user.id, user.username) if user else None
        # A wrong password changed nothing; ending the read frees this connection before the
        # counters take one, so a burst of failures never holds two connections per request.
        session.rollback()
        _note_failure(session, failed, limits, attempt, known, now)
        return None
    if verdict.needs_rehash:
        user.password_hash = hash_password(password)
    limits.hit(SIGN_IN_KNOWN, f"{user.id}@{attempt.address}")
    return user


def _known_as(limits: RateLimits, attempt: Attempt, user: User | None) -> str | None:
    """The counter of a known client of `user` (its device, or its address), else None."""
    if user is None:
        return None
    if attempt.device and attempt.device_user == user.username:
        return f"device:{attempt.device}"
    pair = f"{user.id}@{attempt.address}"
    return f"known:{pair}" if limits.seen(SIGN_IN_KNOWN, pair) else None


def _account(user: User | None) -> str:
    return f"user:{user.id}" if user is not None else NOBODY


def _refuse_throttled(
    limits: RateLimits, attempt: Attempt, user: User | None, known: str | None
) -> None:
    if known is not None:
        waits = [limits.wait(SIGN_IN, known)]
    else:
        waits = [
            limits.wait(SIGN_IN, attempt.address),
            limits.wait(SIGN_IN_ACCOUNT, _account(user)),
        ]
        if limits.seen(SIGN_IN, attempt.address):  # a spray holds back those who failed
            waits.append(limits.wait(SIGN_IN_GLOBAL, EVERYONE))
    if found := [seconds for seconds in waits if seconds is not None]:
        raise TooManyAttempts(THROTTLED, retry_after=max(found))


def _note_failure(
    session: Session,
    failed: tuple[int, str] | None,
    limits: RateLimits,
    attempt: Attempt,
    known: str | None,
    now: datetime,
) -> None:
    """Count the failure where the attempt came from. The audit log keeps one entry per failure
    on a real user, and one when an address or an account reaches its limit: not one per typed
    name (the log keeps what it is given forever), so a spray of names adds entries only at the
    throttle's pace."""
    limits.hit(SIGN_IN_GLOBAL, EVERYONE)
    limits.hit(SIGN_IN, known or attempt.address)
    if known is None:
        limits.hit(SIGN_IN_ACCOUNT, f"user:{failed[0]}" if failed else NOBODY)
    if failed is not None:
        details = {"username": failed[1], "reason": "bad_credentials"}
        record(session, ANONYMOUS, "login.fail", "user", failed[0], details, now=now)
    if known is None:
        _note_throttles(session, failed, limits, attempt.address, now)
    session.commit()


def _note_throttles(
    session: Session,
    failed: tuple[int, str] | None,
    limits: RateLimits,
    address: str,
    now: datetime,
) -> None:
    """An audit entry when this failure filled the address's windows, or a real account's."""
    if (seconds := limits.wait(SIGN_IN, address)) is not None:
        throttled: dict[str, object] = {"address": address, "retry_after": seconds}
        record(session, ANONYMOUS, "login.throttle", "address", address, throttled, now=now)
    if failed and (seconds := limits.wait(SIGN_IN_ACCOUNT, f"user:{failed[0]}")) is not None:
        details: dict[str, object] = {"username": failed[1], "retry_after": seconds}
        record(session, ANONYMOUS, "login.throttle", "user", failed[0], details, now=now)
