"""Reading a bulk-import file (`.jsonl` or `.csv`) into reports, row by row. Pure: no database.

Columns (CSV header or JSON keys; only `narrative` is required):

| column | meaning |
| --- | --- |
| `narrative` (or `text`) | the victim's own words, at most 20,000 characters |
| `external_id` (or `id`) | the row's id in its source; without one, the row's content is its id |
| `language` | ISO 639-1 code (`vi`, `en`); triage detects it when absent |
| `occurred_at` | ISO 8601 date or date-time (Vietnam time when it has no zone) |
| `loss_amount`, `loss_currency` | e.g. `15000000` and `VND` |
| `victim_age` | years |
| `victim_gender` | `female`, `male` or `other` |
| `province`, `country` | where the victim is |
| `contact` | the reporter's contact (personal data) |
| `anonymous` | `true`/`false` (CSV: also `1`/`0`, `yes`/`no`) |
| `indicators` | values listed apart from the narrative: a JSON list; in CSV, `;` between them |

A row that cannot be read is rejected with its line number and the reason; the others load.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tipline.errors import InvalidInput
from tipline.reports.core import content_fingerprint
from tipline.reports.schemas import ReportCreate

MAX_LINE_BYTES = 256 * 1024
ALIASES = {"text": "narrative", "id": "external_id"}
CSV_TRUE = {"1", "true", "yes", "y", "có", "co"}
CSV_FALSE = {"", "0", "false", "no", "n", "không", "khong"}


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A readable row: the report, and the id that makes importing it twice add nothing."""

    line: int
    external_id: str
    report: ReportCreate


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reason: str


def decode_file(raw: bytes) -> str:
    """The text; a file that is not UTF-8 is refused, naming the line of its first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"line {line}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8"
        raise InvalidInput(message, field="file") from exc


def _reason(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "row"
        parts.append(f"{field}: {str(error['msg']).removeprefix('Value error, ')}")
    return "; ".join(parts)


def _row(line: int, fields: dict[str, Any]) -> ImportRow | RejectedRow:
    fields = {ALIASES.get(key, key): value for key, value in fields.items()}
    external = fields.pop("external_id", None)
    try:
        report = ReportCreate.model_validate(fields)
    except ValidationError as exc:
        return RejectedRow(line, _reason(exc))
    if external is None or str(external).strip() == "":
        external = content_fingerprint(report.model_dump(mode="json"))
    return ImportRow(line, str(external).strip()[:200], report)


def jsonl_rows(text: str) -> Iterator[ImportRow | RejectedRow]:
    """One JSON object a line; blank lines are skipped."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_BYTES:
            yield RejectedRow(number, f"line longer than {MAX_LINE_BYTES} characters")
            continue
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RejectedRow(number, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(fields, dict):
            yield RejectedRow(number, "a line must be a JSON object")
            continue
        yield _row(number, fields)


def _csv_fields(record: dict[str | None, Any]) -> dict[str, Any] | str:
    if None in record:
        return "more values than columns in the header"
    fields: dict[str, Any] = {}
    for key, value in record.items():
        if key is None or value is None or value == "":
            continue
        fields[key.strip()] = value
    anonymous = str(fields.get("anonymous", "")).strip().lower()
    if anonymous in CSV_TRUE:
        fields["anonymous"] = True
    elif anonymous in CSV_FALSE:
        fields.pop("anonymous", None)
    if "indicators" in fields:
        listed = str(fields["indicators"]).replace("\n", ";").split(";")
        fields["indicators"] = [value.strip() for value in listed if value.strip()]
    return fields


def csv_rows(text: str) -> Iterator[ImportRow | RejectedRow]:
    """A header line, then one report a record (quoted fields may span lines)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if "narrative" not in header and "text" not in header:
        raise InvalidInput("line 1: the CSV header has no 'narrative' column", field="file")
    return _csv_records(reader)


def _csv_records(reader: csv.DictReader[str]) -> Iterator[ImportRow | RejectedRow]:
    try:
        for record in reader:
            number = reader.line_num  # the record's last line: where a reader finds it
            fields = _csv_fields(record)
            yield RejectedRow(number, fields) if isinstance(fields, str) else _row(number, fields)
    except csv.Error as exc:
        yield RejectedRow(reader.line_num, f"CSV: {exc}")


def read_rows(name: str, raw: bytes) -> Iterator[ImportRow | RejectedRow]:
    """The rows of a `.jsonl` or `.csv` file (by its name's ending)."""
    lowered = name.lower()
    if not lowered.endswith((".jsonl", ".ndjson", ".csv")):
        raise InvalidInput("import takes a .jsonl or .csv file", field="file")
    text = decode_file(raw)
    return csv_rows(text) if lowered.endswith(".csv") else jsonl_rows(text)
