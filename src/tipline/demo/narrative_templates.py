"""Sentence templates for generated reports, loaded once from `templates/*.json`.

A template is a sentence with `[a|b|c]` alternatives and `{slot}` places. Loading expands the
alternatives, then writes each Vietnamese template in three styles people use: with diacritics,
without them, and in teen-code; each variant is pre-split into literal text and slot names so
that filling it is a loop of appends.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from tipline.demo.surface_forms import strip_marks

# A template split into parts: even positions are literal text, odd positions are slot names.
Template = tuple[str, ...]
# The variants of one written template (its `[a|b]` alternatives expanded).
Group = tuple[Template, ...]
# section -> key (category or outcome) -> groups; "ask"/"extra"/"age" use the key "".
Section = dict[str, tuple[Group, ...]]
MAX_VARIANTS = 96
# A story sentence with these says money moved: not told in a report where nothing was lost.
LOSS_WORDS = (
    "amount2",
    "chuyển",
    "chuyen",
    "ck ",
    "transfer",
    "paid",
    "sent",
    "nạp",
    "nap ",
    "deposit",
    "trừ",
    "tru ",
    "taken",
    "mất",
    "lost",
)

# A story sentence with these says a threat is still running (a deadline, more demands): not
# told in a story that is over (a `*_past` outcome), whose urgency is then true.
ONGOING_WORDS = (
    "tối nay",
    "toi nay",
    "24 giờ",
    "24 gio",
    "trưa mai",
    "trua mai",
    "vẫn đòi",
    "van doi",
    "tiếp tục đòi",
    "tiep tuc doi",
    "by tonight",
    "24 hours",
    "noon tomorrow",
    "keep demanding",
)

_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")
# Teen-code as Vietnamese teenagers type it (applied to the template, never to an indicator).
TEEN_CODE = (
    ("không", "ko"),
    ("Không", "Ko"),
    ("được", "đc"),
    ("biết", "bít"),
    ("rồi", "r"),
    ("gì", "j"),
    ("vậy", "z"),
    ("mình", "mk"),
    ("với", "vs"),
    ("chuyển khoản", "ck"),
    ("tài khoản", "tk"),
    ("quá", "wá"),
    ("nhiều", "nhìu"),
    ("thôi", "thui"),
    ("muốn", "mún"),
    ("luôn", "lun"),
    ("bây giờ", "bh"),
    ("mọi người", "mn"),
    ("tin nhắn", "tn"),
    ("Facebook", "fb"),
    ("em", "e"),
    ("Em", "E"),
    ("anh", "a"),
    ("điện thoại", "đt"),
    ("trước", "trc"),
    ("người", "ng"),
    ("nhưng", "nhưg"),
)
_TEEN = [(re.compile(rf"(?<!\w){re.escape(word)}(?!\w)"), short) for word, short in TEEN_CODE]


def expand(template: str) -> list[str]:
    """Every sentence a template with `[a|b]` alternatives stands for (at most MAX_VARIANTS)."""
    pieces = _ALTERNATIVES.split(template)
    choices = [[piece] if i % 2 == 0 else piece.split("|") for i, piece in enumerate(pieces)]
    sentences = []
    for combo in itertools.islice(itertools.product(*choices), MAX_VARIANTS):
        text = re.sub(r" {2,}", " ", "".join(combo)).replace(" ,", ",").strip()
        sentences.append(text)
    return sentences


def teen(text: str) -> str:
    text = text.replace("trẻ em", "\0")  # "children" stays whole
    for pattern, short in _TEEN:
        text = pattern.sub(short, text)
    text = text.replace("\0", "trẻ em")
    return text.lower() if text[:1].isalpha() else text


def split_slots(text: str) -> Template:
    return tuple(_SLOT.split(text))


def styled(sentence: str, style: str) -> str:
    if style == "vi_plain":
        return strip_marks(sentence)
    if style == "vi_teen":
        short = teen(sentence)
        return strip_marks(short) if len(short) % 2 else short
    return sentence


def _compile(sentences: Iterable[str], style: str) -> tuple[Group, ...]:
    return tuple(
        tuple(split_slots(styled(sentence, style)) for sentence in expand(template))
        for template in sentences
    )


def _load(lang: str) -> dict[str, object]:
    source = resources.files("tipline.demo").joinpath("templates", f"{lang}.json")
    loaded: dict[str, object] = json.loads(source.read_text(encoding="utf-8"))
    return loaded


@cache
def templates(style: str) -> dict[str, Section]:
    """Sections (open, story, outcome, extra, age, ask) of compiled templates for one style,
    with the stories fit for a report with no loss (`story_noloss`) and for one that is over
    (`story_past`)."""
    raw = _load("en" if style == "en" else "vi")
    compiled: dict[str, Section] = {}
    for section, body in raw.items():
        if isinstance(body, dict):
            compiled[section] = {key: _compile(items, style) for key, items in body.items()}
        elif isinstance(body, list):
            compiled[section] = {"": _compile(body, style)}
    compiled["story_noloss"] = {
        category: tuple(g for g in story if not any(w in "".join(g[0]) for w in LOSS_WORDS))
        for category, story in compiled["story"].items()
    }
    compiled["story_past"] = {
        category: tuple(g for g in story if not _says_any(g, ONGOING_WORDS))
        for category, story in compiled["story"].items()
    }
    return compiled


def _says_any(group: Group, words: tuple[str, ...]) -> bool:
    """Some variant of the template holds one of `words` (any case)."""
    return any(word in "".join(variant).lower() for variant in group for word in words)
