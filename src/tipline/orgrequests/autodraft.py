"""Minutes matter: when a new report names an account that an analyst confirmed in another
report of its campaign, tipline drafts the freeze request to that account's bank at once, in
the transaction that stores the report. It waits at the top of the analysts' queue for one
click (`service.send_request`).

Campaign linking is on the hot path of every report: a batch that names no bank account costs
no query here, and one that does costs one (`repository.confirmed_campaign_accounts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.indicators.types import FoundIndicator
from tipline.orgrequests import core, repository
from tipline.orgrequests.models import OrgRequest, OrgRequestLine
from tipline.orgrequests.service import record_step

ACTOR = "tipline"


def names_an_account(indicators: Iterable[FoundIndicator]) -> bool:
    """Whether a report's indicators name a bank account (not the reporter's own): pure."""
    return any(i.kind == "bank_account" and not (i.allowlisted or i.own) for i in indicators)


def draft_for_new_reports(
    session: Session, reports: Sequence[tuple[int, Iterable[FoundIndicator]]]
) -> list[OrgRequest]:
    """Freeze drafts for new reports (id, their indicators) naming accounts of a confirmed
    campaign: one per report and bank, in the caller's transaction (it commits)."""
    candidates = [ident for ident, indicators in reports if names_an_account(indicators)]
    if not candidates:
        return []
    found = repository.confirmed_campaign_accounts(session, candidates)
    if not found:
        return []
    codes = sorted({c for _, _, v in found if (c := core.bank_code_of("bank_account", v))})
    banks = repository.bank_by_code(session, codes)
    grouped: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for report_id, indicator_id, value in found:
        bank = banks.get(core.bank_code_of("bank_account", value) or "")
        if bank is not None:
            grouped.setdefault((report_id, bank.id), []).append((indicator_id, value))
    return [_draft(session, r, b, accounts) for (r, b), accounts in grouped.items()]


def _draft(
    session: Session, report_id: int, organisation_id: int, accounts: list[tuple[int, str]]
) -> OrgRequest:
    loss, occurred = repository.report_facts(session, report_id)
    now = utc_now()
    request = OrgRequest(
        reference=f"draft-{report_id}-{organisation_id}", organisation_id=organisation_id,
        type=core.RequestType.FREEZE.value, status=core.RequestStatus.DRAFT.value,
        report_id=report_id, auto_drafted=True, created_by=ACTOR, created_at=now,
        details="",
    )  # fmt: skip
    repository.add(session, request)
    request.reference = core.reference_of(now.year, request.id)
    share = _share(loss, len(accounts))
    times = [occurred.isoformat()] if occurred is not None else []
    repository.add(session, *[
        OrgRequestLine(request_id=request.id, indicator_id=ident, kind="bank_account",
                       value=value, amount=share, transfer_times=times)
        for ident, value in accounts
    ])  # fmt: skip
    details = {"organisation_id": organisation_id, "lines": len(accounts), "auto": True}
    record_step(session, request, "drafted", ACTOR, details, now)
    return request


def _share(loss: Decimal | None, accounts: int) -> Decimal | None:
    """The victim's loss on the line when she paid one account; unknown per account otherwise."""
    return loss if accounts == 1 else None
