"""Turning a template and its values into a page: language, CSRF cookie, safe headers.

Templates are found per package: `cases/list.html` is `tipline/cases/templates/list.html`, and
the layouts are this package's (`html/base.html` for the citizen pages, `html/workspace.html`
for the analyst pages). Jinja2 autoescapes every template (not only `.html`), so whatever a
person typed is shown as text; the Content-Security-Policy forbids scripts altogether on the
citizen pages as a second wall.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment, PackageLoader, PrefixLoader, StrictUndefined

from tipline.html import csrf
from tipline.html.cookies import put_cookie
from tipline.html.i18n import Translator, translations
from tipline.html.language import LANGUAGE_COOKIE, asked_language, languages, request_language
from tipline.html.links import tappable
from tipline.html.protection import csrf_nonce, issue_token
from tipline.vocabulary import VIETNAM_TIME

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
WORKSPACE_HEADERS = SECURITY_HEADERS | {
    # The analyst pages run tipline's own scripts (charts, the campaign graph), served by tipline
    # itself; still no inline script, no other origin.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}
# A citizen page with a small script of tipline's own (the receipt's copy and print buttons):
# the page works without it, and still no inline script, no other origin.
SCRIPTED_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}
YEAR_SECONDS = 365 * 24 * 3600
# Columns whose values are vocabulary with a label in every language (`category.fraud.loan`).
LABELLED_COLUMNS = frozenset({"category", "urgency", "kind", "status", "action", "detail"})
ERROR_MESSAGES = {
    400: "error.bad_request",
    403: "error.not_permitted",
    404: "error.not_found",
    405: "error.not_found",
    409: "error.conflict",
    413: "error.too_large",
    422: "error.invalid_page",
}
# The first segment of the analysts' pages: an error there is shown in the workspace's layout.
WORKSPACE_SECTIONS = frozenset(
    {
        "queue",
        "reports",
        "campaigns",
        "cases",
        "cooperation",
        "dashboard",
        "trends",
        "admin",
        "evidence",
        "audit",
        "trainer",
    }
)


class PackageTemplates(Mapping[str, BaseLoader]):
    """`cases` → the loader of `tipline/cases/templates/`, for any tipline package that has
    templates: a capability's pages need no registration."""

    def __getitem__(self, package: str) -> BaseLoader:
        return _package_loader(package)

    def __iter__(self) -> Iterator[str]:
        return iter(())  # listing every template is never needed

    def __len__(self) -> int:
        return 0


@lru_cache(maxsize=64)
def _package_loader(package: str) -> BaseLoader:
    if not package.isidentifier() or importlib.util.find_spec(f"tipline.{package}") is None:
        raise KeyError(package)
    if not resources.files(f"tipline.{package}").joinpath("templates").is_dir():
        raise KeyError(package)
    return PackageLoader(f"tipline.{package}", "templates")


@lru_cache(maxsize=8)
def environment(language: str = "vi") -> Environment:
    """The templates of every package, with gettext (`_`, `ngettext`, `{% trans %}`) in
    `language`."""
    env = Environment(
        loader=PrefixLoader(PackageTemplates()),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["tappable"] = tappable  # advice lines with numbers and sites to tap
    return env


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@lru_cache(maxsize=4096)
def _money(amount: str, currency: str, language: str) -> str:
    # Babel's formatting costs tens of microseconds, and a queue page shows fifty amounts, many
    # of them round figures that recur: each is formatted once.
    return format_currency(Decimal(amount), currency, locale=_locale(language))


def money_filter(language: str) -> Any:
    def money(amount: Decimal | float | int, currency: str) -> str:
        return _money(str(amount), currency, language)

    return money


# Where each numeric field of a CLDR date pattern is in a value's ISO form (`isoformat()`,
# years 1000 to 9999): `2026-01-05T07:08:09+07:00`.
_ISO_SPANS = {
    "yyyy": slice(0, 4), "MM": slice(5, 7), "dd": slice(8, 10),
    "HH": slice(11, 13), "mm": slice(14, 16), "ss": slice(17, 19),
}  # fmt: skip
_PATTERN_PIECE = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")


@lru_cache(maxsize=32)
def _numeric_writer(pattern: str) -> Callable[[date], str] | None:
    """A function that writes what Babel writes for a CLDR pattern made of numeric fields and
    literal text (`dd/MM/yyyy HH:mm`, `yyyy-MM-dd '(UTC+7)'`), cut from the value's ISO form;
    None for a pattern with any other field (a month's name, an era …), which Babel formats.
    A queue page has fifty dates: Babel takes some twenty calls for each, `strftime` some
    twenty thousand instructions, the ISO form and its pieces a few thousand."""
    parts: list[str] = []
    spans: list[slice] = []
    for match in _PATTERN_PIECE.finditer(pattern):
        piece = match.group(0)
        if piece.startswith("'"):
            parts.append((piece[1:-1].replace("''", "'") or "'").replace("%", "%%"))
        elif match.group(1):
            if piece not in _ISO_SPANS:
                return None
            parts.append("%s")
            spans.append(_ISO_SPANS[piece])
        else:
            parts.append(piece.replace("%", "%%"))
    # An empty last piece, so that the pieces always come as a tuple (itemgetter of one
    # item gives the item itself).
    template, pieces = "".join(parts) + "%s", itemgetter(*spans, slice(0, 0))

    def write(value: date) -> str:
        return template % pieces(value.isoformat())

    return write


def when_filter(language: str) -> Any:
    t = Translator(language)
    locale = _locale(language)
    date_format, datetime_format = t("format.date"), t("format.datetime")
    date_writer, datetime_writer = _numeric_writer(date_format), _numeric_writer(datetime_format)

    def when(value: datetime | date | None) -> str:
        if value is None:
            return ""
        if not isinstance(value, datetime):
            if date_writer is not None and value.year >= 1000:
                return date_writer(value)
            return format_date(value, date_format, locale=locale)
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # the database keeps UTC
        local = aware.astimezone(VIETNAM_TIME)
        if datetime_writer is not None and local.year >= 1000:
            return datetime_writer(local)
        return format_datetime(local, datetime_format, locale=locale)

    return when


def _switch_href(request: Request, other: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*params, ('lang', other)])}"


def page_globals(request: Request, page: str) -> dict[str, Any]:
    """What every page template uses: the translator, formatting and the language switch."""
    language = request_language(request)
    t = Translator(language)

    def category_label(category: str | None) -> str:
        return t(f"category.{category}") if category and t.has(f"category.{category}") else ""

    def actor_label(actor: str | None) -> str:
        """`analyst:lan` → "lan (Phân tích viên)": the audit log's names, as people read them."""
        role, _, name = (actor or "").partition(":")
        if name and t.has(f"accounts.role.{role}"):
            return f"{name} ({t(f'accounts.role.{role}')})"
        return t(f"actor.{actor}") if t.has(f"actor.{actor}") else (name or role)

    others = [
        {"code": code, "href": _switch_href(request, code), "name": Translator(code)("lang.name")}
        for code in languages()
        if code != language
    ]
    return {
        "t": t,
        "tn": t.plural,
        "lang": language,
        "other_languages": others,
        "show_language_switch": True,
        "page": page,
        "category_label": category_label,
        "actor": actor_label,
        "label_of": _cell_label(t),
        "money": money_filter(language),
        "when": when_filter(language),
        "today": datetime.now(VIETNAM_TIME).date().isoformat(),
    }


def _cell_label(t: Translator) -> Any:
    def cell(column: str, value: object) -> str:
        """A value as a person reads it in its column: a category, an urgency, a kind, a status
        by its label; yes or no for a flag; a dash for nothing."""
        if value is None:
            return "—"
        if isinstance(value, bool):
            return t("value.yes") if value else t("value.no")
        key = f"{column}.{value}"
        return t(key) if column in LABELLED_COLUMNS and t.has(key) else str(value)

    return cell


def render(
    request: Request, template: str, page: str, values: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """The page, with the language cookie remembered when `?lang=` asked for one."""
    context = page_globals(request, page) | values
    html = environment(context["lang"]).get_template(template).render(context)
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    if asked := asked_language(request):
        put_cookie(request, response, LANGUAGE_COOKIE, asked, max_age=YEAR_SECONDS)
    return response


def translator(request: Request) -> Translator:
    return Translator(request_language(request))


def _with_csrf_token(
    request: Request, template: str, page: str, values: dict[str, Any], status: int
) -> HTMLResponse:
    nonce = csrf_nonce(request)
    values = values | {"csrf_token": issue_token(request, nonce)}
    response = render(request, template, page, values, status)
    put_cookie(request, response, csrf.CSRF_COOKIE, nonce)
    return response


def render_form(
    request: Request, template: str, page: str, values: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A page with a POST form: a fresh CSRF token in the form, its nonce in the cookie."""
    return _with_csrf_token(request, template, page, values, status)


def render_workspace(
    request: Request,
    template: str,
    page: str,
    values: dict[str, Any],
    principal: Any,
    status: int = 200,
) -> HTMLResponse:
    """An analyst page (extends `html/workspace.html`): the caller, a CSRF token for its forms,
    and a policy that lets tipline's own scripts run."""
    values = values | {"principal": principal}
    response = _with_csrf_token(request, template, page, values, status)
    response.headers.update(WORKSPACE_HEADERS)
    return response


def in_workspace(path: str) -> bool:
    """Whether `path` is one of the analysts' pages (`/reports/7`, not the citizen's `/report`)."""
    return path.strip("/").split("/", 1)[0] in WORKSPACE_SECTIONS


def error_page(request: Request, status: int, message_key: str | None = None) -> HTMLResponse:
    """An error as a page, for the app's error handlers to answer a person: in the workspace's
    layout on the analysts' pages, else in the citizen's."""
    key = message_key or ERROR_MESSAGES.get(status, "error.server")
    values = {"message": translator(request)(key), "status": status}
    if in_workspace(request.url.path):
        values |= {"principal": None, "csrf_token": ""}
        page = render(request, "html/workspace_error.html", "error", values, status)
        page.headers.update(WORKSPACE_HEADERS)
        return page
    return render(request, "html/error.html", "error", values, status)
