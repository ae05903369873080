"""The blind triage sets (`bench/blind/`): well formed, labelled by the spec's rules, and never
part of the training corpus; and `bench/triage.py` prints only their aggregate figures."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tipline.indicators.folding import fold
from tipline.triage.lexicon_files import CORPUS_DIR
from tipline.triage.model import TriageModel
from tipline.triage.training import corpus_files, load_corpus
from tipline.vocabulary import CATEGORIES, LANGUAGES, URGENCIES, Urgency

ROOT = Path(__file__).resolve().parents[2]
BLIND_DIR = ROOT / "bench" / "blind"
# Each blind set and the least number of lines it holds: the first (2026-12-07, no longer blind
# for the dangers its misses named), the second, written after it by another author, and the
# third (2026-12-08), written by a third author once the first two were used to develop rules.
BLIND_SETS = {"reports.jsonl": 360, "reports-2.jsonl": 300, "reports-3.jsonl": 360}
FIELDS = {"text", "category", "urgency", "language", "victim_age", "writer", "focus"}
WRITERS = {
    "victim", "parent", "teacher", "friend", "sibling", "relative", "colleague", "neighbour",
    "citizen", "moderator", "bank_staff",
}  # fmt: skip
# Issue 12's hard cases and the least the set holds of each.
FOCUS_MINIMUM = {"life": 40, "slang": 30, "setting": 25, "nodemand": 15, "threat": 1}
_WORD = re.compile(r"\w+")


def blind_lines(name: str) -> list[dict[str, Any]]:
    lines = (BLIND_DIR / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def shingles(text: str) -> set[str]:
    """Word trigrams of the folded text (the whole text when it is shorter)."""
    words = _WORD.findall(fold(text).lower())
    if len(words) < 3:
        return {" ".join(words)}
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def near_duplicates(texts: list[str], corpus: list[str], share: float = 0.6) -> list[str]:
    """`texts` of which at least `share` of the trigrams of it or of a corpus text are shared
    by the other: copies, whatever their case, diacritics, spacing or a few changed words."""
    corpus_shingles = [shingles(text) for text in corpus]
    index: dict[str, list[int]] = {}
    for number, grams in enumerate(corpus_shingles):
        for gram in grams:
            index.setdefault(gram, []).append(number)
    found = []
    for text in texts:
        grams = shingles(text)
        common = Counter(n for gram in grams for n in index.get(gram, ()))
        if any(
            count >= share * min(len(grams), len(corpus_shingles[n])) for n, count in common.items()
        ):
            found.append(text)
    return found


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_triage", ROOT / "bench" / "triage.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_set_lines_are_well_formed(name: str) -> None:
    lines = blind_lines(name)
    assert len(lines) >= BLIND_SETS[name]
    for line in lines:
        assert set(line) == FIELDS
        assert isinstance(line["text"], str)
        assert line["text"].strip() == line["text"] != ""
        assert line["category"] in CATEGORIES
        assert line["urgency"] in URGENCIES
        assert line["language"] in LANGUAGES
        assert line["victim_age"] is None or type(line["victim_age"]) is int
        assert line["writer"] in WRITERS
        assert set(line["focus"]) <= set(FOCUS_MINIMUM)
    texts = [fold(line["text"]).lower() for line in lines]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_set_covers_every_category_and_hard_case(name: str) -> None:
    lines = blind_lines(name)
    categories = Counter(line["category"] for line in lines)
    assert set(categories) == set(CATEGORIES)
    assert min(categories.values()) >= 20
    assert categories["other"] >= 40
    focus = Counter(f for line in lines for f in line["focus"])
    assert all(focus[name] >= least for name, least in FOCUS_MINIMUM.items())
    assert Counter(line["language"] for line in lines).keys() == set(LANGUAGES)


@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_set_labels_follow_the_spec_rules(name: str) -> None:
    for line in blind_lines(name):
        urgency = Urgency(line["urgency"])
        if line["category"] == "child_exploitation" or {"life", "threat"} & set(line["focus"]):
            assert urgency is Urgency.CRITICAL, line["text"]
        if line["victim_age"] is not None and line["victim_age"] < 18:
            assert urgency.rank >= Urgency.HIGH.rank, line["text"]
        if "nodemand" in line["focus"]:
            assert line["category"] == "harassment", line["text"]
        if "setting" in line["focus"]:
            assert line["category"] != "child_exploitation", line["text"]
            assert urgency is not Urgency.CRITICAL, line["text"]


@pytest.mark.parametrize("name", BLIND_SETS)
def test_no_blind_text_is_in_the_training_corpus(name: str) -> None:
    corpus = [example.text for example in load_corpus()]
    blind = [line["text"] for line in blind_lines(name)]
    assert not set(blind) & set(corpus)
    assert near_duplicates(blind, corpus) == []


@pytest.mark.parametrize(
    ("later", "earlier"),
    [
        ("reports-2.jsonl", "reports.jsonl"),
        ("reports-3.jsonl", "reports.jsonl"),
        ("reports-3.jsonl", "reports-2.jsonl"),
    ],
)
def test_a_later_blind_set_copies_nothing_from_an_earlier_one(later: str, earlier: str) -> None:
    texts = [line["text"] for line in blind_lines(later)]
    assert near_duplicates(texts, [line["text"] for line in blind_lines(earlier)]) == []


def test_the_training_corpus_is_read_from_its_own_folder_only() -> None:
    assert all(path.parent == CORPUS_DIR for path in corpus_files())
    assert not BLIND_DIR.resolve().is_relative_to(CORPUS_DIR.resolve())


def test_near_duplicates_are_found_through_case_diacritics_and_changed_words() -> None:
    text = blind_lines("reports.jsonl")[0]["text"]
    words = fold(text).upper().split()
    words[len(words) // 2] = "khac"
    copy = "  ".join(words)
    assert near_duplicates([copy], [text]) == [copy]
    assert near_duplicates(["hoàn toàn một chuyện khác về mua bán"], [text]) == []


@pytest.mark.parametrize("name", BLIND_SETS)
def test_bench_prints_only_aggregate_figures_unless_asked(
    name: str, model: TriageModel, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load_bench()
    path = BLIND_DIR / name
    figures = bench.run_blind(model, path, show_misses=False)
    printed = capsys.readouterr().out
    assert printed.count(f"blind set {name}") == 4  # every table says which set it scores
    lines = blind_lines(name)
    assert figures["examples"] == len(lines)
    assert set(figures["per_category"]) == set(CATEGORIES)
    assert not [line for line in lines if line["text"][:30] in printed]
    critical = sum(1 for line in lines if line["urgency"] == "critical")
    missed = sum(sum(given.values()) for given in figures["critical_misses"].values())
    assert missed == round(critical * (1 - figures["critical_recall"]))
    assert set(figures["focus"]) == set(FOCUS_MINIMUM)

    _, misses = bench.blind(model, path)
    bench.run_blind(model, path, show_misses=True)
    shown = capsys.readouterr().out
    assert all(miss["text"][:30] in shown for miss in misses)
