"""Risk to life: self-harm and farewell wording makes a report critical in any category, and
negations and idioms ("em không muốn chết", "mệt muốn chết", "dead tired") do not."""

from __future__ import annotations

import re

import pytest
from tests.triage.test_rules import _confident_model

from tipline.indicators.allowlist import curated_allowlist
from tipline.triage.cues import RISK_SIGNAL, cues_of, default_lexicon
from tipline.triage.engine import triage_with
from tipline.triage.lexicon_files import lexicon
from tipline.triage.normalise import normalise
from tipline.triage.risk import compile_risk, risk_evidence
from tipline.triage.rules import RISK_TO_LIFE, names_risk_to_life
from tipline.triage.training import load_corpus
from tipline.vocabulary import Urgency

CURATED = curated_allowlist()

AT_RISK = [
    # The examples.
    "chắc em không sống nổi nữa",
    "khong muon song nua",
    "em xin lỗi bố mẹ, con đi đây",
    "muốn biến mất khỏi đời này",
    "đây là lần cuối em nhắn",
    "I can't do this anymore, sorry mum",
    "she gave away her things and stopped answering",
    # The person herself, with and without diacritics, teen-code.
    "e ko thiết sống nữa",
    "t ko mún sống nữa, nhục lắm",
    "e chán sống lắm r",
    "em mua thuốc ngủ rồi",
    "con xin lỗi bố mẹ, kiếp sau con báo hiếu",
    "tha lỗi cho con, con đi đây",
    "Em khong chiu noi nua, xin loi ca nha",
    "I can’t go on like this",
    "this is my last message",
    "I don't want to live anymore",
    "I'm not coping and I just want to disappear",
    "honestly I don't see how to go on",
    # Someone she reports: a friend, a sister, a child, a colleague.
    "bạn em bảo nó muốn tự tử",
    "Chị tôi có ý định tự tử sau khi bị lừa",
    "tôi sợ nó làm điều dại dột",
    "nó nói chỉ muốn chết đi cho xong",
    "con tôi dọa nhảy cầu",
    "đồng nghiệp tôi nhắn 'sống làm gì nữa'",
    "My friend said she wants to die",
    "my sister keeps talking about ending her life",
    "my daughter cut herself last night",
    "He wrote a goodbye note and his phone is off",
    "She called us from a bridge saying she can't live with the shame",
    "chị đồng nghiệp bị lừa, hôm nay chị ấy nói 'chị mệt quá, chị muốn nghỉ ngơi mãi mãi'",
    "toi bi doi no, thay cuoc doi khong con y nghia gi nua",
    "em gái tôi đăng lên Facebook 'cuộc đời này chẳng còn gì đáng sống'",
    "nó bảo sẽ tự tử nếu bố mẹ biết",
    "tôi không chịu nổi nữa rồi, tôi sẽ ra đi",
    "my friend posted 'see you in another life' after the video leaked",
    "He said he's going to jump",
    "she texted 'I love you all, please don't be sad'",
    "my brother is in his room and says he has pills and a plan",
    "I'm going to end everything tonight",
]

NOT_AT_RISK = [
    # Negations.
    "em không muốn chết",
    "I'm not suicidal",
    "Tôi không có ý định tự tử, chỉ muốn lấy lại tiền",
    "he never thought about suicide, he just wants his money back",
    "She has no suicidal thoughts, the counsellor says",
    "I don't want to die, they threatened to kill me",
    # Idioms.
    "mệt muốn chết",
    "cười muốn chết đi được",
    "nóng muốn chết luôn",
    "đói muốn chết mà shop chưa giao",
    "chết đói mất",
    "I'm dead tired after work",
    "she's killing it at her new job",
    "I'm dying to know what happened",
    # Words that fold into the same letters as a cue, and ordinary uses of its words.
    "từ từ rồi tính, tôi sẽ từ từ trả nợ",
    "tư vấn giúp tôi với",
    "cửa hàng treo cờ",
    "tôi không sống ở Hà Nội",
    "tiền biến mất khỏi tài khoản",
    "kẻ lừa đảo đã tắt máy và không liên lạc được",
    "I said goodbye to the seller and he stopped answering",
    "tôi xin lỗi vì viết dài",
    "cứ từ từ rồi tính",
    "đi chậm từ từ thôi",
    "tôi ngủ mãi mà không hết mệt",
    "shop đó biến mất vĩnh viễn",
    "cuộc sống ở Hà Nội đắt đỏ, lương không đủ sống",
    "School counsellor: she reports anxiety; no self-harm",
]


@pytest.mark.parametrize("text", AT_RISK)
def test_self_harm_and_farewell_wording_is_read(text: str) -> None:
    assert cues_of(text).has(RISK_SIGNAL), text


@pytest.mark.parametrize("text", NOT_AT_RISK)
def test_negations_idioms_and_lookalikes_are_not(text: str) -> None:
    reading = cues_of(text)
    assert not reading.has(RISK_SIGNAL), reading.labels(RISK_SIGNAL)


def test_one_weak_cue_alone_is_not_enough() -> None:
    assert not cues_of("con đi đây").has(RISK_SIGNAL)
    assert not cues_of("I can't take it anymore").has(RISK_SIGNAL)
    assert cues_of("I can't take it anymore. Goodbye everyone").has(RISK_SIGNAL)


def test_a_negation_in_another_clause_does_not_cancel() -> None:
    assert cues_of("em không biết nói với ai, em muốn chết").has(RISK_SIGNAL)
    assert cues_of("em không ngủ được và chỉ muốn chết").has(RISK_SIGNAL)


@pytest.mark.parametrize(
    ("category", "text"),
    [
        ("sextortion", "nó đòi 10tr, em không biết làm sao, chắc em không sống nổi nữa"),
        ("harassment", "họ chửi em cả tuần, đây là lần cuối em nhắn"),
        ("fraud.investment", "Mất hết tiền của bố mẹ. I can't do this anymore, sorry mum"),
        ("other", "my colleague gave away her things and stopped answering"),
    ],
)
def test_critical_in_any_category_with_the_reason(category: str, text: str) -> None:
    verdict = triage_with(_confident_model(category, "low"), CURATED, text)
    assert verdict.urgency is Urgency.CRITICAL
    assert verdict.category.value == category
    assert verdict.reasons[1].startswith(f"{RISK_TO_LIFE}: '")
    assert names_risk_to_life(verdict.reasons)


def test_the_risk_reason_comes_first_among_critical_floors() -> None:
    text = "Con gái tôi 13 tuổi bị ép gửi ảnh nhạy cảm, giờ cháu nói muốn chết"
    verdict = triage_with(_confident_model("child_exploitation", "low"), CURATED, text)
    assert names_risk_to_life(verdict.reasons)


def test_an_idiom_leaves_the_model_s_urgency() -> None:
    verdict = triage_with(_confident_model("fraud.shopping", "normal"), CURATED, "mệt muốn chết")
    assert verdict.urgency is Urgency.NORMAL
    assert not names_risk_to_life(verdict.reasons)


def test_a_risk_to_life_leads_its_urgency_in_the_queue() -> None:
    text = "Chồng cũ đăng ảnh của tôi lên nhóm họ hàng, tôi không thiết sống nữa"
    verdict = triage_with(_confident_model("harassment", "low"), CURATED, text)
    assert verdict.at_risk
    calm = triage_with(_confident_model("harassment", "low"), CURATED, "mệt muốn chết")
    assert not calm.at_risk


def test_the_word_prefilter_never_changes_what_is_read() -> None:
    """Each pattern is tried only when the text holds the words every match of it holds (read
    from the pattern's parse): on every corpus report and every phrase here, the same evidence
    as when every pattern is searched through every text."""
    risk = default_lexicon().risk
    assert risk is not None
    plain = compile_risk(lexicon("risk_to_life"), prefilter=False)
    assert plain.index is None
    assert risk.index is not None
    assert len(risk.index.always) < len(risk.strong) * 0.1
    assert sum(1 for item in risk.strong if item.anchors) > len(risk.strong) * 0.9
    texts = [e.text for e in load_corpus()] + AT_RISK + NOT_AT_RISK + ["she is suicidal again"]
    for text in texts:
        normalised = normalise(text)
        assert risk_evidence(normalised, risk) == risk_evidence(normalised, plain), text


def test_no_risk_pattern_starts_with_an_optional_word() -> None:
    """A pattern that starts with an optional word ("(?:di )?that xa") is tried at every
    character of every text it is searched in; the lexicon writes the choice out instead."""
    table = lexicon("risk_to_life")
    every = [*table["strong"]["patterns"], *table["idioms"]]
    every += [pattern for patterns in table["weak"].values() for pattern in patterns]
    optional_first = re.compile(r"^(?:\\b)?\(\?:[^()]*\)[?*]")
    assert [pattern for pattern in every if optional_first.match(pattern)] == []
    assert optional_first.match(r"\b(?:di )?that xa\b")
