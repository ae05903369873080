"""Reading one line of `tipline triage --jsonl` (spec: triage.md), and JSON lines out.

A good line is `{"id": …, "text": "…"}` with optional `victim_age`, `loss_amount` and
`loss_currency`; anything else gives the message of the `{"id": …, "error": …}` answer.
Pure: bytes in, values out.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_TEXT_CHARS = 100_000
MAX_AGE = 150


@dataclass(frozen=True, slots=True)
class TriageRequest:
    ident: Any
    text: str
    victim_age: int | None = None
    loss_amount: Decimal | None = None
    loss_currency: str | None = None


class BadLine(ValueError):
    """A line that cannot be triaged; `ident` is the line's id when it could be read."""

    def __init__(self, message: str, ident: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.ident = ident


def _clean(text: str) -> str:
    """No NUL characters and no lone surrogates (JSON escapes can carry both)."""
    return text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")


def _age(value: object, ident: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        raise BadLine(f"'victim_age' must be a whole number from 0 to {MAX_AGE}", ident)
    return value


def _amount(value: object, ident: Any) -> Decimal | None:
    if value is None:
        return None
    message = "'loss_amount' must be a number not below 0"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadLine(message, ident)
    if isinstance(value, float) and not math.isfinite(value):
        raise BadLine(message, ident)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise BadLine(message, ident) from exc
    if not amount.is_finite() or amount < 0:
        raise BadLine(message, ident)
    return amount


def _currency(value: object, ident: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 8:
        raise BadLine("'loss_currency' must be a currency code such as \"VND\"", ident)
    return value.strip().upper()


def read_line(raw: bytes) -> TriageRequest:
    """The request of one input line, or BadLine saying what is wrong with it."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"line is not valid UTF-8 at byte {exc.start}") from exc
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON: {exc.msg} at column {exc.colno}") from exc
    except RecursionError as exc:
        raise BadLine("not valid JSON: nested too deeply") from exc
    if not isinstance(record, dict):
        raise BadLine("a line must be a JSON object with 'id' and 'text'")
    ident = record.get("id")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadLine("missing 'text' (a non-empty string)", ident)
    if len(text) > MAX_TEXT_CHARS:
        raise BadLine(f"'text' is longer than {MAX_TEXT_CHARS} characters", ident)
    return TriageRequest(
        ident=ident,
        text=_clean(text),
        victim_age=_age(record.get("victim_age"), ident),
        loss_amount=_amount(record.get("loss_amount"), ident),
        loss_currency=_currency(record.get("loss_currency"), ident),
    )


def json_line(obj: dict[str, Any]) -> bytes:
    """One output line, UTF-8; text that cannot be encoded (lone surrogates) is escaped."""
    try:
        return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj, ensure_ascii=True) + "\n").encode("ascii")
