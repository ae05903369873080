"""Callers for tests that call services and repositories directly: `staff("analyst:lan")`."""

from __future__ import annotations

from tipline.principals import Principal, Role


def staff(actor: str, user_id: int = 1) -> Principal:
    """A staff caller whose audit name is `actor` (`role:username`), signed in on the web."""
    role, _, username = actor.partition(":")
    principal = Principal(user_id=user_id, username=username, role=Role(role), via="session")
    assert principal.is_staff, actor
    return principal
