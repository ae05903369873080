"""`GET /api/v1/feeds/indicators`: an organisation's token pulls the indicator feed (the full
list, or the changes since a cursor) in JSON lines, CSV or STIX 2.1, streamed (docs/feeds.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from tipline.access import Principal, Role, allow
from tipline.dependencies import ReadSession
from tipline.errors import error_responses
from tipline.feeds.service import PullRequest, open_pull, stream
from tipline.ratelimits.dependencies import limited

router = APIRouter(prefix="/feeds", tags=["feeds"])
Organisation = Annotated[Principal, Depends(allow(Role.PLATFORM))]
CURSOR_HEADER = "X-Tipline-Cursor"
Words = Annotated[str | None, Query(max_length=500)]
FEED = {
    "description": "The entries, one a line (CSV, JSON lines) or a STIX bundle.",
    "headers": {CURSOR_HEADER: {"description": "The cursor to pull the next changes from."}},
    "content": {"application/x-ndjson": {}, "text/csv": {}, "application/stix+json": {}},
}


@router.get(
    "/indicators",
    dependencies=[limited("feeds")],
    response_class=StreamingResponse,
    responses={200: FEED, **error_responses(401, 403, 422, 429)},
)
def pull_indicators(
    principal: Organisation,
    session: ReadSession,
    request: Request,
    format: Literal["jsonl", "csv", "stix"] = "jsonl",
    kind: Words = None,
    category: Words = None,
    min_confidence: Annotated[int | None, Query(ge=0, le=100)] = None,
    since: Annotated[str | None, Query(max_length=200)] = None,
) -> StreamingResponse:
    """The indicators your organisation's agreement allows: all present now, or (`since` a
    cursor) every change after it, removals included; `kind` and `category` comma-separated."""
    asked = PullRequest(format, kind, category, min_confidence, since)
    pull = open_pull(session, principal, asked)
    app = request.app
    return StreamingResponse(
        stream(app.state.read_session_factory, app.state.settings, pull),
        media_type=pull.media_type,
        headers={CURSOR_HEADER: pull.cursor, "Cache-Control": "no-store"},
    )
