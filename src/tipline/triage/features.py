"""What the learned model reads: n-grams of the normalised text and the cue features.

The same functions build the training matrix and the vector of one report at run time, so the
two cannot drift apart. Two blocks of n-grams, each weighted by sublinear TF-IDF and
L2-normalised: character n-grams as sklearn's `char_wb` makes them (2 to 5 characters, inside
words padded with spaces), which absorb misspellings and missing diacritics, and whole words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import chain

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from tipline.indicators import Kind
from tipline.triage.cues import CueReading, Lexicon
from tipline.vocabulary import CATEGORIES

NGRAM_MIN, NGRAM_MAX = 2, 5
# The model reads the first characters only: enough for any report, bounded for hostile input.
MAX_MODEL_CHARS = 4000
WORD_MARK = "\x01"  # prefixes word grams in the vocabulary
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
WORD_CACHE_LIMIT = 50_000
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def word_char_ngrams(word: str) -> list[str]:
    """Character 2- to 5-grams of one word padded with spaces."""
    padded = f" {word} "
    length = len(padded)
    top = min(NGRAM_MAX, length)
    return [padded[i : i + n] for n in range(NGRAM_MIN, top + 1) for i in range(length - n + 1)]


def char_ngrams(normalised: str) -> list[str]:
    """Character 2- to 5-grams of each word padded with spaces (sklearn's `char_wb`)."""
    grams: list[str] = []
    for word in normalised[:MAX_MODEL_CHARS].split():
        grams.extend(word_char_ngrams(word))
    return grams


def word_grams(normalised: str) -> list[str]:
    """The words, marked so that they never collide with character n-grams. (Word pairs were
    tried: 5-fold cross-validation on the training split scored them lower, and slower.)"""
    return [WORD_MARK + word for word in _WORD.findall(normalised[:MAX_MODEL_CHARS])]


def _char_columns(
    normalised: str, vocabulary: dict[str, int], cache: dict[str, list[int]]
) -> list[int]:
    """Vocabulary columns of the character n-grams, word by word through `cache`: reports
    repeat the same few thousand syllables, so most words are looked up once per process."""
    columns: list[int] = []
    get = vocabulary.get
    for word in normalised[:MAX_MODEL_CHARS].split():
        known = cache.get(word)
        if known is None:
            known = [c for c in map(get, word_char_ngrams(word)) if c is not None]
            if len(cache) < WORD_CACHE_LIMIT:
                cache[word] = known
        columns.extend(known)
    return columns


def _counted_keys(keys: IntArray) -> tuple[IntArray, FloatArray]:
    """Distinct keys, sorted, and how often each occurs (np.unique without its overhead)."""
    ordered = np.sort(keys)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(ordered))).astype(np.float64)
    return ordered[starts], counts


def word_block_end(vocabulary: dict[str, int]) -> int:
    """The vocabulary is sorted and WORD_MARK sorts first: word grams are columns 0 to this."""
    return sum(1 for gram in vocabulary if gram.startswith(WORD_MARK))


def raw_columns(
    normalised: str, vocabulary: dict[str, int], cache: dict[str, list[int]] | None = None
) -> list[int]:
    """The vocabulary columns of every known n-gram occurrence, repeats included."""
    columns = _char_columns(normalised, vocabulary, {} if cache is None else cache)
    columns += [c for c in map(vocabulary.get, word_grams(normalised)) if c is not None]
    return columns


def batch_text_features(
    columns_per_text: list[list[int]], idf: FloatArray, word_end: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """The weights of the known n-grams of many texts, as (row, column, weight) triples sorted
    by row then column: sublinear TF-IDF, each text's word block and character block
    L2-normalised apart, computed with a few array operations for the whole batch."""
    lengths = np.fromiter(map(len, columns_per_text), dtype=np.int64, count=len(columns_per_text))
    if not lengths.sum():
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float64)
    rows = np.repeat(np.arange(len(columns_per_text), dtype=np.int64), lengths)
    flat = np.fromiter(chain.from_iterable(columns_per_text), dtype=np.int64, count=len(rows))
    width = len(idf)
    unique, counts = _counted_keys(rows * width + flat)
    rows, columns = np.divmod(unique, width)
    weights = (np.log(counts) + 1.0) * idf[columns]
    # Each row's word block and character block are L2-normalised apart.
    block = rows * 2 + (columns >= word_end)
    norms = np.sqrt(np.bincount(block, weights=weights * weights, minlength=2 * len(lengths)))
    norms[norms == 0.0] = 1.0
    weights /= norms[block]
    return rows, columns, weights


def text_matrix(
    columns_per_text: list[list[int]], idf: FloatArray, word_end: int, dtype: type = np.float64
) -> csr_matrix:
    """`batch_text_features` as the sparse matrix a linear model multiplies (texts × grams)."""
    rows, columns, weights = batch_text_features(columns_per_text, idf, word_end)
    # Sorted by row, then column: the CSR arrays directly, without a conversion.
    row_starts = np.zeros(len(columns_per_text) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(columns_per_text)), out=row_starts[1:])
    shape = (len(columns_per_text), len(idf))
    return csr_matrix((weights.astype(dtype), columns, row_starts), shape=shape)


def fit_vocabulary(texts: Iterable[str], min_df: int = 2) -> tuple[dict[str, int], list[float]]:
    """The character n-grams and words seen in at least `min_df` texts, and their
    smoothed IDF (as sklearn computes it)."""
    document_frequency: Counter[str] = Counter()
    total = 0
    for text in texts:
        document_frequency.update(set(char_ngrams(text)))
        document_frequency.update(set(word_grams(text)))
        total += 1
    kept = sorted(gram for gram, df in document_frequency.items() if df >= min_df)
    vocabulary = {gram: column for column, gram in enumerate(kept)}
    idf = [math.log((1 + total) / (1 + document_frequency[gram])) + 1.0 for gram in kept]
    return vocabulary, idf


def cue_feature_names(lexicon: Lexicon) -> tuple[str, ...]:
    """Names of the cue features, in the order `cue_features` gives them."""
    return (
        *(f"category:{category}" for category in CATEGORIES),
        *(f"signal:{signal}" for signal in lexicon.signal_names),
        "minor",
        *(f"indicator:{kind.value}" for kind in Kind),
    )


def cue_features(reading: CueReading, lexicon: Lexicon, kinds: Iterable[str] = ()) -> list[float]:
    """The cue layer's findings as numbers: log-scaled category scores and 0/1 flags."""
    present = set(kinds)
    scores = {c: sum(t.weight for t in terms) for c, terms in reading.category_terms.items()}
    return [
        *(math.log1p(scores.get(category, 0.0)) for category in CATEGORIES),
        *(1.0 if reading.has(signal) else 0.0 for signal in lexicon.signal_names),
        1.0 if reading.minor else 0.0,
        *(1.0 if kind.value in present else 0.0 for kind in Kind),
    ]
