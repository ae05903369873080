"""An organisation's webhook: where its systems take tipline's webhooks and the secret they are
signed with, sealed at rest (tipline.sealing) and shown once, when it is made."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import InvalidInput
from tipline.orgrequests import webhooks
from tipline.partners.models import Organisation
from tipline.partners.service import find_organisation
from tipline.sealing import seal

SHORTEST_SECRET = 16


def new_secret() -> str:
    """A fresh webhook secret (256 random bits)."""
    return "whsec_" + secrets.token_urlsafe(32)


def set_webhook(
    session: Session, actor: str, name: str, url: str, secret: str, key: bytes
) -> Organisation:
    """Send the organisation's webhooks to `url`, signed with `secret` (kept sealed with `key`).
    The audit log names the receiving host, never the secret."""
    organisation = find_organisation(session, name)
    clean = url.strip()
    if (problem := webhooks.url_problem(clean)) is not None:
        raise InvalidInput(problem, field="url")
    if len(secret) < SHORTEST_SECRET:
        raise InvalidInput(
            f"a webhook secret has at least {SHORTEST_SECRET} characters", field="secret"
        )
    organisation.webhook_url = clean
    organisation.webhook_secret = seal(key, secret)
    details = {"host": urlsplit(clean).hostname or ""}
    record(session, actor, "organisation.webhook", "organisation", organisation.id, details)
    session.commit()
    return organisation


def remove_webhook(session: Session, actor: str, name: str) -> Organisation:
    """Send the organisation no more webhooks (those queued are given up when their turn comes)."""
    organisation = find_organisation(session, name)
    organisation.webhook_url = None
    organisation.webhook_secret = None
    record(session, actor, "organisation.webhook_off", "organisation", organisation.id, {})
    session.commit()
    return organisation
