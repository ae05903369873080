"""Reading import files: JSON lines and CSV, bad rows with their line, broken encodings."""

from __future__ import annotations

import pytest

from tipline.errors import InvalidInput
from tipline.imports.core import ImportRow, RejectedRow, read_rows


def rows(name: str, text: str | bytes, language: str = "en") -> list[ImportRow | RejectedRow]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return list(read_rows(name, raw, language))


def test_jsonl_rows_with_ids_and_every_column() -> None:
    line = (
        '{"id": "A-1", "narrative": "Bị lừa 5 triệu", "language": "vi", "occurred_at": '
        '"2026-01-02T10:00:00", "loss_amount": 5000000, "loss_currency": "VND", "victim_age": 20, '
        '"victim_gender": "female", "province": "Huế", "contact": "x@y.vn", "anonymous": false, '
        '"indicators": ["0912345678"]}'
    )
    (row,) = rows("a.jsonl", line + "\n\n")
    assert isinstance(row, ImportRow)
    assert row.external_id == "A-1"
    assert row.report.narrative == "Bị lừa 5 triệu"
    assert row.report.indicators == ["0912345678"]
    assert row.report.victim_gender == "female"


def test_rows_without_id_are_identified_by_content() -> None:
    first, second, third = rows("a.jsonl", '{"text": "một"}\n{"text": "một"}\n{"text": "hai"}\n')
    assert isinstance(first, ImportRow)
    assert isinstance(second, ImportRow)
    assert isinstance(third, ImportRow)
    assert first.external_id == second.external_id != third.external_id
    assert first.external_id.startswith("sha256:")


def test_bad_jsonl_rows_are_rejected_with_line_and_reason() -> None:
    found = rows(
        "a.jsonl",
        '{"narrative": "ok"}\n{broken\n[1]\n{"narrative": ""}\n'
        '{"narrative": "x", "victim_age": "old"}\n',
    )
    rejected = {r.line: r.reason for r in found if isinstance(r, RejectedRow)}
    assert set(rejected) == {2, 3, 4, 5}
    assert rejected[2].startswith("not valid JSON")
    assert rejected[3] == "a line must be a JSON object"
    assert rejected[4] == "narrative: The narrative is empty: tell what happened."
    assert rejected[5].startswith("victim_age:")


def test_csv_rows_with_quoted_newlines_and_listed_values() -> None:
    text = (
        "external_id,narrative,loss_amount,anonymous,indicators\n"
        'c1,"dòng một\ndòng hai",100000,yes,0912345678; VCB 0123456789\n'
        "c2,,5,no,\n"
        "c3,bình thường,abc,,\n"
        "c4,ok,1,1,x,extra\n"
    )
    found = rows("file.CSV", text)
    good = [r for r in found if isinstance(r, ImportRow)]
    rejected = {r.line: r.reason for r in found if isinstance(r, RejectedRow)}
    assert [r.external_id for r in good] == ["c1"]
    assert good[0].report.narrative == "dòng một\ndòng hai"
    assert good[0].report.anonymous is True
    assert good[0].report.indicators == ["0912345678", "VCB 0123456789"]
    assert set(rejected) == {4, 5, 6}
    assert rejected[4].startswith("narrative:")
    assert rejected[5].startswith("loss_amount:")
    assert rejected[6] == "more values than columns in the header"


def test_csv_without_narrative_column_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        rows("a.csv", "id,story\n1,x\n")
    assert caught.value.message == "line 1: the CSV header has no 'narrative' column"


def test_non_utf8_file_is_refused_naming_the_line() -> None:
    good = '{"narrative": "một"}\n{"narrative": "hai"}\n{"narrative": "ba"}\n'.encode()
    latin1 = '{"narrative": "Tôi bị lừa ở Đà Nẵng"}\n'.encode("latin-1", errors="replace")
    with pytest.raises(InvalidInput) as caught:
        rows("a.jsonl", good + latin1)
    assert caught.value.message.startswith("line 4: not valid UTF-8")
    assert caught.value.field == "file"


def test_only_jsonl_and_csv() -> None:
    with pytest.raises(InvalidInput) as caught:
        rows("a.xlsx", "x")
    assert caught.value.message == "import takes a .jsonl or .csv file"


def test_reasons_in_vietnamese() -> None:
    found = rows(
        "a.jsonl",
        '{broken\n[1]\n{"narrative": ""}\n{"narrative": "x", "victim_age": "già"}\n',
        language="vi",
    )
    rejected = {r.line: r.reason for r in found if isinstance(r, RejectedRow)}
    assert rejected == {
        1: "JSON không hợp lệ ở cột 2",
        2: "mỗi dòng phải là một đối tượng JSON",
        3: "narrative: Hãy kể lại chuyện gì đã xảy ra.",
        4: "victim_age: Số không hợp lệ hoặc ngoài giới hạn.",
    }
    with pytest.raises(InvalidInput) as caught:
        rows("a.csv", "id,story\n1,x\n", language="vi")
    assert caught.value.message == "dòng 1: dòng tiêu đề CSV không có cột 'narrative'"
    with pytest.raises(InvalidInput) as caught:
        rows("a.jsonl", b'{"narrative": "\xe0"}\n', language="vi")
    assert caught.value.message.startswith("dòng 1: không phải UTF-8 hợp lệ")
