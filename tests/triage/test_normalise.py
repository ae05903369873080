from __future__ import annotations

import pytest

from tipline.triage.normalise import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đường dây NÓNG", "duong day nong"),
        ("Tôi bị LỪA ĐẢO", "toi bi lua dao"),
        ("ko dc ck vào stk", "khong duoc chuyen khoan vao so tai khoan"),
        ("k đc, kh biết", "khong duoc, khong biet"),
        ("CONG AN goi", "cong an goi"),
        ("congan phuong", "cong an phuong"),
        ("bo cong an", "bo cong an"),
        ("bca gọi", "bo cong an goi"),
        ("mất 50tr rồi", "mat 50 trieu roi"),
        ("trong 24h", "trong 24 gio"),
        ("my 13yo son", "my 13 tuoi son"),
        ("a 12-year-old girl", "a 12 tuoi girl"),
        ("e 15t", "em 15 tuoi"),
        ("học lop7", "hoc lop 7"),
        ("  nhiều   khoảng\n trắng ", "nhieu khoang trang"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_expands_whole_words_only() -> None:
    # "ko" inside "kong" and "k" inside "50k" are not teen-code.
    assert normalise("Hong Kong 50k banking") == "hong kong 50k banking"


def test_normalising_with_spans_gives_the_same_text_and_where_each_part_came_from() -> None:
    from tipline.triage.normalise import normalise_with_spans
    from tipline.triage.training import load_corpus

    texts = [example.text for example in load_corpus()][:400]
    texts += ["  E 16t bị đòi 7 CỦ\t\ttrước 8h30 tối nay,\n\nko thì tung ảnh ", "İstanbul 50tr"]
    for text in texts:
        normalised, (starts, ends) = normalise_with_spans(text)
        assert normalised == normalise(text)
        assert len(starts) == len(ends) == len(normalised)
    text = "  E 16t bị đòi 7 CỦ\t\ttrước 8h30 tối nay,\n\nko thì tung ảnh "
    normalised, (starts, ends) = normalise_with_spans(text)
    for shown, written in (("7 cu", "7 CỦ"), ("khong", "ko"), ("16 tuoi", "16t"), ("em", "E")):
        at = normalised.index(shown)
        assert text[starts[at] : ends[at + len(shown) - 1]] == written
