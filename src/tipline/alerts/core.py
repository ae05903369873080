"""The rules of an alert, pure: its life's steps, who may publish it, which values it may name,
and the texts a draft starts from. No database here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tipline.errors import Conflict, InvalidInput, NotPermitted
from tipline.vocabulary import LANGUAGES

DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN = "draft", "in_review", "published", "withdrawn"
STATUSES = (DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN)
FIELDS = ("title", "summary", "script", "advice")
LIMITS = {"title": 200, "summary": 1000, "script": 4000, "advice": 4000}
MAX_INDICATORS = 20
# The kinds a citizen can act on: a number to not answer, an account to not pay, a link to not
# open. File hashes and IP addresses warn no one.
SHOWN_KINDS = ("phone", "bank_account", "url", "domain", "email", "social", "crypto")

Texts = dict[str, dict[str, str]]  # {"vi": {"title": …, "summary": …}, "en": {…}}


@dataclass(frozen=True, slots=True)
class Value:
    """An indicator as an alert names it: its kind and canonical value."""

    kind: str
    value: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "value": self.value}


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indicator of the campaign: how many of its reports name it, and whether it may be
    shown at all (no hub, not allowlisted, nobody's own value)."""

    kind: str
    value: str
    reports: int


def username(actor: str) -> str:
    """`supervisor:minh` → `minh`: the person, whatever role she acted in."""
    return actor.partition(":")[2] or actor


def check_publisher(author: str, editor: str, reviewer: str) -> None:
    """A supervisor publishes what someone else wrote: neither the author nor the last editor."""
    if username(reviewer) in (username(author), username(editor)):
        raise NotPermitted("Someone else must review an alert you wrote or changed.")


def working_state(status: str, pending: str | None) -> str:
    """The state of the copy being edited: the status, or the pending change of a published
    alert."""
    return pending if status == PUBLISHED and pending else status


def check_step(status: str, pending: str | None, step: str) -> None:
    """Whether `step` (edit, submit, publish, return, withdraw) may happen now."""
    state = working_state(status, pending)
    allowed = {
        "edit": state in (DRAFT, IN_REVIEW) or status == PUBLISHED,
        "submit": state == DRAFT,
        "publish": state == IN_REVIEW,
        "return": state == IN_REVIEW,
        "withdraw": status == PUBLISHED,
    }
    if not allowed[step]:
        raise Conflict(f"An alert that is {state.replace('_', ' ')} cannot be {step}ed now.")


def private_values(own: Iterable[Value], contacts: Iterable[Value]) -> frozenset[Value]:
    """Values that are someone's own: a reporter's own phone or account, a reporter's contact."""
    return frozenset(own) | frozenset(contacts)


def eligible(candidates: Sequence[Candidate], private: frozenset[Value]) -> list[Candidate]:
    """The campaign's values an alert may name: kinds a citizen acts on, nobody's own, most
    reports first."""
    return [
        c for c in candidates if c.kind in SHOWN_KINDS and Value(c.kind, c.value) not in private
    ][:MAX_INDICATORS]


def chosen(wanted: Iterable[Value], allowed: Iterable[Candidate]) -> list[Value]:
    """The values an analyst kept, each one the campaign's eligible values: anything else
    (a value typed in, a value that became someone's own since) is refused by name."""
    known = {Value(c.kind, c.value) for c in allowed}
    picked: list[Value] = []
    for value in wanted:
        if value not in known:
            raise InvalidInput(f"{value.kind} {value.value!r} is not a value this alert may name",
                               field="indicators")  # fmt: skip
        if value not in picked:
            picked.append(value)
    return picked


def clean_texts(raw: Mapping[str, Mapping[str, Any]]) -> Texts:
    """The texts as stored: both languages, every field, trimmed and within its length; a title
    in each language is required."""
    texts: Texts = {}
    for language in LANGUAGES:
        given = raw.get(language) or {}
        texts[language] = {}
        for name in FIELDS:
            text = str(given.get(name) or "").replace("\r\n", "\n").strip()
            if len(text) > LIMITS[name]:
                raise InvalidInput(f"at most {LIMITS[name]} characters",
                                   field=f"{language}.{name}")  # fmt: skip
            texts[language][name] = text
        if not texts[language]["title"]:
            raise InvalidInput("a title is required", field=f"{language}.title")
    return texts


def leaked(texts: Texts, private: Iterable[str]) -> str | None:
    """A private value (a reporter's contact or own number) written into the texts, if any:
    an alert must never carry one, even typed by hand."""
    flat = " ".join(t for fields in texts.values() for t in fields.values()).casefold()
    compact = "".join(ch for ch in flat if ch.isalnum())
    for value in private:
        needle = value.casefold()
        digits = "".join(ch for ch in needle if ch.isalnum())
        # A phone as stored (+84905…) is written as people dial it (0905 …): its last 9 digits.
        tail = digits[-9:] if digits.isdigit() else digits
        if needle in flat or (len(digits) >= 6 and tail in compact):
            return value
    return None


def prefill(translate: Callable[[str, str], str], category: str, kinds: Iterable[str]) -> Texts:
    """A draft's texts in every language, from tipline's own words for the category and the
    kinds of values the campaign uses: never a victim's sentence."""
    texts: Texts = {}
    kinds = sorted(set(kinds))
    for language in LANGUAGES:

        def t(key: str, language: str = language) -> str:
            return translate(language, key)

        label = t(f"category.{category}")
        used = ", ".join(t(f"alerts.kinds.{kind}") for kind in kinds)
        script = t(f"alerts.prefill.script.{category}")
        if used:
            script = f"{script}\n\n{t('alerts.prefill.uses')} {used}."
        texts[language] = {
            "title": f"{t('alerts.prefill.title')}: {label}",
            "summary": t(f"alerts.prefill.summary.{category}"),
            "script": script,
            "advice": t(f"alerts.prefill.advice.{category}"),
        }
    return texts
