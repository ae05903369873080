from __future__ import annotations

from collections import Counter

from tipline.triage.training import is_held_out, load_corpus, split
from tipline.vocabulary import CATEGORIES


def test_corpus_is_labelled_with_the_spec_values() -> None:
    examples = load_corpus()
    counts = Counter(e.category for e in examples)
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 80
    assert all(e.urgency == "critical" for e in examples if e.category == "child_exploitation")


def test_held_out_split_is_deterministic_and_about_a_fifth() -> None:
    examples = load_corpus()
    train, test = split(examples)
    assert len(train) + len(test) == len(examples)
    assert 0.15 <= len(test) / len(examples) <= 0.25
    assert not {e.text for e in train} & {e.text for e in test}
    assert [is_held_out(e.text) for e in test] == [True] * len(test)
    assert split(examples) == (train, test)


def test_held_out_split_covers_every_category() -> None:
    _, test = split(load_corpus())
    counts = Counter(e.category for e in test)
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 8


def test_split_ignores_case_and_diacritics() -> None:
    assert is_held_out("Tôi bị lừa") == is_held_out("toi bi lua")
