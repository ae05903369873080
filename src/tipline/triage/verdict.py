"""What triage says about one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tipline.vocabulary import Category, Urgency


@dataclass(frozen=True)
class Triage:
    """A report's category, urgency and language, and the reasons an analyst can read.

    `category_scores` are the learned model's decision scores (the highest wins); `cue_scores`
    the cue layer's summed term weights per category (only those it found). `at_risk`: a child
    at risk or a risk to life, whom the analysts' queue shows first within an urgency.
    """

    category: Category
    urgency: Urgency
    language: str
    reasons: list[str]
    category_scores: dict[str, float] = field(default_factory=dict)
    cue_scores: dict[str, float] = field(default_factory=dict)
    at_risk: bool = False

    def to_json(self, ident: Any = None) -> dict[str, Any]:
        """The object the spec's `triage --jsonl` contract writes for one report."""
        return {
            "id": ident,
            "category": self.category.value,
            "urgency": self.urgency.value,
            "language": self.language,
            "reasons": list(self.reasons),
        }
