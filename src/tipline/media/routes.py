"""Hash banks and matching: the API under /api/v1/media (the admin pages: `media.pages`).

A platform's token (role `platform`), a partner agency's, and staff match hashes against the
banks they may use: `POST /api/v1/media/match` takes 1 to 1,000 hashes, never an image. Staff
create banks, add and remove hashes, grant who may match, and export where TLP allows. Which
bank a caller may use is decided in the repository's query: another's bank answers 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from tipline.access import STAFF_ROLES, Principal, Role, Staff, allow
from tipline.dependencies import DbSession
from tipline.errors import error_responses
from tipline.media import service, transfer
from tipline.media.pages import pages as pages
from tipline.media.schemas import (
    BankCreate,
    BankDetail,
    BankRead,
    GrantCreate,
    HashesAdd,
    HashesAdded,
    HashesRemove,
    HashesRemoved,
    HashPage,
    MatchRequest,
    MatchResponse,
)
from tipline.media.views import bank_detail, bank_read, hash_page, match_response
from tipline.ratelimits.dependencies import limited

router = APIRouter(prefix="/media", tags=["media"], responses=error_responses(401, 403, 422, 429))
Matcher = Annotated[Principal, Depends(allow(*STAFF_ROLES, Role.PLATFORM, Role.PARTNER))]
BankId = Annotated[int, Path(ge=1, le=2**62)]
NOT_FOUND = error_responses(404)
MEDIA_TYPES = {"hma": "text/plain", "threatexchange": "application/x-ndjson",
               "stix": "application/stix+json;version=2.1"}  # fmt: skip
SUFFIXES = {"hma": "txt", "threatexchange": "jsonl", "stix": "json"}


@router.post("/match", dependencies=[limited("matches")])
def match_api(principal: Matcher, session: DbSession, body: MatchRequest) -> MatchResponse:
    """Match 1 to 1,000 hashes (`{"pdq": …}`, `{"md5": …}`, `{"sha256": …}`) against the banks
    the caller may use: MD5 and SHA-256 exactly, PDQ within `max_distance` bits (31 by
    default). One result per hash, in order, each match naming its bank, hash and distance."""
    asked = [item.value() for item in body.hashes]
    found = service.match(session, principal, asked, body.max_distance)
    return match_response(asked, found)


LIMITED = [limited("public")]


@router.get("/banks", dependencies=LIMITED)
def list_banks_api(principal: Matcher, session: DbSession) -> list[BankRead]:
    """The banks the caller may match against, with their live hashes per signal type."""
    return [bank_read(summary) for summary in service.list_banks(session, principal)]


@router.post("/banks", status_code=201, responses=error_responses(404, 409))
def create_bank_api(principal: Staff, session: DbSession, data: BankCreate) -> BankDetail:
    """Create a bank (staff): its kind (`child` raises a matching report to critical), owner,
    provenance, TLP and retention."""
    bank = service.create_bank(
        session, principal, data.name, data.kind, data.owner, data.provenance, data.tlp,
        data.retention_days, data.owner_organisation,
    )  # fmt: skip
    return bank_detail(service.view_bank(session, principal, bank.id))


@router.get("/banks/{bank_id}", dependencies=LIMITED, responses=NOT_FOUND)
def bank_api(bank_id: BankId, principal: Matcher, session: DbSession) -> BankDetail:
    return bank_detail(service.view_bank(session, principal, bank_id))


@router.get("/banks/{bank_id}/hashes", responses=NOT_FOUND)
def bank_hashes_api(
    bank_id: BankId, principal: Staff, session: DbSession,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> HashPage:  # fmt: skip
    """A page of the bank's live hashes in the order they were added (staff)."""
    return hash_page(service.bank_hashes(session, principal, bank_id, after, limit), limit)


@router.post("/banks/{bank_id}/hashes", responses=NOT_FOUND)
def add_hashes_api(
    bank_id: BankId, principal: Staff, session: DbSession, data: HashesAdd
) -> HashesAdded:
    """Add up to 10,000 hashes (staff); one already live in the bank is skipped."""
    values = [item.value() for item in data.hashes]
    added = service.add_hashes(session, principal, bank_id, values, data.source)
    return HashesAdded(added=len(added.ids), skipped=added.skipped)


@router.post("/banks/{bank_id}/hashes/remove", responses=NOT_FOUND)
def remove_hashes_api(
    bank_id: BankId, principal: Staff, session: DbSession, data: HashesRemove
) -> HashesRemoved:
    """Remove hashes by id (staff): they never match again, and their values are erased."""
    return HashesRemoved(removed=service.remove_hashes(session, principal, bank_id, data.ids))


@router.post("/banks/{bank_id}/grants", responses=NOT_FOUND)
def grant_api(
    bank_id: BankId, principal: Staff, session: DbSession, data: GrantCreate
) -> BankDetail:
    """Let one organisation's or partner agency's users and tokens match against the bank."""
    service.grant(session, principal, bank_id, data.organisation, data.partner)
    return bank_detail(service.view_bank(session, principal, bank_id))


@router.get("/banks/{bank_id}/export", response_class=StreamingResponse, responses=NOT_FOUND)
def export_api(
    request: Request, bank_id: BankId, principal: Staff, session: DbSession,
    format: Annotated[str, Query(pattern="^(hma|threatexchange|stix)$")] = "hma",
    organisation: Annotated[str | None, Query(max_length=200)] = None,
    partner: Annotated[str | None, Query(max_length=200)] = None,
) -> StreamingResponse:  # fmt: skip
    """The bank's live hashes as an HMA signal file, ThreatExchange descriptors or a STIX 2.1
    bundle, for a recipient granted it; 403 where the bank's TLP or kind forbids it (a TLP:RED
    bank never; a child bank only for a granted recipient within its TLP)."""
    name = request.app.state.settings.sharing_identity_name
    pieces = transfer.export_bank(session, principal, bank_id, format, name, organisation, partner)
    filename = f"bank-{bank_id}.{SUFFIXES[format]}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(pieces, media_type=MEDIA_TYPES[format], headers=headers)
