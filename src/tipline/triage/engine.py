"""Triage with a given model and allowlist: both layers and the rules, for one report or a batch
(spec: triage.md). Pure: `tipline.triage.triage(text, …)` passes the installation's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tipline.indicators.allowlist import Allowlist
from tipline.indicators.extract import extract_with
from tipline.indicators.types import Indicator
from tipline.triage.cues import CueReading, Lexicon, default_lexicon, read_cues
from tipline.triage.features import cue_features
from tipline.triage.language import detect_language
from tipline.triage.model import TriageModel
from tipline.triage.normalise import normalise
from tipline.triage.quotes import written_cues
from tipline.triage.rules import (
    adult_in_child_setting,
    at_risk,
    category_reason,
    child_category,
    decide_urgency,
    images_category,
    no_child_named,
)
from tipline.triage.verdict import Triage
from tipline.vocabulary import Category

MAX_INDICATOR_REASONS = 5
# Cues are read on this many characters at most; a longer report is cut (hostile input).
MAX_TEXT_CHARS = 100_000


def _indicator_reasons(indicators: Sequence[Indicator]) -> list[str]:
    listed = sorted(indicators, key=lambda item: item.allowlisted)
    return [
        f"{item.kind.value} {item.value}" + (" (allowlisted)" if item.allowlisted else "")
        for item in listed[:MAX_INDICATOR_REASONS]
    ]


def _category(
    scores: dict[str, float], cues: CueReading, victim_age: int | None, adult: str | None
) -> tuple[Category, list[str]]:
    category = Category(max(scores, key=lambda label: scores[label]))
    reasons = [category_reason(category, cues)]
    not_child = no_child_named(category, cues, victim_age, scores)
    if not_child:
        category, reasons = not_child[0], [not_child[1]]
    by_demand = images_category(category, cues)
    if by_demand:
        category, reasons = by_demand[0], [by_demand[1]]
    moved = child_category(category, cues, victim_age, adult, scores)
    if moved:
        category = Category.CHILD_EXPLOITATION
        reasons = [moved]
    return category, reasons


@dataclass(frozen=True, slots=True)
class _Read:
    """What triage reads from one report before the model scores it."""

    text: str
    normalised: str
    cues: CueReading
    vector: list[float]
    indicators: Sequence[Indicator]


def _read(
    text: str, indicators: Sequence[Indicator] | None, lexicon: Lexicon, allowlist: Allowlist
) -> _Read:
    text = text[:MAX_TEXT_CHARS].replace("\x00", " ")
    found = extract_with(text, allowlist) if indicators is None else indicators
    normalised = normalise(text)
    cues = read_cues(normalised, lexicon)
    kinds = [item.kind.value for item in found if not item.allowlisted]
    return _Read(text, normalised, cues, cue_features(cues, lexicon, kinds), found)


def _decide(
    read: _Read,
    scores: tuple[dict[str, float], dict[str, float]],
    victim_age: int | None,
    loss_amount: Decimal | float | None,
    language: str | None = None,
) -> Triage:
    category_scores, urgency_scores = scores
    cues = written_cues(read.cues, read.text)  # the reasons quote her words, not their forms
    adult = adult_in_child_setting(cues, victim_age, category_scores)
    category, reasons = _category(category_scores, cues, victim_age, adult)
    loss = Decimal(str(loss_amount)) if loss_amount is not None else None
    urgency, urgency_reasons = decide_urgency(
        category, urgency_scores, cues, victim_age, loss, adult
    )
    if adult:
        reasons.append(adult)
    return Triage(
        category=category,
        urgency=urgency,
        language=language or detect_language(read.text),
        reasons=[*reasons, *urgency_reasons, *_indicator_reasons(read.indicators)],
        category_scores={k: round(v, 4) for k, v in category_scores.items()},
        cue_scores={k: read.cues.score(k) for k in read.cues.category_terms},
        at_risk=at_risk(category, cues, victim_age, adult),
    )


def triage_with(
    model: TriageModel,
    allowlist: Allowlist,
    text: str,
    victim_age: int | None = None,
    loss_amount: Decimal | float | None = None,
    indicators: Sequence[Indicator] | None = None,
    lexicon: Lexicon | None = None,
) -> Triage:
    """Triage `text` with a given model; `allowlist` reads its indicators unless `indicators`
    gives them (the pure core of `triage`)."""
    read = _read(text, indicators, lexicon or default_lexicon(), allowlist)
    return _decide(read, model.predict(read.normalised, read.vector), victim_age, loss_amount)


@dataclass(frozen=True, slots=True)
class TriageInput:
    """One report of a batch: what `triage` takes."""

    text: str
    victim_age: int | None = None
    loss_amount: Decimal | float | None = None
    indicators: Sequence[Indicator] | None = None
    language: str | None = None  # the report's language when its sender states it


def triage_many_with(
    model: TriageModel,
    allowlist: Allowlist,
    inputs: Sequence[TriageInput],
    lexicon: Lexicon | None = None,
) -> list[Triage]:
    """`triage_with` of each input, the model scoring the whole batch in one product: the
    same verdicts, for less work per report (bulk import)."""
    lexicon = lexicon or default_lexicon()
    reads = [_read(item.text, item.indicators, lexicon, allowlist) for item in inputs]
    scores = model.predict_many([r.normalised for r in reads], [r.vector for r in reads])
    return [
        _decide(read, score, item.victim_age, item.loss_amount, item.language)
        for read, score, item in zip(reads, scores, inputs, strict=True)
    ]
