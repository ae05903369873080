"""Risk to life: self-harm and farewell wording read from the normalised text.

The patterns are in `lexicon/risk_to_life.toml`. A report says a possible risk to life when one
`strong` pattern matches ("khong muon song nua", "I want to end my life", "she gave away her
things"), or patterns of two different `weak` groups do (a distress and an apology: "I can't do
this anymore, sorry mum"; an apology and a leaving: "em xin lỗi bố mẹ, con đi đây"). A match is
not counted when a negation stands just before it in its clause ("em không muốn chết", "I'm not
suicidal") or when it lies inside an idiom ("mệt muốn chết", "dead tired").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

WEAK_GROUPS_NEEDED = 2
_CLAUSE_END = re.compile(r"[.!?;,:\n]")


@dataclass(frozen=True, slots=True)
class RiskCues:
    """The compiled patterns of `risk_to_life.toml`."""

    strong: re.Pattern[str]
    weak: tuple[tuple[str, re.Pattern[str]], ...]
    negation: re.Pattern[str]
    idioms: re.Pattern[str] | None


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def compile_risk(table: dict[str, Any]) -> RiskCues:
    """The risk cues of a `risk_to_life.toml` table."""
    idioms = table.get("idioms", [])
    return RiskCues(
        strong=_alternation(table["strong"]["patterns"]),
        weak=tuple((group, _alternation(p)) for group, p in table.get("weak", {}).items() if p),
        negation=re.compile(table["negation"]),
        idioms=_alternation(idioms) if idioms else None,
    )


def _negated(normalised: str, start: int, cues: RiskCues) -> bool:
    """Whether a negation stands just before `start`, in the same clause."""
    window = normalised[max(0, start - 80) : start]
    ends = [match.end() for match in _CLAUSE_END.finditer(window)]
    clause = window[ends[-1] :] if ends else window
    return cues.negation.search(clause) is not None


def _affirmed(normalised: str, pattern: re.Pattern[str], cues: RiskCues) -> Iterator[str]:
    """The matches of `pattern` that are neither negated nor inside an idiom."""
    idiom_spans: list[tuple[int, int]] | None = None
    for match in pattern.finditer(normalised):
        if _negated(normalised, match.start(), cues):
            continue
        if cues.idioms is not None:
            if idiom_spans is None:
                idiom_spans = [m.span() for m in cues.idioms.finditer(normalised)]
            if any(low <= match.start() and match.end() <= high for low, high in idiom_spans):
                continue
        yield match.group()


def risk_evidence(normalised: str, cues: RiskCues) -> list[str]:
    """The words that say a possible risk to life in `normalised`, or [] when none do."""
    strong = next(_affirmed(normalised, cues.strong, cues), None)
    if strong is not None:
        return [strong]
    found = []
    for _group, pattern in cues.weak:
        shown = next(_affirmed(normalised, pattern, cues), None)
        if shown is not None:
            found.append(shown)
    return found if len(found) >= WEAK_GROUPS_NEEDED else []
