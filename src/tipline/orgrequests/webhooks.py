"""Webhooks to organisations, the pure part: what is sent, how it is signed, when it is tried
again and when tipline gives up.

A webhook is a POST of a JSON body with four headers:

    X-Tipline-Event: request.sent
    X-Tipline-Delivery: 42                 (the same on every retry: receivers drop repeats)
    X-Tipline-Timestamp: 1796630400        (Unix seconds, when this attempt was signed)
    X-Tipline-Signature: sha256=<hex>      (HMAC-SHA256 of `timestamp + "." + body`)

The receiver recomputes the HMAC with the organisation's secret over the timestamp and the raw
body, compares in constant time, and refuses a timestamp too far from its clock (a replay).
A failed attempt (not 2xx, a timeout, a refused connection) is tried again after a delay that
doubles each time, with jitter so that many deliveries failing together do not retry together;
after `MAX_ATTEMPTS` tipline gives up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

EVENT_HEADER = "X-Tipline-Event"
DELIVERY_HEADER = "X-Tipline-Delivery"
TIMESTAMP_HEADER = "X-Tipline-Timestamp"
SIGNATURE_HEADER = "X-Tipline-Signature"
SIGNATURE_PREFIX = "sha256="

# What tipline tells an organisation's systems about its requests.
EVENTS: tuple[str, ...] = (
    "request.sent",
    "request.reminder",
    "request.cancelled",
    "request.updated",
    "webhook.test",
)
MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=6)
# http:// is let through to this machine only (a receiver under test); the rest is https://.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# How far a receiver should let a timestamp be from its own clock.
TOLERANCE_SECONDS = 300


def body_of(event: str, created_at: datetime, payload: Mapping[str, Any]) -> str:
    """The JSON body of a webhook, compact and with sorted keys (the bytes that are signed)."""
    document = {"event": event, "created_at": created_at.isoformat(), "data": dict(payload)}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signature(secret: str, timestamp: int, body: str) -> str:
    """`sha256=<hex>`: HMAC-SHA256 under `secret` of `timestamp + "." + body`."""
    message = f"{timestamp}.{body}".encode()
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, delivery_id: int, event: str, body: str, timestamp: int
) -> dict[str, str]:
    """The headers of one attempt, signed at `timestamp` (Unix seconds)."""
    return {
        "Content-Type": "application/json",
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(
    secret: str,
    timestamp: str,
    signed: str,
    body: str,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver checks: the signature is ours over this timestamp and body, and the
    timestamp is within `tolerance` seconds of its clock."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), signed)


def retry_delay(attempts: int, jitter: float) -> timedelta:
    """The wait after the `attempts`-th failed attempt: FIRST_DELAY doubled each time (at most
    LONGEST_DELAY), of which a random half (`jitter` in [0, 1)) is kept. The waits never
    shrink: the n-th lies in [d/2, d], the next in [d, 2d]."""
    full = min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)
    return full / 2 + full / 2 * min(max(jitter, 0.0), 1.0)


def next_attempt_at(
    attempts: int, now: datetime, jitter: float, max_attempts: int = MAX_ATTEMPTS
) -> datetime | None:
    """When to try again after `attempts` failed attempts, or None: give up."""
    if attempts >= max_attempts:
        return None
    return now + retry_delay(attempts, jitter)


def succeeded(status: int) -> bool:
    """Whether the receiver took the webhook: any 2xx."""
    return 200 <= status < 300


def url_problem(url: str) -> str | None:
    """Why a webhook URL is refused, or None: it is https://, or http:// to this machine."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "a webhook URL is a URL: https://…"
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and host in LOOPBACK_HOSTS:
        return None
    return "a webhook URL is https:// (http:// only to this machine, for a test)"
