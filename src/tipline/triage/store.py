"""Versioned model files under `<TIPLINE_DATA_DIR>/models/triage/`, and the current model.

Each version is two files: `triage-v0003.joblib` (the arrays of `TriageModel.state()`) and
`triage-v0003.json` (version, trained_at, corpus and lexicon digests, scikit-learn version,
counts and held-out metrics). The newest version that fits this installation is loaded: same
file format, same scikit-learn, same lexicon (the cue features depend on it) and, for a model
trained on the corpus alone, the same corpus. When none fits (a fresh machine, an upgrade),
one is trained from the bundled corpus, once, and saved.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from tipline.settings import get_settings
from tipline.triage.lexicon_files import lexicon_digest
from tipline.triage.model import TriageModel
from tipline.triage.training import Example, corpus_digest, evaluate, fit, load_corpus, split

# Bump when the features or the stored layout change: older files are then retrained.
MODEL_FORMAT = 3
_PREFIX = "triage-v"


@dataclass(frozen=True)
class ModelInfo:
    """The metadata file of one model version."""

    version: int
    trained_at: str
    corpus_hash: str
    lexicon_hash: str
    sklearn_version: str
    format: int
    examples: int
    corrections: int
    metrics: dict[str, Any] = field(default_factory=dict)


def model_dir() -> Path:
    return get_settings().data_dir / "models" / "triage"


def sklearn_version() -> str:
    """The installed scikit-learn's version, read without importing it."""
    return package_version("scikit-learn")


def _versions(folder: Path) -> list[int]:
    found = []
    for path in folder.glob(f"{_PREFIX}*.json"):
        digits = path.stem.removeprefix(_PREFIX)
        if digits.isdigit() and path.with_suffix(".joblib").exists():
            found.append(int(digits))
    return sorted(found, reverse=True)


def _paths(folder: Path, version: int) -> tuple[Path, Path]:
    stem = folder / f"{_PREFIX}{version:04d}"
    return stem.with_suffix(".joblib"), stem.with_suffix(".json")


def read_info(folder: Path, version: int) -> ModelInfo | None:
    try:
        raw = json.loads(_paths(folder, version)[1].read_text(encoding="utf-8"))
        return ModelInfo(**raw)
    except (OSError, ValueError, TypeError):
        return None


def fits_installation(info: ModelInfo) -> bool:
    """True when a saved model can serve this installation (see the module's docstring)."""
    if info.format != MODEL_FORMAT or info.sklearn_version != sklearn_version():
        return False
    if info.lexicon_hash != lexicon_digest():
        return False
    return info.corrections > 0 or info.corpus_hash == corpus_digest()


def load_latest(folder: Path) -> tuple[TriageModel, ModelInfo] | None:
    """The newest model in `folder` that fits this installation, if any."""
    import joblib

    for version in _versions(folder):
        info = read_info(folder, version)
        if info is None or not fits_installation(info):
            continue
        try:
            state = joblib.load(_paths(folder, version)[0])
            return TriageModel.from_state(state), info
        except (OSError, ValueError, KeyError, EOFError):
            continue
    return None


def save_model(folder: Path, model: TriageModel, info: ModelInfo) -> Path:
    """Write both files of a version, each atomically; returns the model file."""
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    model_path, info_path = _paths(folder, info.version)
    partial = model_path.with_suffix(".joblib.partial")
    joblib.dump(model.state(), partial)
    os.replace(partial, model_path)
    partial_info = info_path.with_suffix(".json.partial")
    partial_info.write_text(json.dumps(asdict(info), indent=2, ensure_ascii=False), "utf-8")
    os.replace(partial_info, info_path)
    return model_path


@contextmanager
def _training_lock(folder: Path) -> Iterator[None]:
    """One process trains at a time (bulk import starts several on a fresh machine)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".training.lock").open("w") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock between processes
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _train_and_save(folder: Path, corrections: Sequence[Example]) -> tuple[TriageModel, ModelInfo]:
    examples = [*load_corpus(), *corrections]
    train, test = split(examples)
    metrics = evaluate(fit(train), test) if test else {}
    metrics["train_examples"] = len(train)
    model = fit(examples)
    existing = _versions(folder)
    info = ModelInfo(
        version=(existing[0] + 1) if existing else 1,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        corpus_hash=corpus_digest(),
        lexicon_hash=lexicon_digest(),
        sklearn_version=sklearn_version(),
        format=MODEL_FORMAT,
        examples=len(examples),
        corrections=len(corrections),
        metrics=metrics,
    )
    save_model(folder, model, info)
    return model, info


def train_version(
    folder: Path, corrections: Sequence[Example] = ()
) -> tuple[TriageModel, ModelInfo]:
    """Train on the corpus plus `corrections`, measure on the held-out split, save a version.

    The reported metrics come from a model fitted on the training split only; the saved model
    is fitted on every example.
    """
    with _training_lock(folder):
        return _train_and_save(folder, corrections)


# Models this process trained from the corpus alone, by (corpus, lexicon) digest: a second
# data folder (each test has its own) gets a copy instead of a second training.
_trained: dict[tuple[str, str], tuple[TriageModel, ModelInfo]] = {}


def _copy_into(folder: Path, model: TriageModel, info: ModelInfo) -> None:
    existing = _versions(folder)
    copied = replace(info, version=(existing[0] + 1) if existing else 1)
    save_model(folder, model, copied)


def load_or_train(folder: Path) -> TriageModel:
    """The newest fitting model in `folder`, trained from the corpus first if there is none.

    A folder that cannot be written (a read-only deployment) gets a model trained in memory,
    once per process.
    """
    loaded = load_latest(folder)
    if loaded is not None:
        _remember(*loaded)
        return loaded[0]
    try:
        return _train_into(folder)
    except OSError:
        key = (corpus_digest(), lexicon_digest())
        if key not in _trained:
            model = fit(load_corpus())
            _trained[key] = (model, _unsaved_info(len(model.vocabulary)))
        return _trained[key][0]


def _remember(model: TriageModel, info: ModelInfo) -> None:
    """Keep a loaded model trained on the corpus alone (it fits this installation, so on this
    corpus and lexicon): a second, empty data folder gets a copy of it, not a training."""
    if info.corrections == 0:
        _trained.setdefault((corpus_digest(), lexicon_digest()), (model, info))


def _unsaved_info(vocabulary_size: int) -> ModelInfo:
    return ModelInfo(
        version=0,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        corpus_hash=corpus_digest(),
        lexicon_hash=lexicon_digest(),
        sklearn_version=sklearn_version(),
        format=MODEL_FORMAT,
        examples=0,
        corrections=0,
        metrics={"vocabulary": vocabulary_size},
    )


def _train_into(folder: Path) -> TriageModel:
    with _training_lock(folder):  # another process may have trained it meanwhile
        loaded = load_latest(folder)
        if loaded is not None:
            return loaded[0]
        key = (corpus_digest(), lexicon_digest())
        if key in _trained:
            _copy_into(folder, *_trained[key])
            return _trained[key][0]
        model, info = _train_and_save(folder, ())
        _trained[key] = (model, info)
        return model


_current: dict[Path, TriageModel] = {}
_current_lock = threading.Lock()


_last_used: list[tuple[Path, TriageModel]] = []  # the folder as configured, and its model


def current_model() -> TriageModel:
    """The model of the configured data folder, loaded once per process.

    Every report asks for it: the folder as configured is compared first, so that the path is
    resolved (a system call per component) only when the configuration changed.
    """
    configured = model_dir()
    if _last_used and _last_used[-1][0] == configured:
        return _last_used[-1][1]
    folder = configured.resolve()
    model = _current.get(folder)
    if model is None:
        with _current_lock:
            model = _current.get(folder)
            if model is None:
                model = load_or_train(folder)
                _current[folder] = model
    _last_used[:] = [(configured, model)]
    return model


def forget_current_model() -> None:
    """Drop the loaded models (after training a new version, and in tests)."""
    with _current_lock:
        _current.clear()
        _last_used.clear()
