"""The NAPAS BIN → bank table, read once from the packaged `banks.json`."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from tipline.vietqr.core import Bank


@lru_cache(maxsize=1)
def bank_table() -> dict[str, Bank]:
    """Every bank the table names, by its six-digit BIN."""
    text = resources.files("tipline.vietqr").joinpath("banks.json").read_text("utf-8")
    rows = json.loads(text)["banks"]
    return {row["bin"]: Bank(bin=row["bin"], code=row["code"], name=row["name"]) for row in rows}
