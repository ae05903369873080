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
    save_model,
    sklearn_version,
)
from tipline.triage.training import corpus_digest, fit, load_corpus


@pytest.fixture(scope="session")
def model() -> TriageModel:
    """A model fitted on the whole bundled corpus (a few seconds, once)."""
    return fit(load_corpus())


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
