"""Validation messages in Vietnamese and English: one pydantic error, said for a person.

Pure (no web framework): the API's error answers (`tipline.server.problems`) and the import's
rejected rows (`tipline.imports.core`) say the same things the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, AwareDatetime
from pydantic_core import PydanticCustomError

from tipline.vocabulary import EARLIEST_DATE

MESSAGES: dict[str, dict[str, str]] = {
    "narrative_empty": {
        "vi": "Hãy kể lại chuyện gì đã xảy ra.",
        "en": "The narrative is empty: tell what happened.",
    },
    "occurred_in_future": {
        "vi": "Ngày này ở tương lai.",
        "en": "The date is in the future.",
    },
    "before_era": {
        "vi": "Ngày này quá sớm: phải từ {earliest} trở đi.",
        "en": "The date is too early: it must be {earliest} or later.",
    },
    "missing": {"vi": "Thiếu trường này.", "en": "This field is required."},
    "string_too_long": {
        "vi": "Quá dài: tối đa {max_length} ký tự.",
        "en": "Too long: at most {max_length} characters.",
    },
    "too_long": {
        "vi": "Quá nhiều: tối đa {max_length} mục.",
        "en": "Too many: at most {max_length} items.",
    },
    "string_type": {"vi": "Cần một chuỗi văn bản.", "en": "Must be text."},
    "string_pattern_mismatch": {"vi": "Định dạng không hợp lệ.", "en": "Not in the expected form."},
    "value_error": {"vi": "Giá trị không hợp lệ: {detail}", "en": "Invalid value: {detail}"},
    "extra_forbidden": {"vi": "Trường không được hỗ trợ.", "en": "Unknown field."},
    "json_invalid": {"vi": "JSON không hợp lệ.", "en": "Not valid JSON."},
    "literal_error": {"vi": "Chọn một trong: {expected}.", "en": "Must be one of: {expected}."},
    "number": {"vi": "Số không hợp lệ hoặc ngoài giới hạn.", "en": "Not a number in range."},
    "datetime": {"vi": "Ngày giờ không hợp lệ.", "en": "Not a valid date or time."},
    "bool_parsing": {"vi": "Cần true hoặc false.", "en": "Must be true or false."},
    "invalid": {"vi": "Giá trị không hợp lệ.", "en": "Invalid value."},
}


def say(templates: dict[str, str], language: str, **values: object) -> str:
    """One of `templates` (by language) filled with `values`: in `language` when there is one,
    else in English."""
    return templates.get(language, templates["en"]).format(**values)


def _message_key(error_type: str) -> str:
    if error_type in MESSAGES:
        return error_type
    if error_type.startswith(("greater_than", "less_than", "decimal", "int_", "float_")):
        return "number"
    if error_type.startswith(("datetime", "date")):
        return "datetime"
    return "invalid"


def _field(location: Sequence[Any]) -> str | None:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def localise(error: dict[str, Any], language: str) -> dict[str, Any]:
    """One pydantic error as `{field, code, message}` in `language`."""
    key = _message_key(str(error.get("type", "")))
    context = dict(error.get("ctx") or {})
    context.setdefault("detail", str(error.get("msg", "")).removeprefix("Value error, "))
    template = MESSAGES[key][language]
    try:
        message = template.format(**context)
    except (KeyError, IndexError):
        message = MESSAGES["invalid"][language]
    return {"field": _field(error.get("loc", ())), "code": key, "message": message}


Moment = TypeVar("Moment", date, datetime)


def in_era(value: Moment) -> Moment:
    """`value` when it is on or after `EARLIEST_DATE` (a naive time is read as UTC); else a
    `before_era` validation error."""
    moment = value if isinstance(value, datetime) else datetime.combine(value, time(), UTC)
    earliest = datetime.combine(EARLIEST_DATE, time(), UTC)
    if (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) < earliest:
        message = "the date is before {earliest}"
        raise PydanticCustomError("before_era", message, {"earliest": EARLIEST_DATE.isoformat()})
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(value: str) -> str:
    """`value` with its NUL characters made spaces and its lone surrogates U+FFFD: PostgreSQL's
    text cannot hold NUL and UTF-8 cannot encode a lone surrogate (a pasted chat, a JSON escape
    or a fuzzer sends them); every other character of what was sent is kept."""
    if "\x00" in value:
        value = value.replace("\x00", " ")
    if not value.isascii() and _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    return value


def is_storable(value: object) -> bool:
    """Whether a text (or any other value) can be stored as it is: see `storable`."""
    if not isinstance(value, str):
        return True
    return "\x00" not in value and (value.isascii() or _SURROGATE.search(value) is None)


# A date or a time of tipline's era: for deadlines, dates of events and filters.
EraDate = Annotated[date, AfterValidator(in_era)]
EraAwareDatetime = Annotated[AwareDatetime, AfterValidator(in_era)]
