"""The n-gram weights the model reads, for a batch, against a plain reference computation."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from tipline.triage.features import (
    WORD_MARK,
    batch_text_features,
    char_ngrams,
    raw_columns,
    word_block_end,
    word_grams,
)

TEXTS = [
    "toi bi lua chuyen khoan 50 trieu",
    "anh ay doa tung anh nong cua toi",
    "",
    "lua lua lua dao dao",
    "zzzz qqqq",  # no known n-gram at all
]


def reference(text: str, vocabulary: dict[str, int], idf: list[float]) -> dict[int, float]:
    """Sublinear TF-IDF of the known grams, the word block and the character block each
    L2-normalised: what `batch_text_features` must give, computed the slow, obvious way."""
    counts = Counter(g for g in [*char_ngrams(text), *word_grams(text)] if g in vocabulary)
    weights = {vocabulary[g]: (math.log(n) + 1.0) * idf[vocabulary[g]] for g, n in counts.items()}
    for is_word in (True, False):
        block = {c: w for c, w in weights.items() if (c < word_block_end(vocabulary)) == is_word}
        norm = math.sqrt(sum(w * w for w in block.values())) or 1.0
        weights.update({c: w / norm for c, w in block.items()})
    return weights


@pytest.fixture
def vocabulary() -> tuple[dict[str, int], list[float]]:
    grams = sorted({g for text in TEXTS[:4] for g in [*char_ngrams(text), *word_grams(text)]})
    return {g: i for i, g in enumerate(grams)}, [1.0 + (i % 7) / 5 for i in range(len(grams))]


def test_batch_weights_are_those_of_each_text_alone(
    vocabulary: tuple[dict[str, int], list[float]],
) -> None:
    vocab, idf = vocabulary
    columns = [raw_columns(text, vocab) for text in TEXTS]
    rows, cols, weights = batch_text_features(columns, np.asarray(idf), word_block_end(vocab))
    for row, text in enumerate(TEXTS):
        got = {
            int(c): float(w) for c, w in zip(cols[rows == row], weights[rows == row], strict=True)
        }
        assert got == pytest.approx(reference(text, vocab, idf))
    assert list(rows) == sorted(rows)


def test_both_blocks_have_unit_length(vocabulary: tuple[dict[str, int], list[float]]) -> None:
    vocab, idf = vocabulary
    rows, cols, weights = batch_text_features(
        [raw_columns(TEXTS[3], vocab)], np.asarray(idf), word_block_end(vocab)
    )
    words = cols < word_block_end(vocab)
    assert float(np.sum(weights[words] ** 2)) == pytest.approx(1.0)
    assert float(np.sum(weights[~words] ** 2)) == pytest.approx(1.0)
    assert all(g.startswith(WORD_MARK) for g, c in vocab.items() if c < word_block_end(vocab))


def test_a_batch_of_texts_without_known_grams_is_empty() -> None:
    rows, cols, weights = batch_text_features([[], []], np.ones(3), 1)
    assert len(rows) == len(cols) == len(weights) == 0
