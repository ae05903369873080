"""`triage()` with the model trained on the bundled corpus."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from tipline.indicators.allowlist import curated_allowlist
from tipline.triage import Triage, triage
from tipline.triage.engine import triage_with
from tipline.triage.model import TriageModel
from tipline.vocabulary import Category, Urgency

CURATED = curated_allowlist()  # the pure core takes the allowlist it extracts with

SPEC_EXAMPLE = (
    "Có người tự xưng công an gọi từ số 0912 345 678, nói tài khoản của tôi liên quan đến "
    "đường dây rửa tiền, bảo tôi chuyển ngay 50 triệu vào tài khoản an toàn."
)


def test_the_spec_example(triage_data_dir: Path) -> None:
    verdict = triage(SPEC_EXAMPLE)
    assert verdict.category is Category.IMPERSONATION
    assert verdict.urgency is Urgency.HIGH
    assert verdict.language == "vi"
    assert verdict.reasons[0].startswith("mentions ")
    assert "'tài khoản an toàn'" in verdict.reasons[0]
    assert verdict.reasons[0].endswith("and a transfer request")
    assert any(
        r.startswith("money being sent now") and "'chuyển ngay'" in r for r in verdict.reasons
    )
    assert "phone +84912345678" in verdict.reasons
    assert verdict.to_json("r1") == {
        "id": "r1",
        "category": "fraud.impersonation",
        "urgency": "high",
        "language": "vi",
        "reasons": verdict.reasons,
    }


def test_unaccented_teen_code_reads_the_same(model: TriageModel) -> None:
    verdict = triage_with(
        model, CURATED, "co ng tu xung cong an goi bao e ck ngay 50tr vao stk an toan"
    )
    assert verdict.category is Category.IMPERSONATION
    assert verdict.urgency is Urgency.HIGH


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "Tôi nạp 200 triệu vào sàn forex theo chuyên gia trong nhóm Zalo, giờ không rút được",
            "fraud.investment",
        ),
        (
            "Làm nhiệm vụ thả tim TikTok nhận hoa hồng, phải nạp tiền để mở khóa đơn",
            "fraud.job_task",
        ),
        ("Ransomware encrypted our file server this morning and is spreading", "hacking"),
        (
            "Đặt mua áo trên Facebook, đã chuyển khoản mà shop không giao hàng rồi chặn tôi",
            "fraud.shopping",
        ),
        ("App vay tiền bắt nộp phí giải ngân 2 triệu trước khi giải ngân khoản vay", "fraud.loan"),
    ],
)
def test_categories(model: TriageModel, text: str, category: str) -> None:
    assert triage_with(model, CURATED, text).category.value == category


def test_a_child_asked_for_photos_is_critical(model: TriageModel) -> None:
    verdict = triage_with(
        model, CURATED, "Một người lạ trên Zalo đòi con gái tôi (12 tuổi) gửi ảnh"
    )
    assert verdict.category is Category.CHILD_EXPLOITATION
    assert verdict.urgency is Urgency.CRITICAL


def test_stated_age_lifts_a_lost_game_account(model: TriageModel) -> None:
    text = "Tài khoản game của cháu bị mất sau khi đăng nhập vào trang nhận quà"
    assert triage_with(model, CURATED, text, victim_age=14).urgency.rank >= Urgency.HIGH.rank


def test_verdict_is_frozen(model: TriageModel) -> None:
    verdict = triage_with(model, CURATED, "tin nhắn lạ")
    assert isinstance(verdict, Triage)
    with pytest.raises(FrozenInstanceError):
        verdict.urgency = Urgency.LOW  # type: ignore[misc]


@pytest.mark.parametrize("text", ["\x00\x00", "\ufffd" * 50, "a" * 200_000, "🙂" * 1000, " "])
def test_hostile_text_gets_an_answer(model: TriageModel, text: str) -> None:
    verdict = triage_with(model, CURATED, text)
    assert verdict.category.value in {c.value for c in Category}
    assert verdict.language


def test_a_short_fake_police_arrest_threat_is_impersonation_not_sextortion() -> None:
    from tipline.triage import triage

    verdict = triage("Số 0987.654.321 gọi mẹ tôi, dọa bắt nếu không chuyển tiền ngay.")
    assert str(verdict.category) == "fraud.impersonation"
    assert str(verdict.urgency) == "high"


def test_a_batch_gets_the_verdicts_of_one_report_at_a_time(model: TriageModel) -> None:
    from tipline.triage.engine import TriageInput, triage_many_with
    from tipline.triage.training import load_corpus

    texts = [example.text for example in load_corpus()[::7]] + [SPEC_EXAMPLE, "", "<b>x</b>"]
    inputs = [
        TriageInput(text, victim_age=15 if i % 5 == 0 else None) for i, text in enumerate(texts)
    ]
    batch = triage_many_with(model, CURATED, inputs)
    alone = [triage_with(model, CURATED, item.text, victim_age=item.victim_age) for item in inputs]
    for together, single in zip(batch, alone, strict=True):
        assert (together.category, together.urgency) == (single.category, single.urgency)
        assert together.reasons == single.reasons
        # Scores are kept to 4 decimals: one report alone is summed in another order (a gather,
        # not a sparse product), so a score may round one unit of the last place apart.
        assert together.category_scores == pytest.approx(single.category_scores, abs=1.5e-4)


def test_a_stated_language_is_kept_and_an_absent_one_detected(model: TriageModel) -> None:
    from tipline.triage.engine import TriageInput, triage_many_with

    stated, detected = triage_many_with(
        model, CURATED, [TriageInput(SPEC_EXAMPLE, language="en"), TriageInput(SPEC_EXAMPLE)]
    )
    assert (stated.language, detected.language) == ("en", "vi")
    assert stated.reasons == detected.reasons


def test_the_allowlist_given_decides_which_indicators_are_allowlisted(model: TriageModel) -> None:
    from tipline.indicators.allowlist import Allowlist

    text = "Tôi vào trang vietcombank.com.vn rồi bị trừ 5 triệu"
    curated = triage_with(model, CURATED, text)
    empty = triage_with(model, Allowlist(), text)
    assert "domain vietcombank.com.vn (allowlisted)" in curated.reasons
    assert "domain vietcombank.com.vn" in empty.reasons


@pytest.mark.parametrize(
    ("text", "quoted", "not_quoted"),
    [
        ("nó có ảnh nóng của em, đòi 7 củ mới xóa, nếu ko nó gửi cho cả lớp", "'7 củ'", "'7 cu'"),
        ("Nó đòi 7 CỦ trong 24h nếu ko sẽ gửi clip cho bố mẹ e", "'trong 24h'", "24 gio"),
        ("e ko muốn sống nữa, mệt mỏi lắm rồi, tạm biệt mọi người", "'ko muốn sống'", "khong"),
        ("nó có anh nong cua em va doi tung anh", "'tung anh'", "'tung ảnh'"),
    ],
)
def test_reasons_quote_her_words_as_she_wrote_them(
    triage_data_dir: Path, text: str, quoted: str, not_quoted: str
) -> None:
    """Cues read the normalised text ("7 cu", "khong"); the reasons quote the report."""
    reasons = " | ".join(triage(text).reasons)
    assert quoted in reasons
    assert not_quoted not in reasons
    for words in re.findall(r"'([^']+)'", reasons):
        assert words in text, words
