"""The pages' message catalogues (`vi.json`, `en.json`) and the choice of language.

Vietnamese is the default; `?lang=en` switches and a cookie remembers the choice. A key missing
from a catalogue falls back to Vietnamese, then to the key itself, so a page never breaks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tipline.vocabulary import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "tipline_lang"


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, str]:
    """Every message of one language, by key: `vi.json`, then each capability's `vi.<name>.json`
    (the analyst workspace keeps its messages apart from the citizen pages')."""
    folder = resources.files("tipline.web.i18n")
    names = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.startswith(f"{language}.") and entry.name.endswith(".json")
    )
    messages: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (n != f"{language}.json", n)):
        messages |= json.loads(folder.joinpath(name).read_text("utf-8"))
    return messages


def choose_language(asked: str | None, remembered: str | None) -> str:
    """The language asked for in the query, else the remembered one, else Vietnamese."""
    for candidate in (asked, remembered):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Translator:
    """`t("error.too_long", max=200)` → the message in this language, parameters filled in."""

    language: str

    def __call__(self, key: str, **params: object) -> str:
        message = catalogue(self.language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key, key)
        return message.format(**params) if params else message

    def has(self, key: str) -> bool:
        return key in catalogue(self.language)
