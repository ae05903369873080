"""The vocabulary of hash banks, pure: kinds of bank, signal types, how a hash is written, a
victim's receipt code, and what a bank's TLP and kind allow to be exported.

A bank's hashes are canonical lower-case hex: PDQ 64 digits (256 bits, read most-significant
first, as pdqhash and ThreatExchange write it), MD5 32, SHA-256 64. A 64-hex value is never
guessed: every hash comes with its signal type.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from tipline.principals import Caller, Principal
from tipline.sharing.tlp import Tlp


class BankKind(StrEnum):
    CHILD = "child"  # child sexual abuse material: a match raises a report to critical
    NCII = "ncii"  # non-consensual intimate images, most from victims' own hashes
    OTHER = "other"


class Signal(StrEnum):
    PDQ = "pdq"
    MD5 = "md5"
    SHA256 = "sha256"


BANK_KINDS: tuple[str, ...] = tuple(k.value for k in BankKind)
SIGNALS: tuple[str, ...] = tuple(s.value for s in Signal)
HEX_LENGTHS: dict[Signal, int] = {Signal.PDQ: 64, Signal.MD5: 32, Signal.SHA256: 64}
PDQ_BITS = 256
DEFAULT_MAX_DISTANCE = 31  # ThreatExchange's and HMA's PDQ match threshold
MAX_QUERIES = 1000  # hashes per match call
_HEX = re.compile(r"[0-9a-f]+")
NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class HashValue:
    """One hash to add to a bank or to match: its signal type and canonical value."""

    signal: Signal
    value: str
    quality: int | None = None


def canonical_hash(signal: str, text: str) -> str | None:
    """The canonical value of `text` written as a hash of `signal` (any case, surrounding
    spaces), or None when it is not one."""
    try:
        kind = Signal(signal.strip().lower())
    except ValueError:
        return None
    value = text.strip().lower()
    if len(value) != HEX_LENGTHS[kind] or not _HEX.fullmatch(value):
        return None
    return value


def hash_value(signal: str, text: str, quality: int | None = None) -> HashValue:
    """A checked hash: ValueError (naming what is wrong) for an unknown signal type, a value that
    is not one, or a quality outside 0-100."""
    if signal.strip().lower() not in SIGNALS:
        raise ValueError(f"a signal type is one of {', '.join(SIGNALS)}, not {signal!r}")
    value = canonical_hash(signal, text)
    if value is None:
        digits = HEX_LENGTHS[Signal(signal.strip().lower())]
        raise ValueError(f"a {signal.strip().lower()} hash is {digits} hexadecimal digits")
    if quality is not None and not 0 <= quality <= 100:
        raise ValueError("a PDQ quality is between 0 and 100")
    return HashValue(Signal(signal.strip().lower()), value, quality)


def bank_problem(name: str, kind: str, owner: str, retention_days: int | None) -> str | None:
    """What is wrong with a new bank's fields, in a sentence, or None."""
    if not name.strip() or len(name.strip()) > NAME_MAX:
        return f"a bank's name is 1 to {NAME_MAX} characters"
    if kind not in BANK_KINDS:
        return f"a bank's kind is one of {', '.join(BANK_KINDS)}"
    if not owner.strip() or len(owner.strip()) > NAME_MAX:
        return f"a bank's owner is 1 to {NAME_MAX} characters"
    if retention_days is not None and not 1 <= retention_days <= 36_500:
        return "retention is 1 to 36,500 days, or none (kept until removed)"
    return None


# --- a victim's receipt --------------------------------------------------------------------------

_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_receipt_code() -> str:
    """A receipt code a victim keeps to withdraw her hashes: 16 characters (80 bits) in four
    groups, `7KQM-2XHD-…`."""
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def receipt_digest(code: str) -> str:
    """What is stored of a receipt code: the SHA-256 of its normal form (upper case, no dashes
    or spaces), so that `7kqm 2xhd…` as she types it finds her hashes. The code carries 80
    random bits, so a plain hash is enough."""
    normal = re.sub(r"[\s-]", "", code).upper()
    return hashlib.sha256(normal.encode()).hexdigest()


# --- who may match, who may export ---------------------------------------------------------------


def may_manage(caller: Caller) -> bool:
    """Whether the caller may create banks, add and remove hashes, and export: staff."""
    return isinstance(caller, Principal) and caller.is_staff


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who an export is for: an organisation or partner agency (its name), whether the bank was
    granted to it, and the highest TLP it receives (a partner's policy; None: an organisation,
    which has no TLP policy of its own)."""

    name: str
    granted: bool
    max_tlp: Tlp | None


def export_problem(kind: str, tlp: Tlp, recipient: Recipient | None) -> str | None:
    """Why this bank may not be exported so, or None.

    A TLP:RED bank is for the people named in it: never written to a file. A child bank goes
    only to a recipient already granted it (its owner's policy: those who match against it),
    and within the recipient's TLP. Any bank named for a recipient must have been granted to it.
    """
    if tlp is Tlp.RED:
        return "a TLP:RED bank is never exported"
    if recipient is None:
        if kind == BankKind.CHILD.value:
            return "a child bank is exported only for a recipient granted it (name one)"
        return None
    if not recipient.granted:
        return f"{recipient.name} is not granted this bank"
    if recipient.max_tlp is not None and tlp.rank > recipient.max_tlp.rank:
        return (
            f"{recipient.name} receives up to {recipient.max_tlp.label}, this bank is {tlp.label}"
        )
    return None
