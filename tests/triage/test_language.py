from __future__ import annotations

import json

import pytest

from tipline.triage.language import detect_language
from tipline.triage.lexicon_files import CORPUS_DIR


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tôi bị lừa chuyển khoản 20 triệu", "vi"),
        ("toi bi lua chuyen khoan 20 trieu qua zalo", "vi"),
        ("e bị lừa r, ko bt làm j", "vi"),
        ("mn ơi cứu e vs", "vi"),
        ("Someone called me pretending to be the police and asked for money", "en"),
        ("I live in Đà Nẵng and a man on Tinder asked me to send money to Hội An", "en"),
        ("有人冒充警察给我打电话，要求我转账", "zh"),
        ("警察を名乗る人から電話がありました", "ja"),
        ("경찰을 사칭한 사람이 전화했습니다", "ko"),
        ("มีคนโทรมาอ้างว่าเป็นตำรวจ", "th"),
        ("Мне позвонил человек, представившийся полицейским", "ru"),
        ("", "vi"),
        ("0987 654 321", "vi"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_corpus_languages_are_read_correctly() -> None:
    labelled = [
        json.loads(line)
        for path in sorted(CORPUS_DIR.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    right = sum(1 for row in labelled if detect_language(row["text"]) == row["language"])
    assert right / len(labelled) >= 0.97
