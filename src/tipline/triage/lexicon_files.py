"""Reading the editable data files bundled with triage (lexicon, advice, corpus)."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
LEXICON_DIR = PACKAGE_DIR / "lexicon"
ADVICE_DIR = PACKAGE_DIR / "advice"
CORPUS_DIR = PACKAGE_DIR / "corpus"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def lexicon(name: str) -> dict[str, Any]:
    """One of the lexicon's TOML files, by name without the extension."""
    return read_toml(LEXICON_DIR / f"{name}.toml")


def files_digest(paths: list[Path]) -> str:
    """A SHA-256 over the names and bytes of `paths`, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def lexicon_digest() -> str:
    """Changes whenever a lexicon file changes (a model's cue features depend on them)."""
    return files_digest(list(LEXICON_DIR.glob("*.toml")))
