"""Sign-in and sign-out pages, and the administration of users and tokens (admins only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from tipline.access import PUBLIC, Admin, Anyone, Principal, Role, Staff
from tipline.accounts import core, service
from tipline.accounts.devices import attempt_of, remember_device
from tipline.dependencies import DbSession
from tipline.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from tipline.html.cookies import drop_cookie, put_cookie
from tipline.html.protection import CSRF, VerifiedForm
from tipline.html.rendering import render_form, render_workspace, translator

pages = APIRouter(include_in_schema=False)

HOME = "/queue"


def _next_page(target: object) -> str:
    """Where to go after signing in: a local path given in `next`, else the queue."""
    text = target if isinstance(target, str) else ""
    if not core.is_local_path(text) or text.startswith(("/login", "/logout")):
        return HOME
    return text


def _login_page(
    request: Request,
    next_page: str,
    username: str = "",
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    values: dict[str, Any] = {
        "principal": None,
        "next": next_page,
        "username": username,
        "form_error": error,
    }
    return render_form(request, "accounts/login.html", "login", values, status)


@pages.get("/login", response_class=HTMLResponse)
def login_form(request: Request, principal: Anyone, next: str = "") -> Response:
    if principal is not None and principal.via == "session":
        return RedirectResponse(_next_page(next), status_code=303)
    return _login_page(request, _next_page(next))


@pages.post("/login", response_class=HTMLResponse, dependencies=[Depends(PUBLIC), CSRF])
async def login_submit(request: Request, session: DbSession) -> Response:
    form = await request.form(max_files=0, max_fields=6)
    t = translator(request)
    next_page = _next_page(form.get("next"))
    username = str(form.get("username", "")).strip()[:64]
    password = str(form.get("password", ""))
    if not username or not password:
        return _login_page(request, next_page, username, t("accounts.login.missing"), 422)
    limits = request.app.state.rate_limits
    try:
        # argon2 takes tens of milliseconds of CPU: off the event loop.
        attempt = attempt_of(request, limits.address(request))
        user, cookie = await run_in_threadpool(
            service.sign_in, session, username, password, limits, attempt
        )
    except service.TooManyAttempts as exc:
        minutes = -(-exc.retry_after // 60)
        throttled = t("accounts.login.throttled", minutes=minutes)
        page = _login_page(request, next_page, username, throttled, 429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except NotAuthenticated:
        return _login_page(request, next_page, username, t("accounts.login.refused"), 401)
    response = RedirectResponse(next_page, status_code=303)
    lifetime = int(core.SESSION_LIFETIME.total_seconds())
    put_cookie(request, response, core.SESSION_COOKIE, cookie, max_age=lifetime)
    remember_device(request, response, user.username)
    return response


@pages.post("/logout", dependencies=[Depends(PUBLIC), CSRF])
async def logout(request: Request, session: DbSession) -> Response:
    await run_in_threadpool(service.end_session, session, request.cookies.get(core.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    drop_cookie(request, response, core.SESSION_COOKIE)
    return response


# --- one's own password ----------------------------------------------------------------------

PASSWORD_PAGE = "/account/password"


def _password_page(
    request: Request, principal: Principal, notice: str | None = None,
    error: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    values = {"notice": notice, "form_error": error}
    return render_workspace(
        request, "accounts/password.html", "password", values, principal, status
    )


@pages.get(PASSWORD_PAGE, response_class=HTMLResponse)
def password_form(request: Request, principal: Staff, done: str = "") -> HTMLResponse:
    notice = translator(request)("accounts.done.changed") if done == "changed" else None
    return _password_page(request, principal, notice)


@pages.post(PASSWORD_PAGE, response_class=HTMLResponse)
async def password_change(
    request: Request, principal: Staff, session: DbSession, form: VerifiedForm
) -> Response:
    """Her password changed: every session of hers ends, this browser gets a new one."""
    t = translator(request)
    current, new = str(form.get("current", "")), str(form.get("password", ""))
    if new != str(form.get("repeat", "")):
        return _password_page(request, principal, None, t("accounts.password.mismatch"), 422)
    limits = request.app.state.rate_limits
    attempt = attempt_of(request, limits.address(request))
    try:
        cookie = await run_in_threadpool(
            service.change_own_password, session, principal.username, current, new, limits, attempt
        )
    except InvalidInput:
        return _password_page(request, principal, None, t("accounts.password.rules"), 422)
    except NotAuthenticated:
        return _password_page(request, principal, None, t("accounts.password.wrong"), 401)
    response = _done(f"{PASSWORD_PAGE}?done=changed")
    lifetime = int(core.SESSION_LIFETIME.total_seconds())
    put_cookie(request, response, core.SESSION_COOKIE, cookie, max_age=lifetime)
    return response


# --- administration: users and their tokens (admins only) --------------------------------------

ROLES = [role.value for role in Role]


def _users_page(
    request: Request,
    session: Session,
    principal: Principal,
    notice: str | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    values = {
        "users": service.list_users(session),
        "roles": ROLES,
        "notice": notice,
        "form_error": error,
        "form": form or {"username": "", "display_name": "", "role": Role.ANALYST.value},
    }
    return render_workspace(request, "accounts/users.html", "users", values, principal, status)


def _tokens_page(
    request: Request,
    session: Session,
    principal: Principal,
    notice: str | None = None,
    error: str | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    values = {
        "tokens": service.list_tokens(session),
        "users": [user for user in service.list_users(session) if not user.disabled],
        "notice": notice,
        "form_error": error,
        "new_token": new_token,
        "default_days": core.DEFAULT_TOKEN_DAYS,
    }
    return render_workspace(request, "accounts/tokens.html", "users", values, principal, status)


def _done(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@pages.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request, principal: Admin, session: DbSession, done: str = ""
) -> HTMLResponse:
    notice = translator(request)(f"accounts.done.{done}") if done in DONE else None
    return _users_page(request, session, principal, notice)


@pages.post("/admin/users", response_class=HTMLResponse)
async def users_add(
    request: Request, principal: Admin, session: DbSession, form: VerifiedForm
) -> Response:
    typed = {name: str(form.get(name, ""))[:200] for name in ("username", "display_name", "role")}
    try:
        await run_in_threadpool(
            service.create_user, session, principal.actor, typed["username"], typed["role"],
            str(form.get("password", "")), typed["display_name"],
        )  # fmt: skip
    except (InvalidInput, Conflict) as exc:
        session.rollback()
        return _users_page(request, session, principal, None, exc.message, typed, 422)
    return _done("/admin/users?done=added")


@pages.post("/admin/users/{username}/disable", response_class=HTMLResponse)
async def users_disable(
    request: Request, username: str, principal: Admin, session: DbSession, form: VerifiedForm
) -> Response:
    t = translator(request)
    if core.normal_username(username) == principal.username:
        return _users_page(request, session, principal, None, t("accounts.not_yourself"), None, 422)
    service.disable_user(session, principal.actor, username)
    return _done("/admin/users?done=disabled")


@pages.post("/admin/users/{username}/password", response_class=HTMLResponse)
async def users_password(
    request: Request, username: str, principal: Admin, session: DbSession, form: VerifiedForm
) -> Response:
    """An admin sets a user's password (a forgotten one, a suspected theft): every session of
    that user ends."""
    password = str(form.get("password", ""))
    try:
        await run_in_threadpool(
            service.change_password, session, principal.actor, username, password
        )
    except (InvalidInput, NotFound):
        session.rollback()
        error = translator(request)("accounts.password.rules")
        return _users_page(request, session, principal, None, error, None, 422)
    return _done("/admin/users?done=password")


@pages.get("/admin/tokens", response_class=HTMLResponse)
def tokens_page(
    request: Request, principal: Admin, session: DbSession, done: str = ""
) -> HTMLResponse:
    notice = translator(request)(f"accounts.done.{done}") if done in DONE else None
    return _tokens_page(request, session, principal, notice)


@pages.post("/admin/tokens", response_class=HTMLResponse)
async def tokens_create(
    request: Request, principal: Admin, session: DbSession, form: VerifiedForm
) -> Response:
    t = translator(request)
    days = str(form.get("days", "")).strip()
    try:
        issued = service.create_token(
            session, principal.actor, str(form.get("username", "")), str(form.get("name", "")),
            int(days) if days.isdigit() else -1,
        )  # fmt: skip
    except (InvalidInput, NotFound) as exc:
        session.rollback()
        return _tokens_page(request, session, principal, None, exc.message, status=422)
    notice = t("accounts.done.token_created")
    return _tokens_page(request, session, principal, notice, new_token=issued.plaintext)


TokenId = Annotated[int, Path(ge=1, le=2**62)]


@pages.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
async def tokens_revoke(
    request: Request, token_id: TokenId, principal: Admin, session: DbSession, form: VerifiedForm
) -> Response:
    service.revoke_token(session, principal.actor, token_id)
    return _done("/admin/tokens?done=revoked")


DONE = ("added", "disabled", "revoked", "password")
