"""Messages in gettext catalogues, one per capability: `<capability>/locale/<lang>/LC_MESSAGES/
<capability>.po`, edited with any translator's tool (Poedit, Weblate).

The message ids are keys (`cases.title`), so a catalogue is monolingual: `en.po` holds the English
text as `vi.po` holds the Vietnamese. The `.po` files are compiled in memory at the first use
(no build step); a key missing from a language falls back to Vietnamese, then to the key itself,
so a page never breaks (and `tests/html/test_i18n.py` fails on any missing translation).
"""

from __future__ import annotations

import gettext
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import tipline
from tipline.html.language import DEFAULT_LANGUAGE


def catalogue_files(language: str) -> list[Traversable]:
    """The `.po` file of `language` of every tipline package that has one, in name order."""
    files = []
    for package in sorted(pkgutil.iter_modules(tipline.__path__), key=lambda p: p.name):
        if not package.ispkg:
            continue
        entry = resources.files(f"tipline.{package.name}").joinpath(
            f"locale/{language}/LC_MESSAGES/{package.name}.po"
        )
        if entry.is_file():
            files.append(entry)
    return files


def read_catalogue(language: str) -> Catalog:
    """Every capability's messages of `language`, as one catalogue."""
    merged = Catalog(locale=language)
    for entry in catalogue_files(language):
        with entry.open("rb") as handle:
            part = read_po(handle, locale=language)
        for message in part:
            if message.id:
                merged[message.id] = message
    return merged


@lru_cache(maxsize=8)
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled messages of `language`, falling back to Vietnamese's."""
    compiled = BytesIO()
    write_mo(compiled, read_catalogue(language))
    compiled.seek(0)
    found = gettext.GNUTranslations(compiled)
    if language != DEFAULT_LANGUAGE:
        found.add_fallback(translations(DEFAULT_LANGUAGE))
    return found


@dataclass(frozen=True, slots=True)
class Translator:
    """`t("error.too_long", max=200)` → the message in this language, parameters filled in;
    `t.plural("dashboard.reports", 3, count=3)` → the plural form for 3."""

    language: str

    def __call__(self, key: str, **params: object) -> str:
        message = translations(self.language).gettext(key)
        return message.format(**params) if params else message

    def plural(self, key: str, n: int, /, **params: object) -> str:
        return translations(self.language).ngettext(key, key, n).format(**params)

    def has(self, key: str) -> bool:
        return translations(self.language).gettext(key) != key
