"""An image of evidence never appears in an analyst's page unless she asks: the reveal is a
custody entry and an audit entry under her name, and shows the image to her alone for a while."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.media.banks import bank_with

from tipline.audit.models import AuditEntry
from tipline.evidence.models import CustodyEntry
from tipline.media.core import HashValue, Signal


def photo() -> bytes:
    pixels = np.random.default_rng(5).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).resize((320, 240)).save(out, "PNG")
    return out.getvalue()


def csrf_of(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/cases/new").text)
    assert match is not None
    return match.group(1)


def uploaded(client: TestClient, report: int, content: bytes, name: str, kind: str) -> int:
    sent = client.post(
        f"/reports/{report}/evidence",
        data={"csrf_token": csrf_of(client)},
        files={"file": (name, content, kind)},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    (listed,) = client.get(f"/api/v1/reports/{report}/evidence").json()
    return int(listed["evidence_id"])


def test_an_image_is_shown_only_after_she_asks_and_the_asking_is_recorded(
    client_as: Any, new_report: Any, db_session: Session
) -> None:
    analyst, other = client_as("analyst", "lan"), client_as("supervisor", "mai")
    evidence = uploaded(analyst, new_report(), photo(), "anh.png", "image/png")
    page = analyst.get(f"/evidence/{evidence}").text
    assert "<img" not in page
    assert f'action="/evidence/{evidence}/reveal"' in page
    assert analyst.get(f"/evidence/{evidence}/preview").status_code == 403
    asked = analyst.post(
        f"/evidence/{evidence}/reveal",
        data={"csrf_token": csrf_of(analyst)},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/evidence/{evidence}#image"
    shown = analyst.get(f"/evidence/{evidence}").text
    assert f'<img class="evidence-revealed" src="/evidence/{evidence}/preview"' in shown
    image = analyst.get(f"/evidence/{evidence}/preview")
    assert image.status_code == 200
    assert image.content == photo()
    assert image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"] == "inline"
    assert image.headers["cache-control"] == "no-store"
    assert image.headers["x-content-type-options"] == "nosniff"
    # Her reveal is hers: the supervisor still sees no image.
    assert "<img" not in other.get(f"/evidence/{evidence}").text
    assert other.get(f"/evidence/{evidence}/preview").status_code == 403
    chain = db_session.scalars(
        select(CustodyEntry.actor).where(CustodyEntry.action == "revealed")
    ).all()
    assert chain == ["analyst:lan"]
    audited = db_session.scalars(
        select(AuditEntry.actor).where(AuditEntry.action == "evidence.revealed")
    ).all()
    assert audited == ["analyst:lan"]


def test_a_file_that_is_not_an_image_has_nothing_to_reveal(
    client_as: Any, new_report: Any, samples: dict[str, bytes]
) -> None:
    analyst = client_as("analyst")
    evidence = uploaded(analyst, new_report(), samples["PDF"], "don.pdf", "application/pdf")
    assert "/reveal" not in analyst.get(f"/evidence/{evidence}").text
    refused = analyst.post(f"/evidence/{evidence}/reveal", data={"csrf_token": csrf_of(analyst)})
    assert refused.status_code == 422
    assert analyst.get(f"/evidence/{evidence}/preview").status_code == 403


def test_the_page_says_which_banks_an_image_matched_without_showing_it(
    client_as: Any, new_report: Any, db_session: Session
) -> None:
    digest = hashlib.sha256(photo()).hexdigest()
    bank_with(db_session, "CSAM known", "child", [HashValue(Signal.SHA256, digest)])
    analyst = client_as("analyst")
    report = new_report()
    evidence = uploaded(analyst, report, photo(), "anh.png", "image/png")
    page = analyst.get(f"/evidence/{evidence}?lang=en").text
    assert "This image matches hash banks (distance in bits): CSAM known: 0" in page
    assert "<img" not in page
    detail = analyst.get(f"/api/v1/reports/{report}/view").json()
    assert detail["urgency"] == "critical"
    assert (
        "image matches child abuse hash bank 'CSAM known' (sha256, distance 0)"
        in (detail["triage_reasons"])
    )
