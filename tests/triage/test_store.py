"""Model files: save, load, and refusing a model this installation cannot use."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tipline.indicators.allowlist import curated_allowlist
from tipline.triage import store
from tipline.triage.engine import triage_with
from tipline.triage.lexicon_files import lexicon_digest
from tipline.triage.training import Example, corpus_digest, fit, load_corpus

CURATED = curated_allowlist()  # the pure core takes the allowlist it extracts with


@pytest.fixture(scope="module")
def subset() -> list[Example]:
    by_category: dict[str, list[Example]] = {}
    for example in load_corpus():
        by_category.setdefault(example.category, []).append(example)
    return [e for examples in by_category.values() for e in examples[:10]]


def _info(version: int = 1, **changes: Any) -> store.ModelInfo:
    info = store.ModelInfo(
        version=version,
        trained_at="2026-11-23T00:00:00+00:00",
        corpus_hash=corpus_digest(),
        lexicon_hash=lexicon_digest(),
        sklearn_version=store.sklearn_version(),
        format=store.MODEL_FORMAT,
        examples=120,
        corrections=0,
    )
    return replace(info, **changes)


def test_round_trip(tmp_path: Path, subset: list[Example]) -> None:
    model = fit(subset)
    store.save_model(tmp_path, model, _info())
    loaded = store.load_latest(tmp_path)
    assert loaded is not None
    again, info = loaded
    assert info.version == 1
    assert again.vocabulary == model.vocabulary
    for example in subset[::7]:
        first, second = (
            triage_with(model, CURATED, example.text),
            triage_with(again, CURATED, example.text),
        )
        assert (first.category, first.urgency) == (second.category, second.urgency)
        assert first.category_scores == second.category_scores
    meta = json.loads((tmp_path / "triage-v0001.json").read_text(encoding="utf-8"))
    assert set(meta) >= {"version", "trained_at", "corpus_hash", "sklearn_version", "metrics"}


@pytest.mark.parametrize(
    "changes",
    [
        {"sklearn_version": "0.0.1"},
        {"format": 0},
        {"lexicon_hash": "0" * 64},
        {"corpus_hash": "0" * 64},
    ],
)
def test_refuses_a_model_that_does_not_fit(
    tmp_path: Path, subset: list[Example], changes: dict[str, Any]
) -> None:
    store.save_model(tmp_path, fit(subset), _info(**changes))
    assert store.load_latest(tmp_path) is None


def test_a_model_with_corrections_survives_a_corpus_change(
    tmp_path: Path, subset: list[Example]
) -> None:
    store.save_model(tmp_path, fit(subset), _info(corpus_hash="0" * 64, corrections=3))
    loaded = store.load_latest(tmp_path)
    assert loaded is not None
    assert (loaded[1].corpus_hash, loaded[1].corrections) == ("0" * 64, 3)


def test_newest_fitting_version_wins(tmp_path: Path, subset: list[Example]) -> None:
    model = fit(subset)
    store.save_model(tmp_path, model, _info(version=1))
    store.save_model(tmp_path, model, _info(version=2))
    store.save_model(tmp_path, model, _info(version=3, sklearn_version="0.0.1"))
    loaded = store.load_latest(tmp_path)
    assert loaded is not None
    assert loaded[1].version == 2


def test_a_fresh_folder_trains_once_and_saves(
    tmp_path: Path, subset: list[Example], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "load_corpus", lambda: subset)
    monkeypatch.setattr(store, "_trained", {})
    model = store.load_or_train(tmp_path / "a")
    info = store.read_info(tmp_path / "a", 1)
    assert info is not None
    assert info.examples == len(subset)
    assert "macro_f1" in info.metrics
    # A second folder in the same process gets a copy, not a second training.
    monkeypatch.setattr(store, "_train_and_save", _must_not_train)
    assert store.load_or_train(tmp_path / "b") is model
    assert store.read_info(tmp_path / "b", 1) is not None


def test_a_loaded_corpus_model_is_copied_to_a_fresh_folder(
    tmp_path: Path, subset: list[Example], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "_trained", {})
    store.save_model(tmp_path / "a", fit(subset), _info(version=4))
    loaded = store.load_or_train(tmp_path / "a")
    # Another folder in the same process gets a copy of the loaded model, not a training.
    monkeypatch.setattr(store, "_train_and_save", _must_not_train)
    assert store.load_or_train(tmp_path / "b") is loaded
    copied = store.read_info(tmp_path / "b", 1)
    assert copied is not None
    assert (copied.corpus_hash, copied.corrections) == (store.corpus_digest(), 0)


def _must_not_train(*_args: object) -> object:
    raise AssertionError("trained twice")


def test_an_unwritable_folder_still_gets_a_model(
    tmp_path: Path, subset: list[Example], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "load_corpus", lambda: subset)
    monkeypatch.setattr(store, "_trained", {})
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    model = store.load_or_train(blocker / "models" / "triage")
    assert triage_with(model, CURATED, "bị lừa chuyển tiền").category.value in model.category.labels
    assert not (blocker.parent / "models").exists()
