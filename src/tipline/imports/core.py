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

A row that cannot be read is rejected with its line number and the reason, in Vietnamese or
English (`language`); the others load.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from tipline.errors import InvalidInput
from tipline.messages import localise, say
from tipline.reports.core import content_fingerprint
from tipline.reports.schemas import ReportCreate

MAX_LINE_BYTES = 256 * 1024
ALIASES = {"text": "narrative", "id": "external_id"}
CSV_TRUE = {"1", "true", "yes", "y", "có", "co"}
CSV_FALSE = {"", "0", "false", "no", "n", "không", "khong"}
REASONS: dict[str, dict[str, str]] = {
    "not_utf8": {
        "vi": "dòng {line}: không phải UTF-8 hợp lệ (byte {byte}); hãy lưu tệp dạng UTF-8",
        "en": "line {line}: not valid UTF-8 (byte {byte}); save the file as UTF-8",
    },
    "line_too_long": {
        "vi": "dòng dài quá {limit} ký tự",
        "en": "line longer than {limit} characters",
    },
    "not_json": {
        "vi": "JSON không hợp lệ ở cột {column}",
        "en": "not valid JSON: {detail} at column {column}",
    },
    "not_object": {
        "vi": "mỗi dòng phải là một đối tượng JSON",
        "en": "a line must be a JSON object",
    },
    "extra_values": {
        "vi": "nhiều giá trị hơn số cột của dòng tiêu đề",
        "en": "more values than columns in the header",
    },
    "bad_csv": {"vi": "CSV không đọc được: {detail}", "en": "CSV: {detail}"},
    "no_narrative_column": {
        "vi": "dòng 1: dòng tiêu đề CSV không có cột 'narrative'",
        "en": "line 1: the CSV header has no 'narrative' column",
    },
    "file_type": {
        "vi": "chỉ nhập được tệp .jsonl hoặc .csv",
        "en": "import takes a .jsonl or .csv file",
    },
}


def reason(key: str, language: str, **values: object) -> str:
    """A rejection reason in `language` (vi or en; anything else reads as en)."""
    return say(REASONS[key], language, **values)


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A readable row: the report, and the id that makes importing it twice add nothing."""

    line: int
    external_id: str
    report: ReportCreate
    received_at: datetime | None = None  # when it came in at its source; None: now


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reason: str


def decode_file(raw: bytes, language: str = "en") -> str:
    """The text; a file that is not UTF-8 is refused, naming the line of its first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = reason("not_utf8", language, line=line, byte=exc.start)
        raise InvalidInput(message, field="file") from exc


def _reason(exc: ValidationError, language: str) -> str:
    """Each field's problem, as the API says it (`tipline.messages`)."""
    parts = []
    for error in exc.errors():
        said = localise(dict(error), language)
        parts.append(f"{said['field'] or 'row'}: {said['message']}")
    return "; ".join(parts)


def _row(line: int, fields: dict[str, Any], language: str) -> ImportRow | RejectedRow:
    fields = {ALIASES.get(key, key): value for key, value in fields.items()}
    external = fields.pop("external_id", None)
    try:
        report = ReportCreate.model_validate(fields)
    except ValidationError as exc:
        return RejectedRow(line, _reason(exc, language))
    if external is None or str(external).strip() == "":
        external = content_fingerprint(report.model_dump(mode="json"))
    return ImportRow(line, str(external).strip()[:200], report)


def jsonl_rows(text: str, language: str = "en") -> Iterator[ImportRow | RejectedRow]:
    """One JSON object a line; blank lines are skipped."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_BYTES:
            yield RejectedRow(number, reason("line_too_long", language, limit=MAX_LINE_BYTES))
            continue
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as exc:
            said = reason("not_json", language, detail=exc.msg, column=exc.colno)
            yield RejectedRow(number, said)
            continue
        if not isinstance(fields, dict):
            yield RejectedRow(number, reason("not_object", language))
            continue
        yield _row(number, fields, language)


def _csv_fields(record: dict[str | None, Any], language: str) -> dict[str, Any] | str:
    if None in record:
        return reason("extra_values", language)
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


def csv_rows(text: str, language: str = "en") -> Iterator[ImportRow | RejectedRow]:
    """A header line, then one report a record (quoted fields may span lines)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if "narrative" not in header and "text" not in header:
        raise InvalidInput(reason("no_narrative_column", language), field="file")
    return _csv_records(reader, language)


def _csv_records(reader: csv.DictReader[str], language: str) -> Iterator[ImportRow | RejectedRow]:
    try:
        for record in reader:
            number = reader.line_num  # the record's last line: where a reader finds it
            fields = _csv_fields(record, language)
            if isinstance(fields, str):
                yield RejectedRow(number, fields)
            else:
                yield _row(number, fields, language)
    except csv.Error as exc:
        yield RejectedRow(reader.line_num, reason("bad_csv", language, detail=exc))


def read_rows(name: str, raw: bytes, language: str = "en") -> Iterator[ImportRow | RejectedRow]:
    """The rows of a `.jsonl` or `.csv` file (by its name's ending); reasons in `language`."""
    lowered = name.lower()
    if not lowered.endswith((".jsonl", ".ndjson", ".csv")):
        raise InvalidInput(reason("file_type", language), field="file")
    text = decode_file(raw, language)
    return csv_rows(text, language) if lowered.endswith(".csv") else jsonl_rows(text, language)
