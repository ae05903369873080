"""A typed value read the way the server reads it: its kind and canonical form, by the very
function the server's check uses (`tipline.indicators.read.read_value`, pure), with the curated
allowlist (an operator's own lists only mark hosts as allowlisted, which the kind and canonical
form do not depend on)."""

from __future__ import annotations

from functools import cache

from tipline.client.errors import InvalidValue
from tipline.indicators.allowlist import Allowlist, curated_allowlist
from tipline.indicators.read import read_value
from tipline.vocabulary import MAX_VALUE_LENGTH

UNREADABLE = (
    "{value} is not a phone number, bank account, link, domain, email, IP address, wallet, hash "
    "or social handle"
)


@cache
def _allowlist() -> Allowlist:
    return curated_allowlist()


def read_indicator(text: str) -> tuple[str, str]:
    """(kind, canonical value) of a typed value, as the server's check reads it: `("phone",
    "+84987654321")` for `0987 654 321`; InvalidValue when it is none of the indicator kinds."""
    if not isinstance(text, str):
        raise TypeError("a value to check is a string")
    if len(text) > MAX_VALUE_LENGTH:
        message = f"a value is at most {MAX_VALUE_LENGTH} characters"
        raise InvalidValue(message, status=422, code="invalid_input", field="value")
    found = read_value(text, _allowlist())
    if found is None:
        message = UNREADABLE.format(value=repr(text.strip()[:80]))
        raise InvalidValue(message, status=422, code="invalid_input", field="value")
    return found.kind.value, found.value
