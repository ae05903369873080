from __future__ import annotations

from collections import Counter

from tipline.triage.cues import RISK_SIGNAL
from tipline.triage.model import TriageModel
from tipline.triage.training import CATEGORY_BLIND_SIGNALS, is_held_out, load_corpus, split
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
    held_out_able = [e for e in examples if not e.train_only]  # the retired sets never are
    assert 0.15 <= len(test) / len(held_out_able) <= 0.25
    assert not [e for e in test if e.train_only]
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


def test_the_category_head_gives_self_harm_wording_no_weight(model: TriageModel) -> None:
    """The category follows the harm, not the distress (issue 12): the category head has no
    weight on the risk-to-life signal, the urgency head has, and critical is among its top."""
    row = model.cue_names.index(f"signal:{RISK_SIGNAL}")
    assert RISK_SIGNAL in CATEGORY_BLIND_SIGNALS
    assert not model.category.cue_weights[row].any()
    urgency = dict(zip(model.urgency.labels, model.urgency.cue_weights[row], strict=True))
    assert urgency["critical"] > 0.0
    assert urgency["critical"] == max(urgency.values())
