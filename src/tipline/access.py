"""Who may use which page or endpoint.

Every route declares its audience with one dependency: `allow(Role.ANALYST, ...)` for the roles
that may use it, or `PUBLIC` for anyone (a citizen, anonymous). The declaration is a marker the
access-matrix test finds on every route, so a route that declares nothing fails the suite.

    @pages.get("/queue")
    def queue(principal: Staff, session: DbSession) -> HTMLResponse: ...

    @router.post("/check/bulk", dependencies=[Depends(PUBLIC)])

The roles and the `Principal` are shared vocabulary (`tipline.principals`), named here too
because every route's declaration uses them. The caller comes from `get_principal`: the web
session cookie or the `Authorization: Bearer` token, resolved by the function the app was
assembled with (`app.state.resolve_principal`: `tipline.accounts.service.principal_for_request`),
so that this bottom-layer module, which every capability's routes import, imports no capability.
Tests replace it with `app.dependency_overrides[get_principal]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tipline.dependencies import DbSession
from tipline.errors import NotAuthenticated, NotPermitted
from tipline.principals import LEAD_ROLES as LEAD_ROLES
from tipline.principals import STAFF_ROLES as STAFF_ROLES
from tipline.principals import Principal as Principal
from tipline.principals import Role as Role

PrincipalResolver = Callable[[Session, Request], Principal | None]
"""Who is calling: the signed-in user or the bearer token's holder, or None (anonymous)."""


async def get_principal(request: Request, session: DbSession) -> Principal | None:
    """The caller of this request, or None when anonymous."""
    resolve: PrincipalResolver = request.app.state.resolve_principal
    return resolve(session, request)


class Access:
    """The audience a route declares; as a dependency it returns the caller or refuses."""

    def __init__(self, roles: tuple[Role, ...] | None) -> None:
        self.roles = frozenset(roles) if roles is not None else None

    @property
    def is_public(self) -> bool:
        return self.roles is None

    def admits(self, role: Role | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)

    async def __call__(
        self, principal: Annotated[Principal | None, Depends(get_principal)]
    ) -> Principal | None:
        if self.roles is None:
            return principal
        if principal is None:
            raise NotAuthenticated("Please sign in.")
        if principal.role not in self.roles:
            raise NotPermitted("Your role may not use this page.")
        return principal

    def __repr__(self) -> str:
        names = "public" if self.roles is None else ",".join(sorted(self.roles))
        return f"Access({names})"


def allow(*roles: Role) -> Access:
    """The declaration of a route that these roles (and only these) may use."""
    if not roles:
        raise ValueError("allow() needs at least one role; use PUBLIC for everyone")
    return Access(roles)


PUBLIC = Access(None)
_STAFF = allow(*STAFF_ROLES)
_LEAD = allow(*LEAD_ROLES)
_ADMIN = allow(Role.ADMIN)

Staff = Annotated[Principal, Depends(_STAFF)]
Lead = Annotated[Principal, Depends(_LEAD)]
Admin = Annotated[Principal, Depends(_ADMIN)]
Anyone = Annotated[Principal | None, Depends(PUBLIC)]
