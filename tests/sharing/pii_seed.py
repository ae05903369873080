"""A database seeded with victims' personal data next to confirmed scam indicators, for the
tests that prove none of it leaves (tests/sharing/test_no_personal_data.py): every sharing
surface (STIX bundles, TAXII responses, MISP events and feeds) is checked against `PERSONAL`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session
from tests.conftest import ReportMaker
from tests.sharing.stix_fixtures import confirm

# What identifies the victims: their names, their own phones, emails and accounts (as written
# and in canonical form), their contacts, ages, home towns and the words of their stories.
VICTIM_PHONE, VICTIM_EMAIL = "+84987654321", "hoa.nguyen.1957@gmail.com"
VICTIM_ACCOUNT = "VCB:9704366611"
NARRATIVES = (
    "Tôi là Nguyễn Thị Hoa, 67 tuổi, ở phường Láng Hạ. Người tự xưng công an gọi từ số "
    "0912 345 678 bảo tôi chuyển 300 triệu vào STK 0123456789 Vietcombank. Số của tôi là "
    "0987 654 321, email của tôi là hoa.nguyen.1957@gmail.com.",
    "Con gái tôi là Trần Minh Anh, 14 tuổi, bị dụ qua t.me/hotro_vcb và trang "
    "https://vcb-xacthuc.com/dang-nhap. Tài khoản của tôi 9704366611 Vietcombank đã bị trừ tiền.",
    "Phạm Văn Bình, 45 tuổi: họ gọi lại từ số 0912 345 678, đòi thêm 50 triệu.",
)
PERSONAL = (
    "Nguyễn Thị Hoa",
    "Trần Minh Anh",
    "Phạm Văn Bình",
    "Láng Hạ",
    "67 tuổi",
    "14 tuổi",
    "0987 654 321",
    VICTIM_PHONE,
    "987654321",
    VICTIM_EMAIL,
    "9704366611",
    "0243 826 1234",
    "binh.pham@yahoo.com",
    "Xóm 3, Đông Anh",
    "chuyển 300 triệu",
    "đòi thêm 50 triệu",
)
# Scam indicators that are shared (so a check that finds nothing is not vacuous).
SHARED = ("+84912345678", "VCB:0123456789", "telegram:hotro_vcb", "vcb-xacthuc.com")


@dataclass(frozen=True, slots=True)
class Seeded:
    """The seeded reports' tracking codes (which never leave either) and what must not."""

    codes: tuple[str, ...]
    personal: tuple[str, ...]

    def leaks(self, text: str) -> list[str]:
        """Every personal string (or tracking code) found in `text`."""
        return [s for s in (*self.personal, *self.codes) if s.lower() in text.lower()]


def seed_personal_data(session: Session, make_report: ReportMaker) -> Seeded:
    """Three victims' reports, with contacts, ages and places, whose indicators an analyst
    confirmed (the victims' own values marked as theirs)."""
    receipts = [
        make_report(
            NARRATIVES[0], contact="0243 826 1234", victim_age=67, province="Hà Nội",
            loss_amount=Decimal("300000000"), loss_currency="VND",
        ),
        make_report(NARRATIVES[1], contact=VICTIM_EMAIL, victim_age=14, reporter="parent"),
        make_report(
            NARRATIVES[2], contact="binh.pham@yahoo.com", victim_age=45,
            province="Xóm 3, Đông Anh", loss_amount=Decimal("50000000"), loss_currency="VND",
        ),
    ]  # fmt: skip
    for receipt in receipts:
        confirm(session, receipt.code, own=(VICTIM_PHONE, VICTIM_EMAIL, VICTIM_ACCOUNT))
    return Seeded(tuple(r.code for r in receipts), PERSONAL)
