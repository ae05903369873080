"""Advice for the victim, per category and language, from editable TOML files.

The bundled files are `advice/<language>.toml`; an operator's `<TIPLINE_DATA_DIR>/advice/
<language>.toml` overrides any field of any category (and can add a language). A language
with no advice reads the English advice.

Advice reaches a page as sections (`AdviceSection`: a name, an optional heading, its lines), one
line a thing to do, so a page lays out whatever sections it is given the same way: the
category's steps, what to keep, whom to contact, and before them anything more urgent: the
`crisis_advice` of a report in which triage read a possible risk to life (who to call now, stay
with the person, keep the messages: the `[risk_to_life]` table), then the `paid_advice` of a
victim who has sent money. `advice_for(…, risk_to_life=True)` puts the same crisis steps and
contacts first in the category's own advice (the lines of the API's receipt).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

from tipline.errors import InvalidInput
from tipline.indicators.banks import Bank
from tipline.settings import get_settings
from tipline.triage.lexicon_files import ADVICE_DIR, read_toml
from tipline.vocabulary import CATEGORIES

FALLBACK_LANGUAGE = "en"
CRISIS_TABLE = "risk_to_life"
_FIELDS = ("title", "steps", "evidence_to_keep", "contacts")


@dataclass(frozen=True, slots=True)
class AdviceSection:
    """Lines of advice under one heading (None: the section speaks for itself)."""

    name: str  # what it is, for the page's layout: "paid", "steps", "evidence", "contacts"
    heading: str | None
    lines: tuple[str, ...]
    urgent: bool = False  # shown before anything else on the page


@dataclass(frozen=True)
class Advice:
    """What to do now, what to keep and whom to contact, for one category in one language.

    Iterating gives printable lines, one thing a line: the steps, then each thing to keep and
    each contact, introduced by its label in the advice's language.
    """

    category: str
    language: str
    title: str
    steps: tuple[str, ...]
    evidence_to_keep: tuple[str, ...]
    contacts: tuple[str, ...]
    evidence_label: str = "Keep as evidence"
    contacts_label: str = "Contact"

    def lines(self) -> list[str]:
        return [
            *self.steps,
            *(f"{self.evidence_label}: {item}" for item in self.evidence_to_keep),
            *(f"{self.contacts_label}: {item}" for item in self.contacts),
        ]

    def sections(self) -> list[AdviceSection]:
        """The steps, what to keep and whom to contact, each a section of its own lines."""
        return [
            AdviceSection("steps", None, self.steps),
            AdviceSection("evidence", self.evidence_label, self.evidence_to_keep),
            AdviceSection("contacts", self.contacts_label, self.contacts),
        ]

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines())

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "language": self.language,
            "title": self.title,
            "steps": list(self.steps),
            "evidence_to_keep": list(self.evidence_to_keep),
            "contacts": list(self.contacts),
        }


def operator_advice_dir() -> Path:
    return get_settings().data_dir / "advice"


def _table(folder: Path, language: str) -> dict[str, Any]:
    """The advice file of `language` in `folder` ({} if none), read again only when it changed
    (parsing it took more of a submission's time than triage)."""
    path = folder / f"{language}.toml"
    try:
        stat = path.stat()
    except OSError:
        return {}
    if not S_ISREG(stat.st_mode):
        return {}
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> dict[str, Any]:
    try:
        return read_toml(path)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"advice file {path} cannot be read: {exc}", field="advice") from exc


def _merged(language: str) -> dict[str, Any]:
    """The bundled table of `language` with the operator's fields laid over it."""
    bundled = _table(ADVICE_DIR, language)
    operator = _table(operator_advice_dir(), language)
    merged: dict[str, Any] = {key: dict(value) for key, value in bundled.items()}
    for key, value in operator.items():
        if isinstance(value, dict):
            merged.setdefault(key, {}).update(value)
    return merged


def _text_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidInput(f"advice {where} must be a list of strings", field="advice")
    return tuple(value)


def _number(contact: str) -> str:
    """A contact's number or name: what stands before its colon ("113" of "113: police")."""
    return contact.split(":", 1)[0].strip()


def _crisis(language: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The title, steps and contacts of the `[risk_to_life]` table (English when `language`
    has none)."""
    crisis = _merged(language).get(CRISIS_TABLE) or _merged(FALLBACK_LANGUAGE)[CRISIS_TABLE]
    where = f"{language}/{CRISIS_TABLE}"
    return (
        str(crisis.get("title", "")),
        _text_list(crisis.get("steps"), f"{where}.steps"),
        _text_list(crisis.get("contacts"), f"{where}.contacts"),
    )


def crisis_advice(language: str) -> AdviceSection:
    """What to do first when someone's life may be at risk: call 115 or 113 now, stay with the
    person, 111 for a child, keep the messages (shown before anything else)."""
    title, steps, _contacts = _crisis(language)
    return AdviceSection("crisis", title, steps, urgent=True)


def _crisis_first(advice: Advice) -> Advice:
    """`advice` with the crisis steps and contacts of its language put first."""
    title, steps, contacts = _crisis(advice.language)
    called = {_number(contact) for contact in contacts}
    return replace(
        advice,
        title=title or advice.title,
        steps=(*steps, *advice.steps),
        contacts=(*contacts, *(c for c in advice.contacts if _number(c) not in called)),
    )


EITHER = "either"  # a story about a child whose writer is unknown: advice to her and to an adult


def advice_audience(
    reporter: str | None, minor: bool, voice: str | None = None, child_story: bool = False
) -> str | None:
    """Whom the advice is written to: `child` for a young person reporting what happens to her
    (reporter `child`, or the victim herself when `minor`, under 18), `parent` or `teacher` for
    them, else None (the category's own advice). When the reporter is not stated and the report
    is about a child (`minor`, or `child_story`: triage read child exploitation), the story's
    `voice` (`tipline.triage.voice.story_voice`) says who writes; with no voice either, `EITHER`:
    the page speaks to her and to an adult, never to an adult alone."""
    if reporter in ("child", "parent", "teacher"):
        return reporter
    if reporter == "victim" and minor:
        return "child"
    if reporter is None and (minor or child_story):
        return voice or EITHER
    return None


def advice_for(
    category: str, language: str, risk_to_life: bool = False, audience: str | None = None
) -> Advice:
    """The advice for `category` in `language` (English when that language has none); with
    `risk_to_life`, crisis help first. Written to `audience` (`child`, `parent`, `teacher`)
    where a `"<category>/<audience>"` table gives fields of its own; to `EITHER`, a line to
    her first (the `[either]` table), then the category's own advice."""
    if category not in CATEGORIES:
        raise InvalidInput(f"unknown category {category!r}", field="category")
    table = _merged(language)
    if category not in table:
        language = FALLBACK_LANGUAGE
        table = _merged(language)
    entry = table.get(category, {}) | (table.get(f"{category}/{audience}", {}) if audience else {})
    missing = [name for name in _FIELDS if name not in entry]
    if missing:
        message = f"advice {language}/{category} lacks {', '.join(missing)}"
        raise InvalidInput(message, field="advice")
    labels = table.get("labels", {})
    advice = Advice(
        category=category,
        language=language,
        title=str(entry["title"]),
        steps=_text_list(entry["steps"], f"{language}/{category}.steps"),
        evidence_to_keep=_text_list(entry["evidence_to_keep"], f"{language}/{category}.evidence"),
        contacts=_text_list(entry["contacts"], f"{language}/{category}.contacts"),
        evidence_label=str(labels.get("evidence", "Keep as evidence")),
        contacts_label=str(labels.get("contacts", "Contact")),
    )
    if audience == EITHER:  # she may be reading: a line to her before the adult's advice
        advice = replace(advice, steps=(_to_child(language), *advice.steps))
    return _crisis_first(advice) if risk_to_life else advice


def _to_child(language: str) -> str:
    """The line to a young person who may be reading advice written to an adult."""
    either = _merged(language).get("either") or _merged(FALLBACK_LANGUAGE)["either"]
    return str(either["to_child"])


def _paid_text(language: str) -> dict[str, str]:
    table = _merged(language).get("paid") or _merged(FALLBACK_LANGUAGE).get("paid", {})
    return {key: str(value) for key, value in table.items()}


def _call_line(text: dict[str, str], key: str, bank: Bank) -> str:
    template = text[key] if bank.hotline else text[f"{key}_no_number"]
    return template.format(bank=bank.name, hotline=bank.hotline or "")


def paid_advice(language: str, own_bank: Bank | None, paid_banks: list[Bank]) -> AdviceSection:
    """What a victim who has sent money does first: call her bank now to freeze the transfer
    (its hotline when the bank is known), then the bank of the account she paid."""
    text = _paid_text(language)
    first = _call_line(text, "call_bank", own_bank) if own_bank else text["call_own_bank"]
    others = [
        _call_line(text, "receiving_bank", bank)
        for bank in dict.fromkeys(paid_banks)
        if own_bank is None or bank.code != own_bank.code
    ]
    return AdviceSection("paid", text["title"], (first, *others, text["keep_slip"]), urgent=True)
