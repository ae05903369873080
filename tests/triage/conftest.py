"""Triage fixtures: one model trained per test session, and a data folder that holds it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tipline.settings import get_settings
from tipline.triage.lexicon_files import lexicon_digest
from tipline.triage.model import TriageModel
from tipline.triage.store import (
    MODEL_FORMAT,
    ModelInfo,
    forget_current_model,
    load_or_train,
    save_model,
    sklearn_version,
)
from tipline.triage.training import corpus_digest


@pytest.fixture(scope="session")
def model(tmp_path_factory: pytest.TempPathFactory) -> TriageModel:
    """A model fitted on the whole bundled corpus: the one this process trained or loaded for
    every data folder (see `triage_model_once`), not a second fit."""
    return load_or_train(tmp_path_factory.mktemp("triage-model"))


@pytest.fixture(scope="session")
def model_data_dir(tmp_path_factory: pytest.TempPathFactory, model: TriageModel) -> Path:
    """A data folder whose models/triage holds the session's model as version 1."""
    data_dir = tmp_path_factory.mktemp("triage-data")
    info = ModelInfo(
        version=1,
        trained_at="2026-11-23T00:00:00+00:00",
        corpus_hash=corpus_digest(),
        lexicon_hash=lexicon_digest(),
        sklearn_version=sklearn_version(),
        format=MODEL_FORMAT,
        examples=0,
        corrections=0,
    )
    save_model(data_dir / "models" / "triage", model, info)
    return data_dir


@pytest.fixture
def triage_data_dir(model_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """TIPLINE_DATA_DIR set to the session's model folder; `triage()` uses that model."""
    monkeypatch.setenv("TIPLINE_DATA_DIR", str(model_data_dir))
    get_settings.cache_clear()
    forget_current_model()
    yield model_data_dir
    forget_current_model()
    get_settings.cache_clear()
