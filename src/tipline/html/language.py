"""The reader's language, one rule for pages and API alike.

An explicit choice first (`?lang=`, else the cookie that remembers it), then the browser's
`Accept-Language`, then Vietnamese. The languages are those with a catalogue of this package's
messages: adding one is adding catalogues, not code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import Request

from tipline.vocabulary import DEFAULT_LANGUAGE

LANGUAGE_COOKIE = "tipline_lang"


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """Vietnamese, then every other language the shared catalogue is translated into."""
    folder = resources.files("tipline.html").joinpath("locale")
    found = sorted(entry.name for entry in folder.iterdir() if entry.is_dir())
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


def _known(candidate: str | None) -> str | None:
    code = (candidate or "").strip().lower()
    return code if code in languages() else None


def _accepted(header: str) -> str | None:
    """The first known language of an `Accept-Language` header, by weight then order."""
    weighted: list[tuple[float, int, str]] = []
    for order, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = _known(tag.split("-")[0])
        if code and weight > 0:
            weighted.append((-weight, order, code))
    return min(weighted)[2] if weighted else None


def choose_language(asked: str | None, remembered: str | None, accepted: str = "") -> str:
    """`asked` (the query), else `remembered` (the cookie), else `accepted`, else Vietnamese."""
    return _known(asked) or _known(remembered) or _accepted(accepted) or DEFAULT_LANGUAGE


def request_language(request: Request) -> str:
    """The language to answer this request in."""
    return choose_language(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language", ""),
    )


def asked_language(request: Request) -> str | None:
    """The language `?lang=` explicitly chose, to be remembered in the cookie."""
    return _known(request.query_params.get("lang"))
