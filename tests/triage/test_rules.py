"""The safety rule: the cue layer's urgency for a child or a threat to life is a floor."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from tipline.indicators.allowlist import curated_allowlist
from tipline.indicators.folding import fold
from tipline.triage.cues import cues_of, default_lexicon
from tipline.triage.engine import triage_with
from tipline.triage.features import cue_feature_names
from tipline.triage.model import LinearHead, TriageModel
from tipline.triage.rules import cue_floors, decide_urgency
from tipline.vocabulary import CATEGORIES, URGENCIES, Category, Urgency

CURATED = curated_allowlist()  # the pure core takes the allowlist it extracts with

LOW = {"low": 5.0, "normal": 0.0, "high": -1.0, "critical": -5.0}


def _confident_model(category: str, urgency: str) -> TriageModel:
    """A stand-in model that answers `category` and `urgency` whatever it reads."""
    width = len(cue_feature_names(default_lexicon()))

    def head(labels: tuple[str, ...], winner: str) -> LinearHead:
        bias = np.array([10.0 if label == winner else -10.0 for label in labels], np.float32)
        zeros = np.zeros((width, len(labels)), np.float32)
        return LinearHead(labels, np.zeros((0, len(labels)), np.float32), zeros, bias)

    return TriageModel(
        vocabulary={},
        idf=np.zeros(0),
        cue_names=cue_feature_names(default_lexicon()),
        cue_scale=1.0,
        category=head(CATEGORIES, category),
        urgency=head(URGENCIES, urgency),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Con gái tôi 12 tuổi bị một người lạ trên mạng đòi gửi ảnh",
        "my 12 year old daughter is being asked for photos by an adult on Roblox",
        "con toi hoc lop 6, co nguoi la bao chau dung noi voi bo me va hen gap",
        "Nó nói sẽ giết cả nhà tôi nếu không trả tiền",
        "e không muốn sống nữa, e muốn tự tử",
    ],
)
def test_critical_whatever_the_model_says(text: str) -> None:
    verdict = triage_with(_confident_model("other", "low"), CURATED, text)
    assert verdict.urgency is Urgency.CRITICAL


def test_a_child_asked_for_photos_is_filed_as_child_exploitation() -> None:
    model = _confident_model("harassment", "low")
    verdict = triage_with(
        model, CURATED, "A stranger asked my 12-year-old daughter for nude photos"
    )
    assert verdict.category is Category.CHILD_EXPLOITATION
    assert verdict.urgency is Urgency.CRITICAL
    assert any("aged 12" in reason for reason in verdict.reasons)


@pytest.mark.parametrize("age", [0, 9, 15, 17])
def test_stated_victim_age_under_18_lifts_to_high(age: int) -> None:
    cues = cues_of("tài khoản game bị mất")
    urgency, reasons = decide_urgency(Category.PHISHING, LOW, cues, victim_age=age)
    assert urgency is Urgency.HIGH
    assert reasons == [f"victim aged {age} (under 18)"]


def test_an_adult_victim_keeps_the_model_urgency() -> None:
    cues = cues_of("tài khoản game bị mất")
    urgency, _ = decide_urgency(Category.PHISHING, LOW, cues, victim_age=18)
    assert urgency is Urgency.LOW


def test_a_reported_loss_is_not_low() -> None:
    cues = cues_of("tôi bị lừa")
    urgency, _ = decide_urgency(Category.SHOPPING, LOW, cues, None, Decimal("500000"))
    assert urgency is Urgency.NORMAL


def test_sextortion_with_a_deadline_is_critical() -> None:
    cues = cues_of("nó đòi 10tr trong 24h, không thì phát tán clip")
    urgency, reasons = decide_urgency(Category.SEXTORTION, LOW, cues, None)
    assert urgency is Urgency.CRITICAL
    assert reasons[0].startswith("sextortion under way")


def test_floors_never_lower_the_model() -> None:
    cues = cues_of("một tin nhắn lạ")
    critical = {"low": -5.0, "normal": -1.0, "high": 0.0, "critical": 5.0}
    urgency, reasons = decide_urgency(Category.OTHER, critical, cues, None)
    assert urgency is Urgency.CRITICAL
    assert reasons == ["urgency critical by the learned model"]


def test_cue_floors_name_their_evidence() -> None:
    cues = cues_of("bé 10 tuổi bị người lạ rủ gặp mặt, dặn đừng nói với bố mẹ")
    floors = cue_floors(Category.OTHER, cues, None)
    assert floors[0].urgency is Urgency.CRITICAL
    assert "aged 10" in floors[0].reason
    assert "grooming" in floors[0].reason


# Slang sextortion (issue 12): generated stories, every wording of each part, read by rules
# alone (the stand-in model says harassment or other, normal or low).

_VI_STORIES = [
    "Em bị {who} giữ {material}, nó đòi {amount} {deadline}, không thì {threat}.",
    "Bạn em bị {who} quay lại {material}, giờ đòi {amount}, {deadline} mà không chuyển"
    " thì {threat}.",
    "{who} có {material} của chị, dọa {threat} nếu không chuyển {amount} {deadline}.",
]
_EN_STORIES = [
    "{who} has {material} of me and wants {amount} {deadline} or he will {threat}.",
    "My sister's {who} is blackmailing her with {material}: {amount} {deadline},"
    " or he'll {threat}.",
]
_VI_PARTS = {
    "who": ["người yêu cũ", "một acc lạ trên Zalo", "thằng quen qua mạng"],
    "material": ["ảnh nóng", "clip riêng tư", "video nhạy cảm"],
    "amount": ["7 củ", "30 chai", "5 lít", "3tr", "500k", "1tr5", "năm trăm nghìn"],
    "deadline": ["trước sáng mai", "tối nay", "hạn 12h trưa", "trong 24h", "trước 8h"],
    "threat": ["gửi cho bố mẹ mày", "tung lên group lớp", "gửi cho sếp", "gửi cho cả danh bạ"],
}
_EN_PARTS = {
    "who": ["my ex", "a stranger on Instagram", "boyfriend"],
    "material": ["nudes", "a private video", "intimate photos"],
    "amount": ["$500", "200 đô", "0.5 btc", "2 triệu", "3tr", "a grand"],
    "deadline": ["by tonight", "in 2 hours", "by end of day", "within 24 hours", "before 8pm"],
    "threat": [
        "send them to your whole friend list", "share it with my boss",
        "post it on my school's page",
    ],
}  # fmt: skip


def _teen_code(text: str) -> str:
    for word, code in (("không", "ko"), ("chuyển khoản", "ck"), ("Em ", "E "), ("được", "dc")):
        text = text.replace(word, code)
    return text


def _stories(templates: list[str], parts: dict[str, list[str]], vietnamese: bool) -> list[str]:
    """Each template with each wording of each part in turn (the others at their first)."""
    stories: set[str] = set()
    for template in templates:
        for part, wordings in parts.items():
            for wording in wordings:
                chosen = {name: values[0] for name, values in parts.items()} | {part: wording}
                story = template.format(**chosen)
                stories.add(story)
                if vietnamese:
                    stories.update({fold(story), _teen_code(story)})
    return sorted(stories)


SLANG_SEXTORTION = _stories(_VI_STORIES, _VI_PARTS, True) + _stories(_EN_STORIES, _EN_PARTS, False)


@pytest.mark.parametrize("text", SLANG_SEXTORTION)
def test_slang_sextortion_is_critical_sextortion_by_the_rules(text: str) -> None:
    verdict = triage_with(_confident_model("harassment", "normal"), CURATED, text)
    assert verdict.category is Category.SEXTORTION, verdict.reasons
    assert verdict.urgency is Urgency.CRITICAL, verdict.reasons
    assert any(r.startswith("sextortion under way") for r in verdict.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "nó có ảnh nóng của em, đòi 7 củ mới xóa",  # an amount, no deadline, no audience
        # a condition and an audience
        "no co clip rieng tu cua e, bao toi nay ko gap thi no gui cho bme",
        "Someone has my nudes and says my parents get them by tonight unless I pay",
        "thằng đó đang tống tiền em bằng clip, hạn 24h",
    ],
)
def test_short_demands_are_critical_whatever_the_model_says(text: str) -> None:
    verdict = triage_with(_confident_model("other", "low"), CURATED, text)
    assert verdict.urgency is Urgency.CRITICAL, verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "ny cũ tung ảnh nóng của em lên mạng",
        "ny cu tung anh nong cua e len mang",
        "ex đăng ảnh nhạy cảm của tôi lên facebook, k đòi tiền j cả",
        "my ex posted my intimate photos in a telegram group",
        "someone shared my nude pictures with my coworkers, no demand was made",
        "Người yêu cũ đăng clip riêng tư của tôi lên nhóm lớp đại học, chỉ để trả thù",
    ],
)
def test_intimate_images_shared_without_a_demand_are_harassment(text: str) -> None:
    verdict = triage_with(_confident_model("sextortion", "normal"), CURATED, text)
    assert verdict.category is Category.HARASSMENT, verdict.reasons
    assert verdict.urgency is Urgency.NORMAL


@pytest.mark.parametrize(
    "text",
    [
        "Năm ngoái em bị một acc tống tiền bằng clip nóng, đòi 7 củ, em đã trả,"
        " giờ không còn liên lạc",
        "Last year my ex threatened to send my nudes to my parents unless I paid $500. "
        "I paid, no contact since.",
    ],
)
def test_an_episode_that_is_over_is_not_under_way(text: str) -> None:
    verdict = triage_with(_confident_model("sextortion", "normal"), CURATED, text)
    assert verdict.category is Category.SEXTORTION
    assert verdict.urgency is Urgency.NORMAL, verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "ny cũ tung ảnh nóng của em lên mạng, không đòi gì",
        "my ex posted my intimate photos in a telegram group",
    ],
)
def test_images_shared_without_a_demand_are_not_critical_by_the_model(text: str) -> None:
    verdict = triage_with(_confident_model("harassment", "critical"), CURATED, text)
    assert verdict.category is Category.HARASSMENT
    assert verdict.urgency is not Urgency.CRITICAL, verdict.reasons


def test_images_shared_without_a_demand_and_self_harm_stay_critical() -> None:
    text = "ny cũ tung ảnh nóng của em lên mạng, không đòi gì, em muốn chết"
    verdict = triage_with(_confident_model("harassment", "critical"), CURATED, text)
    assert verdict.urgency is Urgency.CRITICAL


# Issue 12: a child's setting is not a child victim; a child victim is never lost.
ADULT_IN_CHILD_SETTING = [
    "toi la co giao chu nhiem lop 8, mot phu huynh nam nhan tin gan gui, khen toi xinh, "
    "ru toi di khach san",
    "A dad from my son's under-9 football team keeps sending me flirty messages and asked me "
    "to meet him at a hotel near the kids' training ground",
    "Em là sinh viên đi gia sư cho bé lớp 4, bố bé gửi ảnh nhạy cảm của ổng cho em",
]


@pytest.mark.parametrize("text", ADULT_IN_CHILD_SETTING)
def test_an_adult_harmed_in_a_child_setting_keeps_the_model_verdict(text: str) -> None:
    verdict = triage_with(_confident_model("harassment", "normal"), CURATED, text)
    assert verdict.category is Category.HARASSMENT
    assert verdict.urgency is Urgency.NORMAL
    assert any(reason.startswith("the person harmed is an adult") for reason in verdict.reasons)


@pytest.mark.parametrize(
    "text",
    [
        # written by a teacher, about a pupil: no adult is the target
        "Tôi là giáo viên, một người lạ đòi học sinh lớp 7 của tôi gửi ảnh khỏa thân",
        "I'm a teacher. An adult on Discord keeps asking my 12-year-old pupil for nude photos",
        # a parent of the class approaching the child
        "Một phụ huynh nhóm lớp 4 nhắn tin cho con gái tôi (9 tuổi), dặn đừng nói với bố mẹ",
    ],
)
def test_a_child_victim_in_the_same_settings_stays_critical(text: str) -> None:
    verdict = triage_with(_confident_model("harassment", "normal"), CURATED, text)
    assert verdict.category is Category.CHILD_EXPLOITATION
    assert verdict.urgency is Urgency.CRITICAL


def test_an_adult_wording_does_not_hide_a_child_the_model_reads() -> None:
    text = "Hắn nhắn tin cho tôi, nói đã rủ con gái tôi 12 tuổi đến khách sạn"
    verdict = triage_with(_confident_model("child_exploitation", "normal"), CURATED, text)
    assert verdict.category is Category.CHILD_EXPLOITATION
    assert verdict.urgency is Urgency.CRITICAL


def test_an_adult_wording_does_not_hide_a_stated_victim_age() -> None:
    text = "Một người đàn ông khen tôi xinh, rủ tôi đến khách sạn và đòi gửi ảnh nhạy cảm"
    verdict = triage_with(_confident_model("harassment", "normal"), CURATED, text, victim_age=15)
    assert verdict.category is Category.CHILD_EXPLOITATION
    assert verdict.urgency is Urgency.CRITICAL


@pytest.mark.parametrize(
    "text",
    [
        "Cho mình hỏi nên báo ở đâu: nick lạ giữ ảnh nóng của mình, đòi 3 triệu mới xóa",
        "cho e hoi lam sao, no co clip rieng tu cua e, bat chuyen 5tr khong thi gui cho bme",
        "Who do I contact? A stranger has my intimate photos and wants 200 USD or he posts them",
    ],
)
def test_intimate_images_with_a_demand_asked_as_a_question_are_sextortion(text: str) -> None:
    """The model may read a question ("where do I report…") as `other`; intimate material and a
    demand make sextortion whatever it reads."""
    verdict = triage_with(_confident_model("other", "low"), CURATED, text)
    assert verdict.category is Category.SEXTORTION, verdict.reasons
    assert verdict.urgency is Urgency.CRITICAL


def test_a_question_about_a_locked_account_stays_other() -> None:
    text = "Cho mình hỏi tài khoản Facebook bị khóa vì vi phạm tiêu chuẩn thì kháng nghị ở đâu"
    verdict = triage_with(_confident_model("other", "low"), CURATED, text)
    assert verdict.category is Category.OTHER
    assert verdict.urgency is Urgency.LOW


@pytest.mark.parametrize(
    "text",
    [
        "Nó nhắn: 'mày về quê mà chuẩn bị hậu sự đi', nó biết nhà tôi ở đâu",
        "chu no nhan cho ong toi: 'khong tra thi nha may co dam'",
        "Thằng đó bảo sẽ mang mã tấu ra chờ chồng tôi ở đầu ngõ",
        "he wrote that my brother won't make it out alive if he testifies",
        "The message said: start digging your grave, we know your shift ends at ten",
    ],
)
def test_death_threats_without_the_word_for_death_are_critical(text: str) -> None:
    verdict = triage_with(_confident_model("harassment", "normal"), CURATED, text)
    assert verdict.urgency is Urgency.CRITICAL, verdict.reasons
    assert any(reason.startswith("threat to life") for reason in verdict.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Tôi thay mặt con tôi gửi phản ánh về việc shop không giao hàng",
        "Nhờ kỹ thuật viên cài mạng wifi cho văn phòng thì bị tính phí quá cao",
        "tôi số tài khoản bị nhầm một chữ số, tiền chuyển sai người",
    ],
)
def test_words_that_fold_like_a_death_threat_are_not_one(text: str) -> None:
    verdict = triage_with(_confident_model("other", "normal"), CURATED, text)
    assert verdict.urgency is Urgency.NORMAL, verdict.reasons


def _scored_model(category_scores: dict[str, float], urgency: str) -> TriageModel:
    """A stand-in model whose category scores are `category_scores` (others -10)."""
    model = _confident_model("other", urgency)
    labels = model.category.labels
    bias = np.array([category_scores.get(label, -10.0) for label in labels], np.float32)
    head = LinearHead(labels, model.category.text_weights, model.category.cue_weights, bias)
    return TriageModel(
        vocabulary={},
        idf=np.zeros(0),
        cue_names=model.cue_names,
        cue_scale=1.0,
        category=head,
        urgency=model.urgency,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tôi vay app 2 triệu, giờ họ đòi 6 triệu và gọi cho cả danh bạ của tôi",
        "a fake charity page took my donation of 500k and disappeared",
    ],
)
def test_child_exploitation_needs_a_child_or_a_sexual_approach(text: str) -> None:
    """Issue 12: the model's child exploitation, with no child and no sexual approach named,
    gives way to its next category; no child floor makes the report critical."""
    scores = {"child_exploitation": 0.2, "fraud.loan": 0.1, "other": -0.3}
    verdict = triage_with(_scored_model(scores, "normal"), CURATED, text)
    assert verdict.category is Category.LOAN
    assert verdict.urgency is Urgency.NORMAL
    assert "no child or sexual approach named" in verdict.reasons[0]


@pytest.mark.parametrize(
    "text",
    [
        "Một người lạ nhắn tin cho con gái tôi 12 tuổi, hỏi nhà cháu ở đâu",
        "A stranger keeps sending intimate messages to the kids in our game server",
    ],
)
def test_a_child_or_a_sexual_approach_keeps_the_models_child_exploitation(text: str) -> None:
    scores = {"child_exploitation": 0.2, "fraud.loan": 0.1}
    verdict = triage_with(_scored_model(scores, "normal"), CURATED, text)
    assert verdict.category is Category.CHILD_EXPLOITATION
    assert verdict.urgency is Urgency.CRITICAL


WORD_ONLY_CHILD = "Một phụ huynh trong nhóm lớp gửi ảnh nhạy cảm vào nhóm của các học sinh"


def test_a_child_named_by_a_word_only_follows_a_confident_model() -> None:
    """A child named by a word (no age, no school year) with sexual wording is filed as child
    exploitation unless the model reads it far below its best; the urgency stays critical."""
    far = _scored_model({"harassment": 0.4, "child_exploitation": -0.6}, "normal")
    verdict = triage_with(far, CURATED, WORD_ONLY_CHILD)
    assert verdict.category is Category.HARASSMENT
    assert verdict.urgency is Urgency.CRITICAL
    near = _scored_model({"harassment": 0.4, "child_exploitation": 0.0}, "normal")
    assert triage_with(near, CURATED, WORD_ONLY_CHILD).category is Category.CHILD_EXPLOITATION
    aged = WORD_ONLY_CHILD.replace("các học sinh", "các học sinh 12 tuổi")
    assert triage_with(far, CURATED, aged).category is Category.CHILD_EXPLOITATION


@pytest.mark.parametrize(
    "text",
    [
        "Một người lạ trong game hỏi con gái tôi 9 tuổi có hay tắm một mình không",
        "con toi 12 tuoi, co nguoi gui noi dung nguoi lon cho chau qua zalo",
        "An adult keeps asking my 13-year-old son for shirtless pictures",
    ],
)
def test_a_childs_body_or_adult_material_shown_is_critical_whatever_the_model_says(
    text: str,
) -> None:
    verdict = triage_with(_confident_model("other", "low"), CURATED, text)
    assert verdict.urgency is Urgency.CRITICAL, verdict.reasons
    assert verdict.category is Category.CHILD_EXPLOITATION
