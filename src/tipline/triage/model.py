"""Layer 2 of triage at run time: two linear models (category, urgency) over the features.

Training uses scikit-learn (`tipline.triage.training`); what is kept and loaded is plain
arrays: the n-gram vocabulary and IDF, and per model a weight matrix and a bias. Scoring one
report is then a gather and a dot product, with no scikit-learn import (fast load, small memory).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tipline.triage.features import (
    batch_text_features,
    raw_columns,
    text_matrix,
    word_block_end,
)

FloatArray = NDArray[np.float32]


@dataclass(frozen=True)
class LinearHead:
    """One linear model: label scores = text · W_text + cues · W_cues + bias (a linear SVM's
    decision values: the highest wins; they are not probabilities)."""

    labels: tuple[str, ...]
    text_weights: FloatArray  # (n-grams, labels)
    cue_weights: FloatArray  # (cue features, labels)
    bias: FloatArray  # (labels,)

    def state(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "text_weights": self.text_weights,
            "cue_weights": self.cue_weights,
            "bias": self.bias,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> LinearHead:
        return cls(
            labels=tuple(state["labels"]),
            text_weights=np.ascontiguousarray(state["text_weights"], dtype=np.float32),
            cue_weights=np.ascontiguousarray(state["cue_weights"], dtype=np.float32),
            bias=np.asarray(state["bias"], dtype=np.float32),
        )


@dataclass(frozen=True)
class TriageModel:
    """The learned layer: features of a normalised text → category and urgency scores."""

    vocabulary: dict[str, int]
    idf: NDArray[np.float64]
    cue_names: tuple[str, ...]
    cue_scale: float
    category: LinearHead
    urgency: LinearHead
    # Character n-gram columns per word already seen (see features.raw_columns).
    word_columns: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def predict(
        self, normalised: str, cues: Sequence[float]
    ) -> tuple[dict[str, float], dict[str, float]]:
        """Category scores and urgency scores (the highest of each wins). One text's few
        hundred n-grams are a gather of weight rows: building a sparse matrix for one row
        costs more than the product itself."""
        columns = raw_columns(normalised, self.vocabulary, self.word_columns)
        _rows, known, weights = batch_text_features([columns], self.idf, self._word_end)
        scaled = np.asarray(cues, np.float32) * self.cue_scale
        values = self._joint_bias + scaled @ self._joint_cues
        if len(known):
            values = values + weights.astype(np.float32) @ self._joint_text[known]
        return self._labelled(values.tolist())

    def _labelled(self, row: list[float]) -> tuple[dict[str, float], dict[str, float]]:
        split = len(self.category.labels)
        return (
            dict(zip(self.category.labels, row[:split], strict=True)),
            dict(zip(self.urgency.labels, row[split:], strict=True)),
        )

    def predict_many(
        self, normalised: Sequence[str], cues: Sequence[Sequence[float]]
    ) -> list[tuple[dict[str, float], dict[str, float]]]:
        """`predict` of many texts with one sparse-matrix product: the way to score a batch."""
        if not normalised:
            return []
        columns = [raw_columns(text, self.vocabulary, self.word_columns) for text in normalised]
        text = text_matrix(columns, self.idf, self._word_end, np.float32)
        cue_matrix = np.asarray(cues, dtype=np.float32).reshape(len(normalised), -1)
        values = self._joint_bias + (cue_matrix * self.cue_scale) @ self._joint_cues
        values = values + np.asarray(text @ self._joint_text)
        return [self._labelled(row) for row in values.tolist()]

    @cached_property
    def _word_end(self) -> int:
        return word_block_end(self.vocabulary)

    @cached_property
    def _joint_text(self) -> FloatArray:
        return np.ascontiguousarray(
            np.hstack([self.category.text_weights, self.urgency.text_weights])
        )

    @cached_property
    def _joint_cues(self) -> FloatArray:
        return np.hstack([self.category.cue_weights, self.urgency.cue_weights])

    @cached_property
    def _joint_bias(self) -> FloatArray:
        return np.concatenate([self.category.bias, self.urgency.bias])

    def state(self) -> dict[str, Any]:
        """Everything needed to rebuild the model: plain lists, dicts and arrays."""
        return {
            "vocabulary": self.vocabulary,
            "idf": self.idf,
            "cue_names": list(self.cue_names),
            "cue_scale": self.cue_scale,
            "category": self.category.state(),
            "urgency": self.urgency.state(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TriageModel:
        return cls(
            vocabulary=dict(state["vocabulary"]),
            idf=np.asarray(state["idf"], dtype=np.float64),
            cue_names=tuple(state["cue_names"]),
            cue_scale=float(state["cue_scale"]),
            category=LinearHead.from_state(state["category"]),
            urgency=LinearHead.from_state(state["urgency"]),
        )
