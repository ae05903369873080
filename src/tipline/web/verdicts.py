"""What the check page shows for a check result: one of four states, told apart by colour.

`confirmed` (an analyst confirmed it: red) comes first; a known legitimate value
(`allowlisted`) comes before mere reports, so a report that names facebook.com does not paint
it amber; `reported` (amber); `none`, which the page says does not mean safe.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from tipline.html.language import request_language
from tipline.indicators.accounts import shown_value
from tipline.indicators.banks import bank_named
from tipline.indicators.schemas import CheckResult
from tipline.triage.advice import advice_for


def check_state(result: CheckResult) -> str:
    if result.confirmed:
        return "confirmed"
    if result.allowlisted and not result.sources:  # a listed page on a legitimate host is reported
        return "allowlisted"
    if result.verdict == "reported":
        return "reported"
    return "none"


def page_values(result: CheckResult, request: Request) -> dict[str, Any]:
    """The check template's values: state, categories by count, sources and advice."""
    categories = sorted(result.categories.items(), key=lambda item: (-item[1], item[0]))
    state = check_state(result)
    top = categories[0][0] if categories and state in ("confirmed", "reported") else None
    return {
        "result": result,
        "shown_value": shown_value(result.kind, result.value),
        "state": state,
        "categories": categories,
        "sources": sorted(result.sources),
        "bank_names": {at.bank: _bank_name(at.bank) for at in result.accounts},
        "advice": advice_for(top, request_language(request)).sections() if top else [],
    }


def _bank_name(code: str) -> str:
    """The bank as people call it (`VietinBank`, not its NAPAS code `ICB`)."""
    bank = bank_named(code)
    return bank.name if bank else code
