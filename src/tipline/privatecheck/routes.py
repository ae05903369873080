"""`GET /api/v1/private-check` (how to ask) and `POST /api/v1/private-check` (a bucket and a
blinded value: the answer only the value's holder can read). Anyone may ask, within the
address's limit; a platform token within its own, higher one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from tipline.access import PUBLIC
from tipline.dependencies import ReadSession
from tipline.errors import ErrorBody, error_responses
from tipline.privatecheck.schemas import (
    PrivateCheckAnswer,
    PrivateCheckParameters,
    PrivateCheckRequest,
)
from tipline.privatecheck.service import answer, parameters
from tipline.ratelimits.dependencies import limited

router = APIRouter(prefix="/private-check", tags=["private check"])
CHECKED = [Depends(PUBLIC), limited("private_checks")]
RESPONSES = {
    **error_responses(422, 429),
    409: {"model": ErrorBody, "description": "No key yet (`not_ready`): the set was never built."},
}


@router.get("", dependencies=CHECKED, responses=RESPONSES)
def private_check_parameters(session: ReadSession) -> PrivateCheckParameters:
    """The suite (RFC 9497 OPRF, ristretto255-SHA512), the bucket's bits and the key's id."""
    return parameters(session)


@router.post("", response_model=PrivateCheckAnswer, dependencies=CHECKED, responses=RESPONSES)
async def private_check(
    body: PrivateCheckRequest, session: ReadSession, request: Request
) -> Response:
    """Was this value reported? Send its bucket and the value blinded, never the value: the
    answer is the element evaluated under tipline's key and the bucket's entries, which only
    the value's holder can match and open (docs/private-check.md)."""
    # Inline, as the public check runs: one indexed read and one scalar multiplication (~50 µs)
    # cost less than a thread hop; the answer is written once, not validated again.
    found = answer(session, request.app.state.settings, body.bucket, body.blinded)
    return Response(found.to_json(), media_type="application/json")
