"""Host runs: the regex scans find the same runs as walking the text one character at a time."""

from __future__ import annotations

import random

from tipline.indicators.urls import _HostRuns


def is_host_character(character: str) -> bool:
    return character.isalnum() or character in ".-_"


def walked_start(text: str, position: int) -> int:
    while position > 0 and is_host_character(text[position - 1]):
        position -= 1
    return position


def walked_end(text: str, position: int) -> int:
    while position < len(text) and is_host_character(text[position]):
        position += 1
    return position


def test_runs_start_and_end_where_a_walk_stops() -> None:
    rng = random.Random(53)
    alphabet = [*"ab1._-/ @:#", "đ", "ệ", "٣", "Ⅻ", "\u200b", "\u0301", "中", "😀"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        runs = _HostRuns(text)
        for position in range(len(text) + 1):
            assert runs.start_before(position) == walked_start(text, position), (text, position)
            assert runs.end_after(position) == walked_end(text, position), (text, position)
