"""The PDQ index's main segment on disk, so that a restart loads it rather than rebuilds it.

A folder (under the data folder) holds one generation of array files (`<generation>-ids.npy`,
`-banks.npy`, `-codes.npy` and, for a large segment, `-orders.npy`, the sorted tables of
tipline.media.mih, the part that is slow to build) and `manifest.json`: the format, the row
count, the layout and the SHA-256 of every file. The manifest is written last and swapped in with
an atomic rename, so a crash while saving leaves the previous generation whole. A file that is
missing, of another format, of another length or whose checksum differs makes `load` answer
None: the caller rebuilds from the database (and compares the row count with it).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from tipline.media import mih
from tipline.media.index import Rows, Segment

FORMAT = 1
MANIFEST = "manifest.json"
LOCK = ".lock"
log = logging.getLogger(__name__)


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _write_array(folder: Path, name: str, array: np.ndarray[Any, Any]) -> str:
    path = folder / name
    with path.open("wb") as handle:
        np.save(handle, array, allow_pickle=False)
        handle.flush()
        os.fsync(handle.fileno())
    return _digest(path)


def save(segment: Segment, folder: Path) -> Path:
    """Write the segment as a new generation, then point the manifest at it (one process at a
    time: `tipline serve --workers N` runs an index in each)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (folder / LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _save(segment, folder)


def _save(segment: Segment, folder: Path) -> Path:
    generation = str(time.time_ns())
    arrays: dict[str, np.ndarray[Any, Any]] = {
        "ids": segment.ids,
        "banks": segment.banks,
        "codes": mih.as_codes(segment.columns),
    }
    if segment.tables is not None:
        arrays["orders"] = segment.tables.orders
    layout = segment.tables.layout if segment.tables is not None else None
    files = {k: f"{generation}-{k}.npy" for k in arrays}
    manifest = {
        "format": FORMAT,
        "rows": len(segment),
        "layout": [layout.chunks, layout.bits] if layout else None,
        "files": files,
        "sha256": {k: _write_array(folder, files[k], a) for k, a in arrays.items()},
    }
    temporary = folder / f"{MANIFEST}.{generation}.tmp"
    temporary.write_text(json.dumps(manifest))
    os.replace(temporary, folder / MANIFEST)
    for old in folder.iterdir():
        if old.name not in (MANIFEST, LOCK) and old.name not in files.values():
            old.unlink(missing_ok=True)
    return folder / MANIFEST


def load(folder: Path) -> Segment | None:
    """The saved segment, or None if there is none or it is not whole (logged why)."""
    try:
        return _load(folder)
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("PDQ index in %s not loaded, to be rebuilt: %s", folder, error)
        return None


def _load(folder: Path) -> Segment | None:
    if not (folder / MANIFEST).exists():
        return None
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise ValueError(f"format {manifest.get('format')!r}, not {FORMAT}")
    arrays = {}
    for key, name in manifest["files"].items():
        path = folder / name
        if _digest(path) != manifest["sha256"][key]:
            raise ValueError(f"{name}: checksum differs")
        arrays[key] = np.load(path, allow_pickle=False)
    rows = Rows.of(arrays["ids"], arrays["banks"], arrays["codes"])
    if len(rows) != manifest["rows"]:
        raise ValueError(f"{len(rows)} rows, the manifest says {manifest['rows']}")
    if manifest["layout"] is None:
        return Segment(rows)
    layout = mih.Layout(*manifest["layout"])
    orders = arrays["orders"]
    if orders.shape != (layout.chunks, len(rows)) or orders.dtype != np.int32:
        raise ValueError(f"orders of shape {orders.shape}, not {(layout.chunks, len(rows))}")
    return Segment(rows, mih.with_orders(mih.as_columns(rows.codes), layout, orders))
