"""A campaign to warn about, with a victim's data that must never reach an alert."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.principals import staff

from tipline.alerts.models import Alert
from tipline.alerts.service import draft_alert, publish_alert, submit_alert
from tipline.campaigns import repository as campaigns
from tipline.reports.models import Report

SCAMMER = "0987 654 321"
SCAMMER_CANONICAL = "+84987654321"
ACCOUNT = "9988776655"
# A victim's data: her contact, her own phone (named in her narrative as hers), a line of her
# narrative and her name.
CONTACT = "nguyen.thi.hoa.1990@gmail.com"
OWN_PHONE = "0905 111 222"
OWN_CANONICAL = "+84905111222"
NAME = "Nguyễn Thị Hoa"
NARRATIVE_LINE = "bảo tôi chuyển 15.000.000đ để xác minh hồ sơ vụ án ma túy"
PRIVATE = (CONTACT, OWN_CANONICAL, "0905111222", NAME, NARRATIVE_LINE)

ANALYST = staff("analyst:lan", 2)
SUPERVISOR = staff("supervisor:minh", 3)


@dataclass(frozen=True)
class Ring:
    campaign_uid: UUID
    codes: list[str]


def police_ring(make_report: ReportMaker, session: Session, size: int = 3) -> Ring:
    """`size` reports of fake police calls from one number; the first is the victim's above."""
    codes = [
        make_report(
            f"Tôi là {NAME}, số của tôi là {OWN_PHONE}. Người gọi từ số {SCAMMER} tự xưng công "
            f"an, {NARRATIVE_LINE}, vào STK {ACCOUNT} Vietcombank.",
            contact=CONTACT,
        ).code
    ]
    for k in range(size - 1):
        codes.append(
            make_report(
                f"Số {SCAMMER} gọi tôi, tự xưng công an, đòi chuyển tiền vào STK {ACCOUNT} "
                f"Vietcombank để xác minh (lần {k})."
            ).code
        )
    report_id = session.scalar(select(Report.id).where(Report.code == codes[0]))
    assert report_id is not None
    label = campaigns.campaign_of(session, report_id)
    assert label is not None
    return Ring(campaigns.uids_of(session, [label])[label], codes)


def published(session: Session, ring: Ring) -> Alert:
    """An alert of the ring drafted by an analyst and published by a supervisor."""
    alert = draft_alert(session, ANALYST, ring.campaign_uid)
    submit_alert(session, ANALYST, alert.uid)
    return publish_alert(session, SUPERVISOR, alert.uid)
