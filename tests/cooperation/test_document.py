"""The request as a PDF: it parses, says what the request holds, and nothing of the victims."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.cases.service import create_case
from tipline.cooperation import document
from tipline.cooperation.core import LEGAL_BASES

VICTIM = "Trịnh Thị Mẫn"
VICTIM_PHONE = "0912 000 111"
NARRATIVE = (
    f"Tôi là {VICTIM}, bị lừa chuyển 40.000.000đ vào STK 0123456789 Vietcombank, kẻ gian gọi "
    "từ số 0987 654 321 và bảo tôi giữ bí mật với chồng."
)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_document_holds_the_request_and_no_victim_data(
    client_as: Any, db_session: Session, make_report: Any, lang: str
) -> None:
    receipt = make_report(NARRATIVE, contact=VICTIM_PHONE)
    case = create_case(db_session, staff("analyst:lan"), "Đường dây giả danh Vietcombank",
                       report_codes=[receipt.code])  # fmt: skip
    client = client_as("analyst")
    made = client.post(
        "/api/v1/cooperation",
        json={
            "direction": "outgoing", "type": "preservation",
            "requesting_authority": "Cục A05, Bộ Công an",
            "requested_authority": "Federal Bureau of Investigation",
            "legal_basis": LEGAL_BASES[0], "offences": "Lừa đảo chiếm đoạt tài sản",
            "data_requested": [{"kind": "account", "value": "VCB:0123456789"},
                               {"kind": "domain", "value": "vietcombank-xacthuc.com"}],
            "facts": "Một nhóm giả danh ngân hàng gọi điện cho người cao tuổi.",
            "case_id": case.id,
        },
    )  # fmt: skip
    assert made.status_code == 201, made.text
    ref = made.json()["reference"]
    answer = client.get(f"/api/v1/cooperation/{ref}/document", params={"lang": lang})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert f'filename="{ref}-{lang}.pdf"' in answer.headers["content-disposition"]
    text = text_of(answer.content)
    assert ref in text
    assert "art. 42" in text  # the legal basis
    assert "VCB:0123456789" in text
    assert "vietcombank-xacthuc.com" in text
    assert "người cao tuổi" in text  # the facts, Vietnamese letters and all
    assert "Đường dây giả danh Vietcombank" in text  # the case
    title = "Yêu cầu hợp tác quốc tế" if lang == "vi" else "Request for international cooperation"
    assert title in text
    for secret in (VICTIM, "0912", "chồng", "40.000.000", receipt.code):
        assert secret not in text
    audited = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_type == "cooperation_request")
    ).all()
    assert audited == ["cooperation.create", "cooperation.document"]


def test_a_missing_font_is_said_plainly(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setattr(document, "FONT", tmp_path / "DejaVuSans.ttf")
    with pytest.raises(document.FontMissing, match="fonts-dejavu-core"):
        document.pdf_fonts()


def test_the_page_link_downloads_it_and_a_wrong_language_is_refused(client_as: Any) -> None:
    client = client_as("analyst")
    body = {"direction": "incoming", "type": "contact_point", "requesting_authority": "NCA",
            "requested_authority": "A05"}  # fmt: skip
    ref = client.post("/api/v1/cooperation", json=body).json()["reference"]
    page = client.get(f"/cooperation/{ref}")
    assert f'href="/cooperation/{ref}/document?lang=en"' in page.text
    pdf = client.get(f"/cooperation/{ref}/document", params={"lang": "en"})
    assert pdf.content.startswith(b"%PDF-")
    assert "24/7" in text_of(pdf.content)
    assert client.get(f"/api/v1/cooperation/{ref}/document?lang=fr").status_code == 422
