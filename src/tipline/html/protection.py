"""CSRF as one dependency: a page's POST handler takes its form as `VerifiedForm` (or a
public route declares `dependencies=[CSRF]`), and a form posted without a valid token (another
site's, or a page left open too long) never reaches the handler: the reader gets the "page
expired" page (403) in their language.

    @pages.post("/cases/{case_id}/notes")
    async def add_note(case_id: CaseId, principal: Staff, form: VerifiedForm) -> Response: ...

As a parameter after the caller's, the check runs after the access check: an anonymous
visitor is sent to sign in, not told the page expired.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from tipline.errors import NotPermitted
from tipline.html import csrf
from tipline.settings import Settings, get_settings

# The form is parsed here once (Starlette keeps it for the handler): the most any page's form
# needs, a file (evidence, the report's QR picture) and a few dozen fields.
MAX_FORM_FILES = 1
MAX_FORM_FIELDS = 30


class FormExpired(NotPermitted):
    code = "form_expired"


def csrf_key(request: Request) -> bytes:
    """The key of the app's settings (the environment's when the app has none)."""
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    return csrf.signing_key(settings.secret_key, settings.data_dir)


def csrf_nonce(request: Request) -> str:
    """The visitor's CSRF nonce: the one in their cookie, or a new one."""
    nonce = request.cookies.get(csrf.CSRF_COOKIE)
    return nonce if nonce and csrf.is_nonce(nonce) else csrf.new_nonce()


def issue_token(request: Request, nonce: str) -> str:
    return csrf.issue_token(csrf_key(request), nonce)


def check_form(request: Request, form: FormData) -> None:
    """FormExpired unless `form` carries a token issued for this visitor's cookie."""
    token = form.get(csrf.CSRF_FIELD)
    valid = csrf.token_is_valid(
        csrf_key(request),
        request.cookies.get(csrf.CSRF_COOKIE),
        token if isinstance(token, str) else None,
    )
    if not valid:
        raise FormExpired("This form has expired: reload the page and try again.")


async def verified_form(request: Request) -> FormData:
    """The posted form, once its CSRF token holds."""
    form = await request.form(max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS)
    check_form(request, form)
    return form


CSRF = Depends(verified_form)
VerifiedForm = Annotated[FormData, CSRF]
