from __future__ import annotations

import pytest

from tipline.triage.cues import cues_of, default_lexicon
from tipline.vocabulary import CATEGORIES


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("bé 12 tuổi nhà tôi", 12),
        ("Con gái tôi, 14 tuổi, bị nhắn tin", 14),
        ("my 13yo son plays Roblox", 13),
        ("My daughter is 9.", 9),
        ("e 15t, bị bắt nạt", 15),
        ("My nephew (14) ran away", 14),
    ],
)
def test_stated_ages_of_minors(text: str, age: int) -> None:
    reading = cues_of(text)
    assert reading.youngest_age == age
    assert reading.minor is not None


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("con tôi học lớp 7", "lop 7"),
        ("con toi hoc lop 7", "lop 7"),
        ("a Grade 9 student", "grade 9"),
        ("my 7th-grade daughter", "7th-grade"),
    ],
)
def test_school_years_make_a_minor(text: str, evidence: str) -> None:
    assert cues_of(text).minor == evidence


@pytest.mark.parametrize(
    "text",
    [
        "người đàn ông 45 tuổi",
        "lớp học tiếng Anh",
        "I'm 35 and lost 20 million",
        "lớp 13",
        # A number in brackets is no age without words that say so (a script, a list item).
        "<script>alert(1)</script>",
        "trang web hiện alert(1) rồi đòi chuyển tiền",
        "chọn phương án (2) rồi bấm gửi",
    ],
)
def test_adults_and_other_numbers_are_not_minors(text: str) -> None:
    assert cues_of(text).minor is None


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("hắn dặn cháu đừng nói với bố mẹ", "grooming"),
        ("he told her not to tell anyone and to keep it secret", "grooming"),
        ("nó đòi cháu gửi ảnh", "photo_request"),
        ("tao sẽ giết cả nhà mày", "threat_to_life"),
        ("he said he would kill me", "threat_to_life"),
        ("em chỉ muốn chết cho xong", "risk_to_life"),
        ("I want to kill myself", "risk_to_life"),
        ("chuyển 10tr trong 24h không thì tao phát tán", "deadline"),
        ("chuyển 10tr trong 24h không thì tao phát tán", "publish_threat"),
        ("nó bảo chuyển ngay", "transfer_now"),
        ("bo toi dang o ngan hang de chuyen tien", "transfer_now"),
        ("ảnh nóng của tôi", "sexual"),
    ],
)
def test_urgency_signals(text: str, signal: str) -> None:
    assert cues_of(text).has(signal)


def test_category_terms_match_with_and_without_diacritics() -> None:
    accented = cues_of("Người tự xưng công an bảo chuyển vào tài khoản an toàn")
    plain = cues_of("nguoi tu xung cong an bao chuyen vao tai khoan an toan")
    assert accented.score("fraud.impersonation") == plain.score("fraud.impersonation") >= 5
    labels = [term.label for term in accented.category_terms["fraud.impersonation"]]
    assert labels[0] == "tài khoản an toàn"
    assert "công an" in labels


def test_prefix_terms_match_word_endings() -> None:
    reading = cues_of("She has been harassed and stalked for weeks")
    assert reading.score("harassment") >= 6


def test_lexicon_covers_every_category() -> None:
    lexicon = default_lexicon()
    groups = {term.group for terms in lexicon.exact.values() for term in terms}
    assert set(CATEGORIES) <= groups
    for signal in ("child", "sexual", "grooming", "threat_to_life", "risk_to_life", "deadline"):
        assert signal in lexicon.signal_names


@pytest.mark.parametrize(
    "text",
    [
        "Tôi có thể gửi thêm ảnh chụp màn hình nếu cần",  # "có thể" folds like "cơ thể"
        "bạn bè của em đều bị nhắn tin",  # "bè" folds like "bé"
        "It will be fine, I just want to be sure",
    ],
)
def test_folding_does_not_make_a_child_or_sexual_wording(text: str) -> None:
    reading = cues_of(text)
    assert not reading.has("sexual")
    assert reading.score("child_exploitation") == 0


def test_a_young_girl_is_still_a_child_term() -> None:
    assert cues_of("bé gái hàng xóm bị người lạ rủ đi chơi").score("child_exploitation") > 0


@pytest.mark.parametrize(
    ("text", "adult"),
    [
        ("một phụ huynh lớp con tôi nhắn tin gạ gẫm tôi, rủ tôi đi khách sạn", True),
        ("A dad from the team sends me flirty messages", True),
        ("A man asked my daughter (12) for photos", False),
        ("I'm a teacher; an adult asked my pupil for photos", False),
    ],
)
def test_adult_target_reads_an_approach_aimed_at_the_writer(text: str, adult: bool) -> None:
    assert cues_of(text).has("adult_target") is adult
