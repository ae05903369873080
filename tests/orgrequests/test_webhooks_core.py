"""The pure rules of webhooks: the body, the signature a receiver checks, the backoff and the
give-up rule."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from tipline.orgrequests import webhooks

AT = datetime(2026, 12, 7, 8, tzinfo=UTC)
SECRET = "whsec-test"


def test_the_body_is_compact_sorted_json_with_the_event_and_its_data() -> None:
    body = webhooks.body_of("request.sent", AT, {"reference": "YC-2026-000001", "type": "freeze"})
    assert body == (
        '{"created_at":"2026-12-07T08:00:00+00:00","data":{"reference":"YC-2026-000001",'
        '"type":"freeze"},"event":"request.sent"}'
    )
    assert json.loads(body)["data"]["type"] == "freeze"


def test_the_signature_is_hmac_sha256_over_the_timestamp_a_dot_and_the_body() -> None:
    body = '{"a":1}'
    expected = hmac.new(b"whsec-test", b'1796630400.{"a":1}', hashlib.sha256).hexdigest()
    assert webhooks.signature(SECRET, 1796630400, body) == f"sha256={expected}"
    headers = webhooks.signed_headers(SECRET, 42, "request.sent", body, 1796630400)
    assert headers == {
        "Content-Type": "application/json",
        "X-Tipline-Event": "request.sent",
        "X-Tipline-Delivery": "42",
        "X-Tipline-Timestamp": "1796630400",
        "X-Tipline-Signature": f"sha256={expected}",
    }


def test_a_receiver_refuses_another_secret_another_body_and_an_old_timestamp() -> None:
    body, now = '{"a":1}', 1796630400
    signed = webhooks.signature(SECRET, now, body)
    assert webhooks.verify(SECRET, str(now), signed, body, now + 10)
    assert not webhooks.verify("other", str(now), signed, body, now)
    assert not webhooks.verify(SECRET, str(now), signed, '{"a":2}', now)
    assert not webhooks.verify(SECRET, str(now + 1), signed, body, now)
    assert not webhooks.verify(SECRET, str(now), signed, body, now + 301)
    assert not webhooks.verify(SECRET, "x", signed, body, now)


@pytest.mark.parametrize("jitter", [0.0, 0.37, 0.999])
def test_the_delays_grow_and_stay_within_their_bounds(jitter: float) -> None:
    delays = [webhooks.retry_delay(n, jitter) for n in range(1, 12)]
    assert delays == sorted(delays)
    assert timedelta(seconds=15) <= delays[0] <= timedelta(seconds=30)
    assert timedelta(seconds=30) <= delays[1] <= timedelta(seconds=60)
    assert delays[-1] <= webhooks.LONGEST_DELAY


def test_jitter_spreads_the_retries() -> None:
    assert webhooks.retry_delay(3, 0.0) == timedelta(seconds=60)
    assert webhooks.retry_delay(3, 0.5) == timedelta(seconds=90)
    assert webhooks.retry_delay(3, 1.0) == timedelta(seconds=120)


def test_tipline_gives_up_after_the_last_attempt() -> None:
    assert webhooks.next_attempt_at(1, AT, 1.0) == AT + timedelta(seconds=30)
    assert webhooks.next_attempt_at(webhooks.MAX_ATTEMPTS - 1, AT, 0.0) is not None
    assert webhooks.next_attempt_at(webhooks.MAX_ATTEMPTS, AT, 0.0) is None
    assert webhooks.next_attempt_at(3, AT, 0.0, max_attempts=3) is None


def test_only_2xx_is_a_success() -> None:
    assert [webhooks.succeeded(s) for s in (200, 204, 299, 301, 404, 500)] == [
        True, True, True, False, False, False,
    ]  # fmt: skip
