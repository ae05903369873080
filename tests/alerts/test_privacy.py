"""No victim's data is ever in an alert: a victim's contact, her narrative, her name and her own
phone (named in her narrative as hers: `reporter_own`) are seeded in the campaign an alert is
drafted from, and none of them is on any public door the alert reaches: its page, the list, the
home page, the check's banner and API, the Atom feed and the JSON API, in both languages."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.alerts.factories import (
    ANALYST,
    OWN_CANONICAL,
    PRIVATE,
    SUPERVISOR,
    police_ring,
    published,
)
from tests.conftest import ReportMaker

from tipline.alerts import service
from tipline.alerts.schemas import AlertEdit, AlertValue
from tipline.indicators.models import IndicatorRecord, ReportIndicator

# Her own phone as people write it, besides the canonical form and her other data.
FORMS = (*PRIVATE, "0905 111 222", "905111222", "0905.111.222")


def leaks(text: str) -> list[str]:
    folded = text.casefold()
    compact = "".join(ch for ch in folded if ch.isalnum())
    return [p for p in FORMS if p.casefold() in folded or p.replace(" ", "") in compact]


def public_doors(client: TestClient, uid: str) -> dict[str, str]:
    doors = {}
    for lang in ("vi", "en"):
        for path in ("/", "/alerts", f"/alerts/{uid}", "/alerts.atom", "/check?value=0987654321"):
            answer = client.get(path, params={"lang": lang})
            assert answer.status_code == 200, path
            doors[f"{path} {lang}"] = answer.text
    for path in ("/api/v1/alerts", f"/api/v1/alerts/{uid}", "/api/v1/check?value=0987654321"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        doors[path] = answer.text
    return doors


def test_the_seeded_victim_data_is_real(db_session: Session, make_report: ReportMaker) -> None:
    """The seed holds what the test says: her own phone is stored, marked as hers."""
    police_ring(make_report, db_session)
    own = db_session.scalar(
        select(ReportIndicator.reporter_own)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .where(IndicatorRecord.value == OWN_CANONICAL)
    )
    assert own is True


def test_no_victim_data_on_any_public_door(
    client: TestClient, db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    alert = published(db_session, ring)
    assert str(alert.uid) in client.get("/alerts").text  # the doors do show the alert
    found = {door: leaks(text) for door, text in public_doors(client, str(alert.uid)).items()}
    assert {door: hits for door, hits in found.items() if hits} == {}


def test_an_update_keeps_her_data_out_too(
    client: TestClient, db_session: Session, make_report: ReportMaker
) -> None:
    """The campaign grows with a second victim's report; the alert is updated through a review
    with every value it may name: still none of the seeded data."""
    ring = police_ring(make_report, db_session)
    alert = published(db_session, ring)
    make_report(
        "Số của tôi 0905 111 222 bị làm phiền. Kẻ gian gọi từ 0987 654 321 đòi tiền.",
        contact="0905111222",
    )
    service.refresh_figures(db_session)
    values = service.candidates_of(db_session, ANALYST, alert)
    assert all(c.value != OWN_CANONICAL for c in values)
    edit = AlertEdit(
        texts=alert.texts,
        indicators=[AlertValue(kind=c.kind, value=c.value) for c in values],
    )
    service.edit_alert(db_session, ANALYST, alert.uid, edit)
    service.submit_alert(db_session, ANALYST, alert.uid)
    service.publish_alert(db_session, SUPERVISOR, alert.uid)
    found = {door: leaks(text) for door, text in public_doors(client, str(alert.uid)).items()}
    assert {door: hits for door, hits in found.items() if hits} == {}
