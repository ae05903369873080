"""Triage's English reasons read back into the analyst's language."""

from __future__ import annotations

import pytest

from tipline.html.i18n import Translator
from tipline.triage import triage
from tipline.workspace.reasons import say_reason

VI = Translator("vi")


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("victim aged 14 (under 18)", "nạn nhân 14 tuổi (dưới 18 tuổi)"),
        ("threat to life: 'giết'", "Đe doạ tính mạng: 'giết'"),
        ("mentions 'công an', 'chuyển tiền' and a transfer request",
         "Nhắc đến 'công an', 'chuyển tiền' và yêu cầu chuyển tiền"),
        ("phone +84912345678", "Số điện thoại: +84912345678"),
        ("bank_account TCB:19034567890123", "Tài khoản ngân hàng: 19034567890123 (Techcombank)"),
        ("bank_account UNKNOWN:19034567890123", "Tài khoản ngân hàng: 19034567890123"),
        ("urgency normal by the learned model", "Mức Bình thường theo mô hình học máy"),
        ("a minor aged 14 and sexual wording: 'ảnh nóng'",
         "trẻ vị thành niên 14 tuổi và lời lẽ tình dục: 'ảnh nóng'"),
        ("intimate material 'ảnh nóng' and a demand: '7 cu', 'truoc sang mai'",
         "Hình ảnh riêng tư 'ảnh nóng' và yêu cầu: '7 cu', 'truoc sang mai'"),
        ("intimate material 'intimate' shared without a demand",
         "Hình ảnh riêng tư 'intimate' bị phát tán, không kèm yêu cầu"),
        ("image matches child abuse hash bank 'CSAM known' (pdq, distance 12)",
         "Ảnh đính kèm trùng kho mã băm xâm hại trẻ em “CSAM known” (pdq, cách 12 bit)"),
        ("something triage says one day", "something triage says one day"),
    ],
)  # fmt: skip
def test_known_reasons_are_said_in_vietnamese(reason: str, expected: str) -> None:
    assert say_reason(reason, VI) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Em 14 tuổi, bạn trên mạng đòi em gửi ảnh nóng, nếu không sẽ tung ảnh lên Facebook.",
        "Có người gọi xưng công an yêu cầu tôi chuyển 50 triệu vào tài khoản VCB 0123456789.",
        "He said he would kill me, call 0912345678.",
        "Tôi bị lừa mua hàng, mất 2 triệu.",
    ],
)
def test_every_reason_triage_gives_today_has_a_vietnamese_form(text: str) -> None:
    for reason in triage(text, victim_age=None).reasons:
        said = say_reason(reason, VI)
        assert said != reason, reason
