"""Scripts: clusters of similar narratives (the same scam told by different victims), pure.

A narrative is first masked: the indicators extraction found (their spans), then any e-mail,
handle, run of digits (amounts, dates, codes) and capitalised word inside a sentence (a name)
become placeholders, so that two victims of one script with other numbers and names read alike.
Its words (1–2-grams) and characters (3–5-grams within words, over the text without diacritics:
"khong" and "không" meet) are weighted by TF-IDF, reduced by a truncated SVD and normalised.

Clustering needs no number of clusters: a leader pass (each narrative joins the nearest script
whose centroid is at cosine ≥ `join`, else starts one), then scripts whose centroids are at
cosine ≥ `merge` on average (average linkage) are merged, and each narrative goes to the nearest
merged centroid. The same pass, seeded with known scripts' centroids (at cosine ≥ `place`),
places new narratives.

A script's label is a few of its words that occur in at least `label_reports` (≥ 5) of its
reports, never a placeholder, a digit, an e-mail or a handle: a word of one victim's story
(her name, her street) cannot reach a page. Nor does a term hold a function word ("it was",
"của tôi"): they say nothing of the script.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

Vectors = np.ndarray  # one unit-norm row per narrative


@dataclass(frozen=True, slots=True)
class ScriptRule:
    """The clustering's parameters (chosen on the demo generator: bench/trends.py --scripts)."""

    join: float = 0.6  # cosine to join a script in the leader pass
    merge: float = 0.5  # average cosine at which two scripts are one
    # cosine to join a known script when placing a new report: lower than `join`, as the
    # centroid is over a sample of the script's reports in a space fitted afresh
    place: float = 0.4
    dims: int = 96  # SVD dimensions
    fit_rows: int = 4000  # narratives the TF-IDF and SVD are fitted on (an even sample)
    label_reports: int = 5  # k: a label's word occurs in at least k reports of the script
    label_words: int = 6


SCRIPT_RULE = ScriptRule()

VALUE, NUMBER, NAME = "zzvalue", "zznumber", "zzname"
PLACEHOLDERS = frozenset({VALUE, NUMBER, NAME})
_EMAIL = re.compile(r"\S+@\S+")
_HANDLE = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d[\d.,:/-]*")
# A capitalised word that does not start a sentence: a name (of a person, often; of a bank or an
# app sometimes, a loss we accept).
_INNER_WORD = re.compile(r"(?<=[^.!?:\s] )[^\W\d_]+")
_TOKEN = re.compile(r"[^\W\d_]+")
# Function words, which say nothing of a script ("it was", "me to", "của tôi"): a label's term
# holds none. English: scikit-learn's list. Vietnamese: a short
# list of our own (pronouns, particles, linking and tense words, the most frequent verbs of
# saying and being), each also without diacritics, as phones often write it.
_VIETNAMESE_FUNCTION_WORDS = """
anh bạn bảo bị các cái cho chị chúng có con của cũng đã đang đây để đi đó được em gì hay họ
khi không là lại làm lên mà mình một này nên nếu nhé nhiều như những nói nó nữa ở ơi ra rằng
rất rồi sau sẽ tôi thì thế theo trên trong từ và vào vẫn vì với vậy xong ạ
"""


def masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with the extracted values at `spans`, e-mails, handles, digits and names masked."""
    parts, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            parts += [text[last:start], f" {VALUE} "]
            last = end
    parts.append(text[last:])
    out = _EMAIL.sub(f" {VALUE} ", "".join(parts))
    out = _HANDLE.sub(f" {VALUE} ", out)
    out = _DIGITS.sub(f" {NUMBER} ", out)
    return _INNER_WORD.sub(_name_masked, out).lower()


def _name_masked(word: re.Match[str]) -> str:
    return NAME if word[0][0].isupper() else word[0]


def plain(text: str) -> str:
    """Without diacritics: people type Vietnamese with and without them."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def embedded(texts: Sequence[str], rule: ScriptRule = SCRIPT_RULE) -> Vectors:
    """Masked narratives as unit vectors: TF-IDF of words and characters, reduced by SVD.
    Fitted on `texts` themselves, on an even sample of at most `fit_rows` of them (so the cost
    grows as the narratives, not faster); nothing is kept between runs."""
    # Imported here, as triage does: a second of import that pages never need.
    from scipy.sparse import hstack
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    flat = [plain(t) for t in texts]
    sample = flat[:: max(1, -(-len(flat) // rule.fit_rows))]
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50000)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, max_features=50000
    )
    try:
        words.fit(sample)
        chars.fit(sample)
    except ValueError:  # too few narratives for any term to occur twice
        return np.zeros((len(texts), 1))
    both = [words, chars]
    fitted = normalize(hstack([v.transform(sample) for v in both]).tocsr())
    dims = min(rule.dims, fitted.shape[1] - 1, len(sample) - 1)
    if dims < 2:
        return np.asarray(normalize(hstack([v.transform(flat) for v in both])).toarray())
    svd = TruncatedSVD(dims, n_iter=3, random_state=0).fit(fitted)
    matrix = normalize(hstack([v.transform(flat) for v in both]).tocsr())
    return np.asarray(normalize(svd.transform(matrix)))


def leader(vectors: Vectors, join: float, seeds: Vectors | None = None) -> np.ndarray:
    """Each row joins the nearest centroid at cosine ≥ `join` (the `seeds` first, in order),
    else starts its own; a centroid follows its members. The labels index seeds, then new."""
    sums = [row.copy() for row in seeds] if seeds is not None else []
    centroids = np.array(sums).reshape(len(sums), vectors.shape[1])
    labels = np.empty(len(vectors), dtype=int)
    for i, row in enumerate(vectors):
        if len(sums):
            near = centroids @ row
            j = int(near.argmax())
            if near[j] >= join:
                labels[i], sums[j] = j, sums[j] + row
                centroids[j] = sums[j] / (np.linalg.norm(sums[j]) or 1.0)
                continue
        labels[i] = len(sums)
        sums.append(row.copy())
        centroids = np.vstack([centroids, row])
    return labels


def centroids_of(vectors: Vectors, labels: np.ndarray, count: int) -> Vectors:
    """The unit mean of each label's rows (0 … count-1)."""
    sums = np.zeros((count, vectors.shape[1]))
    np.add.at(sums, labels, vectors)
    return normalize(sums)


def normalize(rows: Any) -> Any:
    """Rows scaled to unit length (sklearn's, dense or sparse)."""
    from sklearn.preprocessing import normalize as unit

    return unit(rows)


def merged(vectors: Vectors, labels: np.ndarray, merge: float) -> np.ndarray:
    """Leader scripts merged by average linkage at cosine ≥ `merge`; each row then goes to the
    nearest merged centroid. Labels are renumbered 0 … n-1 by first appearance."""
    from sklearn.cluster import AgglomerativeClustering

    count = int(labels.max()) + 1 if len(labels) else 0
    if count < 2:
        return np.zeros(len(labels), dtype=int)
    linkage = AgglomerativeClustering(
        n_clusters=None, distance_threshold=1 - merge, metric="cosine", linkage="average"
    )
    groups = linkage.fit_predict(centroids_of(vectors, labels, count))[labels]
    nearest = (vectors @ centroids_of(vectors, groups, int(groups.max()) + 1).T).argmax(axis=1)
    return renumbered(nearest)


def renumbered(labels: np.ndarray) -> np.ndarray:
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(x), len(order)) for x in labels], dtype=int)


def cluster(texts: Sequence[str], rule: ScriptRule = SCRIPT_RULE) -> list[int]:
    """The script of each masked narrative, numbered from 0 (no k asked in advance)."""
    if not texts:
        return []
    vectors = embedded(texts, rule)
    return [int(x) for x in merged(vectors, leader(vectors, rule.join), rule.merge)]


def place(
    known: Sequence[str],
    known_labels: Sequence[int],
    new: Sequence[str],
    rule: ScriptRule = SCRIPT_RULE,
) -> list[int]:
    """Scripts for `new` narratives: the nearest of the known scripts (members `known`, labelled
    `known_labels`) at cosine ≥ `place`, else new ones numbered after the largest known label."""
    if not new:
        return []
    vectors = embedded([*known, *new], rule)
    count = max(known_labels, default=-1) + 1
    seeds = centroids_of(vectors[: len(known)], np.array(known_labels, dtype=int), count)
    return [int(x) for x in leader(vectors[len(known) :], rule.place, seeds if count else None)]


def _function_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(_VIETNAMESE_FUNCTION_WORDS.split())
    return frozenset(ENGLISH_STOP_WORDS | words | {_without_marks(w) for w in words})


def _without_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _telling(term: str, function_words: frozenset[str]) -> bool:
    """A term says something of a script: no function word in it ("fee for" says no more than
    "fee")."""
    return not any(word in function_words for word in term.split())


def _words(text: str) -> set[str]:
    """A narrative's terms: its words of 3+ letters and its pairs of words in a row (Vietnamese
    writes a word as syllables: "căn cước"), none with a placeholder, a digit or an "@"."""
    tokens = _TOKEN.findall(text)
    pairs = {f"{a} {b}" for a, b in pairwise(tokens) if PLACEHOLDERS.isdisjoint((a, b))}
    return {w for w in tokens if len(w) >= 3 and w not in PLACEHOLDERS} | pairs


def _shortest(ranked: list[str], count: int) -> list[str]:
    """The first `count` terms, a word left out when a pair shown holds it."""
    shown: list[str] = []
    for term in ranked:
        inside = {w for other in shown if " " in other for w in other.split()}
        if term in inside:
            continue
        shown = [w for w in shown if w not in term.split()] + [term]
        if len(shown) == count:
            break
    return shown


def labels_of(
    members: dict[int, list[str]], rule: ScriptRule = SCRIPT_RULE
) -> dict[int, list[str]]:
    """Each script's label from its members' masked narratives: the terms (`_words`) in at
    least `label_reports` of them, those most particular to it first
    (share of its reports × log of rarity over all scripts); none under k reports."""
    function_words = _function_words()
    seen = {script: [_words(t) for t in texts] for script, texts in members.items()}
    overall = Counter(w for sets in seen.values() for words in sets for w in words)
    total = sum(len(sets) for sets in seen.values())
    labels: dict[int, list[str]] = {}
    for script, sets in seen.items():
        counts = Counter(w for words in sets for w in words)
        common = [
            (n / len(sets) * math.log(total / overall[w]), w)
            for w, n in counts.items()
            if n >= rule.label_reports and _telling(w, function_words)
        ]
        common.sort(key=lambda sw: (-sw[0], sw[1]))
        labels[script] = _shortest([w for _, w in common], rule.label_words)
    return labels


def kept_ids(
    old: Sequence[int | None], new: Sequence[int], next_id: int
) -> tuple[dict[int, int], int]:
    """Stable script ids across a re-clustering: each new cluster keeps the old id most of its
    members had (the biggest clusters choose first, an id once), else takes a fresh one.
    Returns {new label: id} and the next fresh id."""
    votes: dict[int, Counter[int]] = {}
    for before, label in zip(old, new, strict=True):
        votes.setdefault(label, Counter())
        if before is not None:
            votes[label][before] += 1
    ids: dict[int, int] = {}
    taken: set[int] = set()
    for label in sorted(votes, key=lambda x: -sum(votes[x].values())):
        kept = next((i for i, _ in votes[label].most_common() if i not in taken), None)
        if kept is None:
            kept, next_id = next_id, next_id + 1
        ids[label] = kept
        taken.add(kept)
    return ids, next_id
