"""Scripts by hand: the same story with other numbers and names is one script, another scam is
another, stable ids across runs, and a label holds only words many reports share."""

from __future__ import annotations

import numpy as np

from tipline.trends.scripts import (
    NAME,
    NUMBER,
    VALUE,
    ScriptRule,
    cluster,
    kept_ids,
    labels_of,
    masked,
    place,
)

POLICE = (
    "Hôm qua có người xưng là cán bộ công an quận {n} gọi cho tôi từ số 09{p}, nói tôi liên quan "
    "đến một vụ rửa tiền và yêu cầu tôi chuyển {a}.000.000 đồng vào tài khoản {p}1 để xác minh. "
    "Họ còn gọi video qua Zalo cho xem lệnh bắt giả có dấu đỏ."
)
LOAN = (
    "I downloaded a loan app called Quick{n} that promised {a} million with no paperwork. It asked "
    "for my contacts, then the fee of {a}00,000 VND was taken and now they message my friends "
    "from {p} threatening to post my photos unless I pay."
)
VICTIMS = ("Lan", "Hùng", "Minh", "Thảo", "Tuấn", "Hoa", "Dũng")


def _stories(template: str, count: int, first: int) -> list[str]:
    return [
        f"Tôi là {VICTIMS[k]}. " + template.format(n=k + 1, p=f"{first + k:08d}", a=3 + 2 * k)
        for k in range(count)
    ]


def _masked(texts: list[str]) -> list[str]:
    return [masked(t, []) for t in texts]


def test_masking_hides_values_digits_handles_and_names() -> None:
    text = "Tôi gặp anh Trần Văn Bảo, số 0901234567, mail bao@x.vn, nick @baotran, mất 5.000.000đ."
    start = text.index("0901234567")
    out = masked(text, [(start, start + 10)])
    assert "0901234567" not in out
    assert "bao@x.vn" not in out
    assert "@baotran" not in out
    assert "5.000.000" not in out
    assert "trần" not in out
    assert "bảo" not in out
    assert out.count(NAME) == 3
    assert out.count(VALUE) == 3
    assert NUMBER in out
    assert out.startswith("tôi gặp anh")  # the sentence's first word is no name


def test_the_same_story_with_other_numbers_is_one_script_and_another_scam_is_not() -> None:
    police, loan = _stories(POLICE, 7, 1000), _stories(LOAN, 7, 5000)
    labels = cluster(_masked(police + loan))
    assert len(set(labels[:7])) == 1
    assert len(set(labels[7:])) == 1
    assert labels[0] != labels[7]


def test_a_new_report_joins_the_nearest_script_or_starts_one() -> None:
    police, loan = _stories(POLICE, 6, 1000), _stories(LOAN, 6, 5000)
    known = _masked(police[:5] + loan[:5])
    other = "Con gái tôi bị một người lạ trên mạng dụ gửi ảnh nhạy cảm rồi đe doạ tung ảnh."
    placed = place(known, [0] * 5 + [1] * 5, _masked([loan[5], police[5], other]))
    assert placed == [1, 0, 2]


def test_a_label_holds_only_words_of_k_reports_never_masked_ones() -> None:
    police = _stories(POLICE, 6, 1000)
    police[0] += " Nhà tôi ở ngõ Hàng Bạc, gần chợ xưa."  # one victim's street: in one report
    members = {7: _masked(police), 8: _masked(_stories(LOAN, 6, 5000)), 9: _masked(police[:4])}
    labels = labels_of(members, ScriptRule(label_reports=5, label_words=40))
    shown = " ".join(labels[7])
    assert "cán bộ" in labels[7]
    assert labels[9] == []  # 4 reports: under k, no words at all
    for hidden in ("lan", "hùng", "zalo", "ngõ", "chợ", "hàng bạc", "09", "000", "quick"):
        assert hidden not in shown.split()
        assert hidden not in labels[7]
    assert not any(ch.isdigit() for ch in shown)
    assert all(p not in shown for p in (VALUE, NUMBER, NAME))


def test_ids_are_kept_across_a_reclustering() -> None:
    old = [4, 4, 4, 9, 9, None, None]
    new = np.array([0, 0, 1, 1, 1, 2, 2])
    ids, next_id = kept_ids(old, list(new), 10)
    # Cluster 1 (3 members) chooses first: 9 (2 votes); cluster 0 keeps 4; cluster 2 is new.
    assert ids == {1: 9, 0: 4, 2: 10}
    assert next_id == 11
    # Two clusters wanting one id: the bigger keeps it, the other gets a fresh one.
    ids, _ = kept_ids([4, 4, 4, 4, 4], [0, 0, 0, 1, 1], 10)
    assert ids == {0: 4, 1: 10}


def test_a_label_says_something_not_function_words_alone() -> None:
    english = [f"It was a call and he told me to pay the customs fee for parcel {n}." for n in
               range(6)]  # fmt: skip
    vietnamese = [f"Nó bảo tôi là của tôi thì phải đóng phí hải quan cho gói hàng {n}." for n in
                  range(6)]  # fmt: skip
    labels = labels_of({1: _masked(english), 2: _masked(vietnamese)},
                       ScriptRule(label_reports=5, label_words=40))  # fmt: skip
    bland = (
        "it was",
        "me to",
        "was",
        "and",
        "fee for",
        "của tôi",
        "là",
        "tôi là",
        "bảo tôi",
        "cho gói",
    )
    for term in bland:
        assert term not in labels[1] + labels[2]
    assert "customs fee" in labels[1]
    assert "hải quan" in labels[2]
