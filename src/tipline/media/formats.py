"""The file formats banks are imported from and exported to, pure: text in, hashes out, and back.

- `hma`: the signal files of Meta's python-threatexchange and HMA (its "local file" exchange,
  `LocalFileSignalExchangeAPI`): one `<signal type> <signal>` a line, `pdq f8f8…`. Read also
  with a comma or a tab between (`pdq,f8f8…`, the CSV some banks hand out), an optional third
  field (PDQ's quality), `#` comments and a `signal_type,signal` header. python-threatexchange
  names MD5 and SHA-256 of videos `video_md5` and `video_sha256`; they are read as `md5` and
  `sha256` (tipline's names, written on export).
- `threatexchange`: ThreatExchange's threat descriptors as JSON (`raw_indicator`, `type`
  `HASH_PDQ`/`HASH_MD5`/`HASH_SHA256`, `share_level`, `status`, `tags`, `added_on`), one object
  a line, or an array, or a Graph API page (`{"data": [...]}`). A descriptor whose `status` is
  `NON_MALICIOUS` or that says `should_delete` is skipped. JSON lines of `tipline media hash`
  (`{"file", "pdq", "quality", "md5", "sha256"}`) are read too.
- `stix`: a STIX 2.1 bundle (export only): the TLP marking-definition, this instance's identity,
  and one `file` cyber-observable a hash (`hashes`: `MD5`, `SHA-256`, or `PDQ`, a value of the
  open hash-algorithm vocabulary), each marked with the bank's TLP.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tipline.media.core import HashValue, Signal, hash_value
from tipline.sharing.patterns import deterministic_id
from tipline.sharing.stix import instance_identity, timestamp
from tipline.sharing.tlp import Tlp, marking_definition

FORMATS = ("hma", "threatexchange", "stix")
IMPORT_FORMATS = ("hma", "threatexchange")
SIGNAL_NAMES: dict[str, Signal] = {
    "pdq": Signal.PDQ, "md5": Signal.MD5, "sha256": Signal.SHA256, "video_md5": Signal.MD5,
    "video_sha256": Signal.SHA256, "photo_md5": Signal.MD5, "photo_sha256": Signal.SHA256,
}  # fmt: skip
TE_TYPES = {"HASH_PDQ": Signal.PDQ, "HASH_MD5": Signal.MD5, "HASH_SHA256": Signal.SHA256}
TE_TYPE_OF = {signal: name for name, signal in TE_TYPES.items()}
# TLP 2.0 → ThreatExchange's share levels (TLP 1.0): AMBER+STRICT has no equal and is never
# loosened, so it goes out as RED.
SHARE_LEVELS = {Tlp.CLEAR: "WHITE", Tlp.GREEN: "GREEN", Tlp.AMBER: "AMBER",
                Tlp.AMBER_STRICT: "RED", Tlp.RED: "RED"}  # fmt: skip
STIX_HASH_NAMES = {Signal.PDQ: "PDQ", Signal.MD5: "MD5", Signal.SHA256: "SHA-256"}
_SEPARATORS = re.compile(r"[\s,;]+")
_HEADER_WORDS = {"signal_type", "type", "signal"}


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A line (from 1) that is not a hash, and why: the import goes on without it."""

    line: int
    reason: str


Read = HashValue | LineProblem | None  # None: a line that holds nothing to import


def read_signal_line(number: int, line: str) -> Read:
    """One line of an HMA / python-threatexchange signal file."""
    text = line.strip().lstrip("\ufeff")
    if not text or text.startswith("#"):
        return None
    fields = _SEPARATORS.split(text, maxsplit=2)
    if fields[0].lower() in _HEADER_WORDS:
        return None
    if len(fields) < 2:
        return LineProblem(number, "write a signal type and a hash: pdq <64 hex>")
    name = fields[0].lower()
    if name not in SIGNAL_NAMES:
        return LineProblem(number, f"unknown signal type {fields[0][:20]!r}")
    quality = fields[2].strip() if len(fields) > 2 else ""
    try:
        return hash_value(SIGNAL_NAMES[name], fields[1],
                          int(quality) if quality.isdigit() else None)  # fmt: skip
    except ValueError as exc:
        return LineProblem(number, str(exc))


def _descriptor_hashes(number: int, item: Any) -> Iterator[Read]:
    if not isinstance(item, dict):
        yield LineProblem(number, "not a JSON object")
        return
    if {"raw_indicator", "type", "indicator"} & item.keys():
        yield _descriptor_hash(number, item)
        return
    given = [s for s in Signal if isinstance(item.get(s.value), str)]
    if not given:
        yield LineProblem(number, "no raw_indicator, pdq, md5 or sha256")
    for signal in given:
        quality = item.get("quality") if signal is Signal.PDQ else None
        yield _checked(number, signal, item[signal.value], quality)


def _descriptor_hash(number: int, item: dict[str, Any]) -> Read:
    if item.get("should_delete") or item.get("status") == "NON_MALICIOUS":
        return None
    kind = item.get("type")
    indicator = item.get("indicator")
    raw = item.get("raw_indicator")
    if isinstance(indicator, dict):
        raw, kind = raw or indicator.get("indicator"), kind or indicator.get("type")
    if kind not in TE_TYPES or not isinstance(raw, str):
        return LineProblem(number, f"not a photo hash descriptor ({str(kind)[:30]})")
    return _checked(number, TE_TYPES[kind], raw, None)


def _checked(number: int, signal: Signal, text: Any, quality: Any) -> Read:
    try:
        return hash_value(signal, str(text), quality if isinstance(quality, int) else None)
    except ValueError as exc:
        return LineProblem(number, str(exc))


def read_descriptors(lines: Iterable[str]) -> Iterator[Read]:
    """ThreatExchange descriptors (or `tipline media hash` lines): JSON lines, or one JSON
    array or Graph API page (read whole)."""
    source = iter(lines)
    first = next(source, "")
    start = first.lstrip("\ufeff \t\r\n")
    if start.startswith("[") or (start.startswith("{") and '"data"' in start[:200]):
        yield from _whole(first + "".join(source))
        return
    for number, line in enumerate((first, *source) if first else (), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            yield LineProblem(number, "not JSON")
            continue
        yield from _descriptor_hashes(number, item)


def _whole(text: str) -> Iterator[Read]:
    try:
        document = json.loads(text)
    except ValueError:
        yield LineProblem(1, "not JSON")
        return
    items = document.get("data", []) if isinstance(document, dict) else document
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        yield from _descriptor_hashes(number, item)


def read_lines(fmt: str, lines: Iterable[str]) -> Iterator[Read]:
    """Every hash (or problem) of an import file in `fmt` (`hma` or `threatexchange`)."""
    if fmt == "hma":
        return (read_signal_line(n, line) for n, line in enumerate(lines, start=1))
    if fmt == "threatexchange":
        return read_descriptors(lines)
    raise ValueError(f"an import format is one of {', '.join(IMPORT_FORMATS)}")


# --- export --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Exported:
    """One live hash of a bank as an export writes it."""

    signal: str
    value: str
    quality: int | None
    added_at: datetime


def signal_line(row: Exported) -> str:
    return f"{row.signal} {row.value}\n"


def descriptor(row: Exported, bank_name: str, bank_kind: str, tlp: Tlp) -> str:
    """One ThreatExchange threat descriptor, a JSON line."""
    tags = [f"tipline_bank:{bank_name}", f"tipline_kind:{bank_kind}"]
    if row.quality is not None:
        tags.append(f"pdq_quality:{row.quality}")
    item = {
        "raw_indicator": row.value, "type": TE_TYPE_OF[Signal(row.signal)],
        "share_level": SHARE_LEVELS[tlp], "status": "MALICIOUS", "privacy_type": "HAS_WHITELIST",
        "added_on": timestamp(row.added_at), "tags": tags,
    }  # fmt: skip
    return json.dumps(item, ensure_ascii=False) + "\n"


def stix_file(row: Exported, tlp: Tlp) -> dict[str, Any]:
    hashes = {STIX_HASH_NAMES[Signal(row.signal)]: row.value}
    return {
        "type": "file", "spec_version": "2.1", "id": deterministic_id("file", {"hashes": hashes}),
        "hashes": hashes, "object_marking_refs": [tlp.marking_id],
    }  # fmt: skip


def stix_bundle(rows: Iterable[Exported], tlp: Tlp, identity_name: str) -> Iterator[str]:
    """A STIX 2.1 bundle, as pieces of its JSON text (a bank of millions is never held whole)."""
    yield f'{{"type": "bundle", "id": "bundle--{uuid.uuid4()}", "objects": [\n'
    yield json.dumps(marking_definition(tlp))
    yield ",\n" + json.dumps(instance_identity(identity_name))
    for row in rows:
        yield ",\n" + json.dumps(stix_file(row, tlp))
    yield "\n]}\n"
