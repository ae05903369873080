"""Hostile text for the stored-script tests: payloads that set `window.__xss` if they ever run,
and mark any element they manage to inject with `data-xss`; and a filler that puts them in
every string field of a JSON schema (a Pydantic model's), so a field added later is covered.

A field whose schema bounds it (a pattern, an enum, a date) cannot hold a payload: the filler
counts it as refused by the schema, and gives it a valid value only when it is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PAYLOADS = {
    "script": "<script>window.__xss=1</script>",
    "img onerror": "<img data-xss src=x onerror=window.__xss=1>",
    "svg onload": "<svg data-xss onload=window.__xss=1></svg>",
    "javascript: URL": "javascript:window.__xss=1//",
    "attribute breaker": "\"'><b data-xss onmouseover=window.__xss=1>x</b>",
    "template": "{{7*7}} ${7*7} {{constructor.constructor('window.__xss=1')()}}",
    "textarea breaker": "</textarea></title><i data-xss>x</i>",
    "markdown link": "[click](javascript:window.__xss=1) ![x](x)",
    "iframe srcdoc": "<iframe data-xss srcdoc='<script>parent.__xss=1</script>'></iframe>",
    "rtl override": "\u202egnp.exe\u202c rtl",
    "very long word": "W" * 300,
}
ALL = " ".join(PAYLOADS.values())
# What an injected element, link or frame looks like in the page (none must be there).
INJECTED = "[data-xss], a[href^='javascript:' i], iframe[srcdoc], [onerror], [onload]"


def payload_for(max_length: int | None, index: int, lead: str = "") -> str:
    """All payloads when they fit, else one (the `index`th, in turn), cut to `max_length`."""
    names = list(PAYLOADS.values())
    text = f"{lead} {ALL}".strip()
    if max_length is not None and len(text) > max_length:
        text = names[index % len(names)]
    return text[:max_length] if max_length is not None else text


@dataclass
class Filled:
    """A body filled from a schema, and the dotted paths of the fields that hold a payload
    and of the string fields whose schema refuses one."""

    body: dict[str, Any]
    holding: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _resolve(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if ref else schema


def _open_string(schema: Mapping[str, Any]) -> bool:
    bounded = ("pattern", "enum", "format", "const")
    return schema.get("type") == "string" and not any(k in schema for k in bounded)


def _choose(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    """Of `anyOf` branches: a number's (a decimal is also offered as a string), else a free
    string, else the first not null."""
    branches = [_resolve(b, defs) for b in schema.get("anyOf", [schema])]
    numbers = [b for b in branches if b.get("type") in ("number", "integer")]
    if numbers:
        return numbers[0]
    return next((b for b in branches if _open_string(b)), None) or next(
        (b for b in branches if b.get("type") != "null"), branches[0]
    )


class SchemaFiller:
    """Fills a JSON schema: free strings get payloads, `given` values win (by field name)."""

    def __init__(self, schema: Mapping[str, Any], given: Mapping[str, Any], lead: str = "") -> None:
        self.defs = schema.get("$defs", {})
        self.given = given
        self.lead = lead
        self.filled = Filled({})

    def fill(self, schema: Mapping[str, Any]) -> Filled:
        self.filled.body = self._object(schema, "")
        return self.filled

    def _object(self, schema: Mapping[str, Any], path: str) -> dict[str, Any]:
        required = set(schema.get("required", []))
        body: dict[str, Any] = {}
        for name, spec in schema.get("properties", {}).items():
            here = f"{path}{name}"
            if name in self.given:
                body[name] = self.given[name]
                continue
            value = self._value(_choose(spec, self.defs), here, name in required)
            if value is not None:
                body[name] = value
        return body

    def _value(self, spec: Mapping[str, Any], path: str, required: bool) -> Any:
        kind = spec.get("type")
        if _open_string(spec):
            self.filled.holding.append(path)
            return payload_for(spec.get("maxLength"), len(self.filled.holding), self.lead)
        if kind == "string":
            self.filled.refused.append(path)
            return spec["enum"][0] if required and "enum" in spec else None
        if kind == "array":
            item = self._value(_choose(spec.get("items", {}), self.defs), f"{path}[]", True)
            return [item] if item is not None else None
        if kind == "object" or "properties" in spec:
            return self._object(spec, f"{path}.")
        if required and kind in ("integer", "number"):
            return spec.get("minimum", 1)
        return None


def filled_from(
    schema: Mapping[str, Any], given: Mapping[str, Any] | None = None, lead: str = ""
) -> Filled:
    """The body of a schema with every free string field holding payloads (`lead` first)."""
    return SchemaFiller(schema, given or {}, lead).fill(schema)
