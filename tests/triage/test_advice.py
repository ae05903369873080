from __future__ import annotations

from pathlib import Path

import pytest

from tipline.errors import InvalidInput
from tipline.settings import Settings
from tipline.triage import advice_for
from tipline.triage.advice import EITHER, advice_audience
from tipline.vocabulary import CATEGORIES


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_has_advice(category: str, language: str) -> None:
    advice = advice_for(category, language)
    assert (advice.category, advice.language) == (category, language)
    assert advice.title
    assert len(advice.steps) >= 2
    assert advice.evidence_to_keep
    assert advice.contacts
    lines = list(advice)
    assert lines[: len(advice.steps)] == list(advice.steps)
    # One thing a line: each thing to keep and each contact on its own, nothing joined by ";".
    assert len(lines) == len(advice.steps) + len(advice.evidence_to_keep) + len(advice.contacts)
    assert not [line for line in lines if "; " in line]
    sections = advice.sections()
    assert [s.name for s in sections] == ["steps", "evidence", "contacts"]
    assert sections[1].lines == advice.evidence_to_keep


@pytest.mark.parametrize("language", ["vi", "en"])
def test_child_exploitation_advice_is_careful(language: str) -> None:
    text = " ".join(advice_for("child_exploitation", language))
    assert "111" in text
    assert "113" in text
    never_forward = "chuyển tiếp" if language == "vi" else "forward"
    assert never_forward in text
    keep = "Không xóa" if language == "vi" else "Do not delete"
    assert keep in text


@pytest.mark.parametrize(("language", "words"), [("vi", "Không trả tiền"), ("en", "Do not pay")])
def test_sextortion_advice_says_do_not_pay(language: str, words: str) -> None:
    advice = advice_for("sextortion", language)
    assert advice.steps[0].startswith(words)
    assert any("111" in contact for contact in advice.contacts)


def test_fraud_advice_names_the_bank_hotline() -> None:
    for category in CATEGORIES:
        if category.startswith("fraud."):
            assert any("ngân hàng" in c for c in advice_for(category, "vi").contacts)


def test_a_language_without_advice_reads_english() -> None:
    assert advice_for("hacking", "th").language == "en"


def test_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        advice_for("spam", "vi")
    assert caught.value.field == "category"


def test_operator_overrides_a_field(settings: Settings) -> None:
    folder = settings.data_dir / "advice"
    folder.mkdir(parents=True)
    (folder / "vi.toml").write_text(
        '["fraud.shopping"]\ncontacts = ["Đường dây nóng của tỉnh: 0000"]\n', encoding="utf-8"
    )
    advice = advice_for("fraud.shopping", "vi")
    assert advice.contacts == ("Đường dây nóng của tỉnh: 0000",)
    assert advice.steps == advice_for("fraud.shopping", "vi").steps
    assert advice.steps[0].startswith("Dừng chuyển tiền")


def test_operator_adds_a_language(settings: Settings) -> None:
    folder: Path = settings.data_dir / "advice"
    folder.mkdir(parents=True)
    (folder / "th.toml").write_text(
        '["hacking"]\ntitle = "t"\nsteps = ["a", "b"]\nevidence_to_keep = ["c"]\n'
        'contacts = ["d"]\n',
        encoding="utf-8",
    )
    advice = advice_for("hacking", "th")
    assert (advice.language, advice.steps) == ("th", ("a", "b"))


def test_a_broken_operator_file_is_a_clear_error(settings: Settings) -> None:
    folder = settings.data_dir / "advice"
    folder.mkdir(parents=True)
    (folder / "en.toml").write_text("[oops\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cannot be read"):
        advice_for("other", "en")


@pytest.mark.parametrize(
    ("language", "ambulance"), [("vi", "115: cấp cứu"), ("en", "115: emergency")]
)
@pytest.mark.parametrize("category", CATEGORIES)
def test_a_risk_to_life_puts_crisis_help_first(
    category: str, language: str, ambulance: str
) -> None:
    usual = advice_for(category, language)
    crisis = advice_for(category, language, risk_to_life=True)
    assert "115" in crisis.steps[0]
    assert "113" in crisis.steps[0]
    assert crisis.steps[-len(usual.steps) :] == usual.steps
    assert crisis.contacts[0].startswith(ambulance)
    numbers = [contact.split(":")[0] for contact in crisis.contacts]
    assert len(numbers) == len(set(numbers))  # 113 and 111 once, even when the category names them
    assert crisis.evidence_to_keep == usual.evidence_to_keep


@pytest.mark.parametrize(
    ("language", "stay", "keep"),
    [
        ("vi", "Ở bên người đó", "Giữ lại tin nhắn"),
        ("en", "Stay with the person", "Keep the messages"),
    ],
)
def test_crisis_help_says_stay_and_keep_the_messages(language: str, stay: str, keep: str) -> None:
    text = " ".join(advice_for("harassment", language, risk_to_life=True).steps[:4])
    assert stay in text
    assert keep in text
    assert "111" in text


def test_paid_advice_calls_her_bank_first_with_its_hotline() -> None:
    from tipline.indicators.banks import bank_named
    from tipline.triage.advice import paid_advice

    vcb, mb, hdb = bank_named("VCB"), bank_named("MB"), bank_named("HDB")
    assert vcb is not None
    assert mb is not None
    assert hdb is not None
    section = paid_advice("en", vcb, [mb, hdb, vcb])
    assert section.urgent
    assert (
        section.lines[0]
        == "Call Vietcombank now on 1900 545 413 and ask them to freeze the transfer."
    )
    assert "1900 545 426" in section.lines[1]  # MB, the bank of the account she paid
    assert "HDBank" in section.lines[2]
    assert "None" not in section.lines[2]
    assert len(section.lines) == 4  # her own bank is not told twice; then keep the slip
    unknown = paid_advice("vi", None, [])
    assert unknown.lines[0].startswith("Gọi ngay tổng đài ngân hàng của bạn")


CHILD_WORDS = {
    "en": ("You did nothing wrong", "Do not pay", "do not send more", "block them", "Keep the "
           "messages", "111"),
    "vi": ("Em không làm gì sai", "Đừng chuyển tiền", "đừng gửi thêm", "chặn họ", "Giữ lại tin "
           "nhắn", "111"),
}  # fmt: skip


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("category", ["child_exploitation", "sextortion"])
def test_a_child_who_reports_reads_advice_written_to_her(category: str, language: str) -> None:
    advice = advice_for(category, language, audience="child")
    text = " ".join(advice)
    assert all(words in text for words in CHILD_WORDS[language]), text
    assert text != " ".join(advice_for(category, language))
    assert "takeitdown.ncmec.org" in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_teacher_and_a_parent_read_advice_for_them(language: str) -> None:
    teacher = " ".join(advice_for("child_exploitation", language, audience="teacher"))
    assert ("quy trình bảo vệ học sinh" if language == "vi" else "child protection procedure") in (
        teacher
    )
    parent = " ".join(advice_for("sextortion", language, audience="parent"))
    assert ("con không có lỗi" if language == "vi" else "not to blame") in parent
    # An audience without advice of its own reads the category's: the contacts stay.
    fallback = advice_for("harassment", language, audience="child")
    assert fallback.contacts == advice_for("harassment", language).contacts
    assert advice_for("fraud.loan", language, audience="teacher") == advice_for(
        "fraud.loan", language
    )


@pytest.mark.parametrize(
    ("reporter", "minor", "audience"),
    [
        ("child", False, "child"),
        ("child", True, "child"),
        ("victim", True, "child"),
        ("victim", False, None),
        ("parent", True, "parent"),
        ("teacher", False, "teacher"),
        ("other", True, None),
        (None, False, None),
    ],
)
def test_the_audience_follows_who_reports(
    reporter: str | None, minor: bool, audience: str | None
) -> None:
    assert advice_audience(reporter, minor) == audience


@pytest.mark.parametrize(
    ("reporter", "minor", "voice", "child_story", "audience"),
    [
        (None, True, "child", False, "child"),
        (None, False, "child", True, "child"),
        (None, True, "parent", False, "parent"),
        (None, False, "teacher", True, "teacher"),
        # Nobody said and the story does not show it: to her and to an adult, never adult-only.
        (None, True, None, False, EITHER),
        (None, False, None, True, EITHER),
        # Not about a child: the category's own advice, whatever the story's voice.
        (None, False, "child", False, None),
        # Who reported, when said, wins over the story.
        ("parent", True, "child", True, "parent"),
        ("other", True, "child", True, None),
    ],
)
def test_an_unstated_reporter_is_read_from_the_story(
    reporter: str | None, minor: bool, voice: str | None, child_story: bool, audience: str | None
) -> None:
    assert advice_audience(reporter, minor, voice, child_story) == audience


@pytest.mark.parametrize(
    ("language", "to_her"),
    [("en", "If this is happening to you"), ("vi", "Nếu chuyện này đang xảy ra với em")],
)
def test_advice_to_either_speaks_to_her_first(language: str, to_her: str) -> None:
    adult = advice_for("child_exploitation", language)
    either = advice_for("child_exploitation", language, audience=EITHER)
    assert either.steps[0].startswith(to_her)
    assert either.steps[1:] == adult.steps
