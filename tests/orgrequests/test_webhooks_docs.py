"""The receivers' snippet in docs/requests.md accepts what tipline signs and nothing else."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from tipline.db_types import utc_now
from tipline.orgrequests import webhooks

DOC = Path(__file__).resolve().parents[2] / "docs" / "requests.md"
SECRET = "whsec_0123456789abcdef"


def snippet() -> Any:
    [code] = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace["tipline_webhook_is_genuine"]


def test_the_documented_check_accepts_a_signed_webhook_and_refuses_the_rest() -> None:
    genuine = snippet()
    body = webhooks.body_of("request.sent", utc_now(), {"reference": "YC-2026-000001"})
    now = int(time.time())
    headers = webhooks.signed_headers(SECRET, 7, "request.sent", body, now)
    assert genuine(SECRET, headers, body.encode())
    assert not genuine("another secret", headers, body.encode())
    assert not genuine(SECRET, headers, body.encode() + b" ")
    old = webhooks.signed_headers(SECRET, 7, "request.sent", body, now - 3600)
    assert not genuine(SECRET, old, body.encode())
    assert not genuine(SECRET, {}, body.encode())
