"""The grammars of amounts, deadlines, threats to send images and demands, on generated
variants: with and without diacritics, teen-code, English."""

from __future__ import annotations

from itertools import product

import pytest

from tipline.indicators.folding import fold
from tipline.triage.cues import cues_of

AMOUNTS = [
    "7 củ", "7củ", "30 chai", "5 lít", "3tr", "3 tr", "500k", "500K", "2 triệu", "1tr5",
    "1 tr 5", "200 đô", "$500", "$ 1,500", "500$", "0.5 btc", "0,5 BTC", "năm trăm nghìn",
    "hai củ", "mười lăm triệu", "500.000đ", "20.000.000 VNĐ", "1,500 USD", "300 usdt",
    "five hundred dollars", "a grand", "2 grand", "€300", "50 million VND", "100 bucks",
    "mấy chục triệu", "vài củ",
]  # fmt: skip
NOT_AMOUNTS = [
    "lớp 7", "em 15 tuổi", "nick hoang.anh.2k9", "năm 2024", "trong 3 ngày", "số 0912.345.678",
    "phòng 302", "tập 5", "top 10", "ba mẹ em", "năm ngoái", "sau đó",
]  # fmt: skip
DEADLINES = [
    "trước sáng mai", "tối nay", "hạn 12h trưa", "trong 24h", "by tonight", "trước 8h",
    "trước 8h30", "trước 8 giờ tối", "hạn chót 12 giờ đêm nay", "trong vòng 2 tiếng",
    "còn 3 tiếng", "3 tiếng nữa", "cho 48h", "đến hết hôm nay", "trước thứ sáu", "trc 12h",
    "in 2 hours", "within 24 hours", "within a day", "by tomorrow", "by midnight",
    "end of day", "before 10pm", "you have 24 hours", "until Friday", "2 days left",
    "trưa mai", "chậm nhất chiều mai", "mai mà không chuyển",
]  # fmt: skip
NOT_DEADLINES = [
    "trong 3 ngày qua", "hôm qua", "năm ngoái", "2 năm trước", "tháng 3", "lớp 12",
    "in 2024", "last week",
]  # fmt: skip
THREATS = [
    "gửi cho bố mẹ mày", "tung lên group lớp", "send to your whole friend list", "gửi cho sếp",
    "gửi clip cho bố mẹ em", "phát tán ảnh cho cả trường", "đăng lên facebook của trường",
    "send them to your parents", "share it with your boss", "post the video on your company page",
    "it goes to your wife", "gửi video cho chồng chị", "tung ảnh lên nhóm lớp đại học",
    "gửi cho toàn bộ danh sách bạn bè", "forward it to all your contacts", "gửi cho người yêu mày",
    "leak them to your classmates", "gui cho ca lop",
]  # fmt: skip


def _written(text: str) -> list[str]:
    """A phrase as it is typed: as given, without diacritics, upper-case."""
    return [text, fold(text), text.upper()]


@pytest.mark.parametrize("phrase", [w for p in AMOUNTS for w in _written(p)])
def test_an_amount_in_any_writing(phrase: str) -> None:
    assert cues_of(f"nó đòi {phrase} rồi").has("amount"), phrase


@pytest.mark.parametrize("phrase", NOT_AMOUNTS)
def test_numbers_that_are_not_money(phrase: str) -> None:
    assert not cues_of(f"nó nhắn {phrase} thôi").has("amount"), phrase


@pytest.mark.parametrize("phrase", [w for p in DEADLINES for w in _written(p)])
def test_a_deadline_in_any_writing(phrase: str) -> None:
    assert cues_of(f"phải trả {phrase}, không thì xong").has("deadline"), phrase


@pytest.mark.parametrize("phrase", NOT_DEADLINES)
def test_times_that_are_not_a_limit(phrase: str) -> None:
    assert not cues_of(f"chuyện xảy ra {phrase}").has("deadline"), phrase


@pytest.mark.parametrize("phrase", [w for p in THREATS for w in _written(p)])
def test_a_threat_to_send_to_people_who_matter(phrase: str) -> None:
    assert cues_of(f"nó dọa {phrase}").has("publish_threat"), phrase


@pytest.mark.parametrize(
    "text",
    [
        "Anh ta không đòi gì cả, chỉ muốn trả thù.",
        "ng yêu cũ đăng ảnh của t lên mạng, k đòi tiền j cả",
        "khong doi tien gi, chi de tra thu",
        "No demand was made.",
        "He hasn't asked for anything.",
        "she never demanded money, it's revenge porn",
    ],
)
def test_a_denied_demand(text: str) -> None:
    assert cues_of(text).has("no_demand")


@pytest.mark.parametrize(
    "text",
    [
        "không thì nó đòi 5 củ",
        "nó đòi 30 chai không thì gửi cho sếp",
        "nếu em không gặp anh tối nay thì ảnh sẽ lên group lớp",
        "he wants $500 or he'll send them",
    ],
)
def test_a_demand_is_not_read_as_denied(text: str) -> None:
    cues = cues_of(text)
    assert cues.has("demand")
    assert not cues.has("no_demand")


def test_english_wishes_and_conditions_are_demands() -> None:
    for text in ("She wants 1,500 USD", "now they're asking for 1,000 more", "pay or else"):
        assert cues_of(text).has("demand"), text


def test_every_amount_and_deadline_together() -> None:
    """The grammars hold in combination: each amount with each deadline, folded or not."""
    for amount, deadline in product(AMOUNTS, DEADLINES):
        for text in _written(f"đòi {amount} {deadline} không thì gửi cho bố mẹ"):
            cues = cues_of(text)
            assert cues.has("amount"), text
            assert cues.has("deadline"), text


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I have not taken it or paid anything", "loss_past"),
        ("Tôi chưa nhận và chưa trả tiền", "demand"),
        ("I didn't pay anything", "loss_past"),
    ],
)
def test_a_denied_payment_is_no_loss_and_no_demand(text: str, signal: str) -> None:
    cues = cues_of(text)
    assert cues.has("no_loss")
    assert not cues.has(signal)


def test_a_payment_after_a_denied_one_still_counts() -> None:
    assert cues_of("I didn't pay at first. Later I paid 5 million").has("loss_past")


@pytest.mark.parametrize(
    ("vietnamese", "english", "signal"),
    [
        (
            "nó sẽ giết tôi nếu tôi không rút đơn",
            "he will kill me if I do not withdraw it",
            "demand",
        ),
        ("họ bảo tôi chuyển ngay 10 triệu", "they told me to transfer 10 million", "transfer_now"),
        ("tôi thấy đáng ngờ nên báo", "it looks suspicious so I report it", "no_loss"),
        ("tiền bị trừ khỏi tài khoản", "the money was taken from my account", "loss_past"),
    ],
)
def test_the_same_signal_in_both_languages(vietnamese: str, english: str, signal: str) -> None:
    assert cues_of(vietnamese).has(signal)
    assert cues_of(english).has(signal)


def test_the_vietnamese_progressive_is_not_urgency() -> None:
    """ "đang" marks an action in progress, like English "-ing": no urgency of its own."""
    assert not cues_of("tôi đang đi làm thì nhận được tin nhắn").has("urgent")
