"""Turning a template and its values into a page: language, CSRF cookie, safe headers.

Jinja2 autoescapes every template (not only `.html`), so whatever a person typed is shown as
text; the Content-Security-Policy forbids scripts altogether as a second wall.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from tipline.settings import Settings, get_settings
from tipline.vocabulary import LANGUAGES, VIETNAM_TIME
from tipline.web import csrf
from tipline.web.i18n import LANGUAGE_COOKIE, Translator, choose_language

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
YEAR_SECONDS = 365 * 24 * 3600


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("tipline.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
    )


def request_language(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE))


def _group_digits(number: str, separator: str) -> str:
    head, _, tail = number.partition(".")
    groups: list[str] = []
    while len(head) > 3:
        head, groups = head[:-3], [head[-3:], *groups]
    grouped = separator.join([head, *groups])
    return f"{grouped}{',' if separator == '.' else '.'}{tail}" if tail else grouped


def money_filter(language: str) -> Any:
    def money(amount: Decimal | float | int, currency: str) -> str:
        value = Decimal(str(amount))
        whole = currency == "VND" or value == value.to_integral()
        text = f"{value:.0f}" if whole else f"{value:.2f}"
        return f"{_group_digits(text, '.' if language == 'vi' else ',')} {currency}"

    return money


def when_filter(language: str) -> Any:
    def when(value: datetime | date | None) -> str:
        if value is None:
            return ""
        if not isinstance(value, datetime):
            return value.strftime("%d/%m/%Y" if language == "vi" else "%Y-%m-%d")
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # the database keeps UTC
        local = aware.astimezone(VIETNAM_TIME)
        return local.strftime("%d/%m/%Y %H:%M" if language == "vi" else "%Y-%m-%d %H:%M (UTC+7)")

    return when


def _switch_href(request: Request, other: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*params, ('lang', other)])}"


def page_globals(request: Request, page: str) -> dict[str, Any]:
    """What every page template uses: the translator, formatting and the language switch."""
    language = request_language(request)
    t = Translator(language)
    other = next(code for code in LANGUAGES if code != language)

    def category_label(category: str | None) -> str:
        return t(f"category.{category}") if category and t.has(f"category.{category}") else ""

    return {
        "t": t,
        "lang": language,
        "other_lang": other,
        "switch_href": _switch_href(request, other),
        "show_language_switch": True,
        "page": page,
        "category_label": category_label,
        "money": money_filter(language),
        "when": when_filter(language),
        "today": datetime.now(VIETNAM_TIME).date().isoformat(),
    }


def render(
    request: Request, template: str, page: str, values: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """The page, with the language cookie remembered when `?lang=` asked for one."""
    context = page_globals(request, page) | values
    html = environment().get_template(template).render(context)
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, asked, max_age=YEAR_SECONDS, samesite="lax", httponly=True
        )
    return response


def translator(request: Request) -> Translator:
    return Translator(request_language(request))


def csrf_key(request: Request) -> bytes:
    """The key of the app's settings (the environment's when the app has none)."""
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    return csrf.signing_key(settings.secret_key, settings.data_dir)


def csrf_nonce(request: Request) -> str:
    """The visitor's CSRF nonce: the one in their cookie, or a new one."""
    nonce = request.cookies.get(csrf.CSRF_COOKIE)
    return nonce if nonce and csrf.is_nonce(nonce) else csrf.new_nonce()


def render_form(
    request: Request, template: str, page: str, values: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A page with a POST form: a fresh CSRF token in the form, its nonce in the cookie."""
    nonce = csrf_nonce(request)
    values = values | {"csrf_token": csrf.issue_token(csrf_key(request), nonce)}
    response = render(request, template, page, values, status)
    response.set_cookie(
        csrf.CSRF_COOKIE,
        nonce,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def csrf_passes(request: Request, token: object) -> bool:
    return csrf.token_is_valid(
        csrf_key(request),
        request.cookies.get(csrf.CSRF_COOKIE),
        token if isinstance(token, str) else None,
    )


WORKSPACE_HEADERS = SECURITY_HEADERS | {
    # The analyst pages run tipline's own scripts (charts, the campaign graph), served by tipline
    # itself; still no inline script, no other origin.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def render_workspace(
    request: Request,
    template: str,
    page: str,
    values: dict[str, Any],
    principal: Any,
    status: int = 200,
) -> HTMLResponse:
    """An analyst page (extends `workspace/base.html`): the caller, a CSRF token for its forms,
    and a policy that lets tipline's own scripts run."""
    nonce = csrf_nonce(request)
    values = values | {
        "principal": principal,
        "csrf_token": csrf.issue_token(csrf_key(request), nonce),
    }
    response = render(request, template, page, values, status)
    response.headers.update(WORKSPACE_HEADERS)
    response.set_cookie(
        csrf.CSRF_COOKIE, nonce, httponly=True, samesite="lax",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response
