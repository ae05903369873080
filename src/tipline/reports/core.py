"""Pure rules of a report: tracking codes, follow secrets, age groups, content fingerprints.

The tracking code is public (a reporter may read it to a hotline operator); the secret is what
lets its holder follow the report. Only a hash of the secret is stored: the secret has 120 bits
of randomness, so a plain SHA-256 is enough (a password hash would only slow down bulk import).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from tipline.vocabulary import VIETNAM_TIME

# No 0/O, 1/I/L or U: a code read aloud or copied from a screenshot cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PATTERN = re.compile(rf"^TL-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")
SECRET_ALPHABET = "23456789abcdefghjkmnpqrstvwxyz"
SECRET_LENGTH = 25  # 25 symbols of 30: ~122 bits

GENDERS = ("female", "male", "other")
# Upper bounds (exclusive) of the age groups the web form and the API share.
AGE_GROUPS = (
    (13, "under_13"),
    (18, "13_17"),
    (25, "18_24"),
    (40, "25_39"),
    (60, "40_59"),
    (200, "60_plus"),
)


def new_tracking_code() -> str:
    """A fresh public code such as `TL-7K3Q-9XPD` (30^8 ≈ 6.6e11 codes)."""
    number = secrets.randbelow(len(CODE_ALPHABET) ** 8)
    symbols = []
    for _ in range(8):
        number, digit = divmod(number, len(CODE_ALPHABET))
        symbols.append(CODE_ALPHABET[digit])
    return f"TL-{''.join(symbols[:4])}-{''.join(symbols[4:])}"


def normalise_code(raw: str) -> str | None:
    """A code as a person types it (`tl 7k3q 9xpd`, `TL7K3Q9XPD`) in its canonical form."""
    compact = re.sub(r"[\s\-_.]", "", raw.upper())
    compact = compact.removeprefix("TL")
    code = f"TL-{compact[:4]}-{compact[4:]}"
    return code if len(compact) == 8 and CODE_PATTERN.match(code) else None


def new_secret() -> str:
    """The reporter's follow secret, shown once, grouped for reading: `k3q9x-pd7mz-…`."""
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, SECRET_LENGTH, 5))


def hash_secret(secret: str) -> str:
    """The stored form of a secret; spaces, dashes and case do not matter."""
    compact = re.sub(r"[\s\-]", "", secret).lower()
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()


def secret_matches(secret: str, stored_hash: str | None) -> bool:
    """Constant-time comparison of a typed secret with the stored hash."""
    candidate = hash_secret(secret)
    expected = stored_hash if stored_hash is not None else "0" * 64
    return hmac.compare_digest(candidate, expected) and stored_hash is not None


def as_utc(moment: datetime | date | None) -> datetime | None:
    """A moment as an aware UTC datetime; a date is its midnight in Vietnam, and so is a time
    given without a zone (a date on the form, a naive timestamp in a file)."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(), tzinfo=VIETNAM_TIME)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM_TIME)
    return moment.astimezone(UTC)


def sighting_time(occurred_at: datetime | None, received_at: datetime) -> datetime:
    """When a report's indicators were seen: when it happened, if that is known and past."""
    if occurred_at is None or occurred_at > received_at:
        return received_at
    return occurred_at


# `Report.risk_rank`: within an urgency, a child at risk or a risk to life comes first.
AT_RISK_RANK, OTHER_RANK = 0, 1


def risk_rank(at_risk: bool) -> int:
    """The report's place within its urgency in the queue: 0 at risk, 1 the others."""
    return AT_RISK_RANK if at_risk else OTHER_RANK


def age_group(age: int | None) -> str | None:
    """The age group of a victim's age in years, or None when unknown."""
    if age is None or age < 0:
        return None
    for bound, name in AGE_GROUPS:
        if age < bound:
            return name
    return None


def content_fingerprint(fields: Mapping[str, object]) -> str:
    """A stable hash of a row's content: the identity of an imported row that has no id."""
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
