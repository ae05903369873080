"""Advice for the victim, per category and language, from editable TOML files.

The bundled files are `advice/<language>.toml`; an operator's `<TIPLINE_DATA_DIR>/advice/
<language>.toml` overrides any field of any category (and can add a language). A language
with no advice reads the English advice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tipline.errors import InvalidInput
from tipline.settings import get_settings
from tipline.triage.lexicon_files import ADVICE_DIR, read_toml
from tipline.vocabulary import CATEGORIES

FALLBACK_LANGUAGE = "en"
_FIELDS = ("title", "steps", "evidence_to_keep", "contacts")


@dataclass(frozen=True)
class Advice:
    """What to do now, what to keep and whom to contact, for one category in one language.

    Iterating gives printable lines: the steps, then the evidence and the contacts, each
    introduced by its label in the advice's language.
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
            f"{self.evidence_label}: " + "; ".join(self.evidence_to_keep),
            f"{self.contacts_label}: " + "; ".join(self.contacts),
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
    path = folder / f"{language}.toml"
    if not path.is_file():
        return {}
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


def advice_audience(reporter: str | None, victim_age: int | None) -> str | None:
    """Whom the advice is written to: `child` for a young person reporting what happens to her
    (reporter `child`, or the victim herself under 18), `parent` or `teacher` for them, else
    None (the category's own advice)."""
    if reporter in ("child", "parent", "teacher"):
        return reporter
    if reporter == "victim" and victim_age is not None and victim_age < 18:
        return "child"
    return None


def advice_for(category: str, language: str, audience: str | None = None) -> Advice:
    """The advice for `category` in `language` (English when that language has none), written
    to `audience` (`child`, `parent`, `teacher`) where a `"<category>/<audience>"` table gives
    fields of its own."""
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
    return Advice(
        category=category,
        language=language,
        title=str(entry["title"]),
        steps=_text_list(entry["steps"], f"{language}/{category}.steps"),
        evidence_to_keep=_text_list(entry["evidence_to_keep"], f"{language}/{category}.evidence"),
        contacts=_text_list(entry["contacts"], f"{language}/{category}.contacts"),
        evidence_label=str(labels.get("evidence", "Keep as evidence")),
        contacts_label=str(labels.get("contacts", "Contact")),
    )
