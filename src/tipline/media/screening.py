"""Screening what tipline receives: an image is hashed and matched against every bank on arrival.

This is tipline's own check of a file it keeps, not a caller's query: it reads every bank, as
staff do (`SCREENING`), whoever uploaded the file (a reporter too). The image's PDQ is matched
with its 8 dihedral variants (a turned or mirrored copy is found too), and only when its quality
is at least `MIN_PDQ_QUALITY`: a flat picture's PDQ is near many others', and a false match
against a child bank would raise a report to critical. MD5 and SHA-256 match exactly whatever
the picture. A file that cannot be decoded as an image is still matched by its digests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tipline.errors import TiplineError
from tipline.evidence.models import Evidence
from tipline.evidence.service import add_custody
from tipline.evidence.store import EvidenceStore
from tipline.media.core import BankKind, HashValue, Signal
from tipline.media.hashing import ImageHashes, hash_image
from tipline.media.service import Match, match
from tipline.principals import Principal, Role
from tipline.reports.service import raise_to_critical

# tipline itself, screening a file: reads every bank as staff do; never signs anything in.
SCREENING = Principal(user_id=0, username="screening", role=Role.ANALYST, via="system")
MIN_PDQ_QUALITY = 50  # our cut-off: below it a picture is too flat for its PDQ to tell it apart


@dataclass(frozen=True, slots=True)
class Screening:
    """An image's hashes (None: not an image that could be decoded) and the banks' hashes that
    match it, one per bank hash, nearest first."""

    hashes: ImageHashes | None
    matches: list[Match]

    @property
    def child_matches(self) -> list[Match]:
        """Matches against a child bank: they raise the file's reports to critical."""
        return [m for m in self.matches if m.bank_kind == BankKind.CHILD.value]

    def summary(self) -> dict[str, object]:
        """What a custody entry keeps of it: the image's PDQ and quality, and each matching bank
        once with its nearest distance, `CSAM known: 4` (no bank hash leaves its bank)."""
        nearest: dict[str, int] = {}
        for found in self.matches:  # nearest first
            nearest.setdefault(found.bank_name, found.distance)
        banks = "; ".join(f"{name}: {distance}" for name, distance in nearest.items())
        details: dict[str, object] = {"matched_banks": banks or None}
        if self.hashes is not None:
            details |= {"pdq": self.hashes.pdq, "quality": self.hashes.quality}
        return details


def screened_hashes(content: bytes, sha256: str) -> tuple[ImageHashes | None, list[HashValue]]:
    """The image's hashes and what is matched: MD5 and SHA-256, and the PDQ of the 8 variants
    when the picture has the quality for it."""
    try:
        hashes: ImageHashes | None = hash_image(content)
    except TiplineError:
        hashes = None
    md5 = hashlib.md5(content, usedforsecurity=False).hexdigest()
    asked = [HashValue(Signal.MD5, md5), HashValue(Signal.SHA256, sha256)]
    if hashes is not None and hashes.quality >= MIN_PDQ_QUALITY:
        asked += [HashValue(Signal.PDQ, pdq, hashes.quality) for pdq in set(hashes.dihedral)]
    return hashes, asked


def screen_image(session: Session, content: bytes, sha256: str) -> Screening:
    """Hash a received file and match it against every bank (tipline's own check)."""
    hashes, asked = screened_hashes(content, sha256)
    best: dict[int, Match] = {}
    for found in match(session, SCREENING, asked):
        for each in found:
            if each.hash_id not in best or each.distance < best[each.hash_id].distance:
                best[each.hash_id] = each
    ordered = sorted(best.values(), key=lambda m: (m.distance, m.bank_name, m.hash_id))
    return Screening(hashes, ordered)


SCREENING_ACTOR = "system:screening"  # how custody and the audit log name this check


def child_match_reason(found: Match) -> str:
    """The triage reason a child bank's match adds to a report (read back by the workspace)."""
    return (
        f"image matches child abuse hash bank '{found.bank_name}' "
        f"({found.signal}, distance {found.distance})"
    )


def screen_received(
    session: Session, store: EvidenceStore, evidence: Evidence, report_id: int | None
) -> None:
    """The evidence store's arrival check (`tipline.evidence.service.ArrivalCheck`): hash the
    image, match it against every bank, keep what matched as a custody entry, and raise the
    report it came with to critical when a child bank matches; then commit."""
    screening = screen_image(session, store.read_verified(evidence.sha256), evidence.sha256)
    add_custody(session, evidence, "screened", SCREENING_ACTOR, screening.summary())
    if report_id is not None and (child := screening.child_matches):
        raise_to_critical(session, report_id, child_match_reason(child[0]), SCREENING_ACTOR)
    session.commit()
