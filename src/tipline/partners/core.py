"""The pure rules of partners and organisations: what a name, a country and a kind may be."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tipline.indicators.types import Kind
from tipline.vocabulary import CATEGORIES

ORGANISATION_KINDS = ("bank", "telecom", "platform", "other")
MAX_NAME_LENGTH = 200
MAX_CONTACTS_LENGTH = 2000
COUNTRY_PATTERN = re.compile(r"[A-Z]{2}")


def normal_name(text: str) -> str:
    """A record's name with its spaces tidied: `  Thai  Police ` → `Thai Police`."""
    return " ".join(text.split())


def name_problem(name: str) -> str | None:
    if not name:
        return "a name is needed"
    if len(name) > MAX_NAME_LENGTH:
        return f"a name has at most {MAX_NAME_LENGTH} characters"
    return None


def normal_country(text: str) -> str:
    return text.strip().upper()


def country_problem(country: str) -> str | None:
    if COUNTRY_PATTERN.fullmatch(country) is None:
        return "a country is its two-letter ISO 3166 code, e.g. TH, KH, SG"
    return None


def kind_problem(kind: str) -> str | None:
    if kind not in ORGANISATION_KINDS:
        return f"an organisation's kind is one of {', '.join(ORGANISATION_KINDS)}"
    return None


def contacts_problem(contacts: str) -> str | None:
    if len(contacts) > MAX_CONTACTS_LENGTH:
        return f"contacts have at most {MAX_CONTACTS_LENGTH} characters"
    return None


def _words(chosen: Iterable[str], every: tuple[str, ...]) -> str:
    kept = set(chosen)
    return "all" if kept >= set(every) else ", ".join(w for w in every if w in kept)


def agreement_line(kinds: Iterable[str], categories: Iterable[str], min_confidence: int) -> str:
    """An organisation's feed agreement in one line (docs/feeds.md): `kinds: phone, url ·
    categories: all · confidence ≥ 70`; `none` when it allows nothing."""
    kinds, categories = list(kinds), list(categories)
    if not kinds or not categories:
        return "none"
    every_kind = tuple(kind.value for kind in Kind)
    return (
        f"kinds: {_words(kinds, every_kind)} · categories: {_words(categories, CATEGORIES)} · "
        f"confidence ≥ {min_confidence}"
    )


def listed_words(stored: str) -> list[str]:
    """A stored comma-separated list: `phone,url` → `["phone", "url"]`."""
    return [word for word in stored.split(",") if word]
