"""`tipline triage --jsonl` (the spec's contract), plain text, and `tipline triage train`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipline.cli import app
from tipline.triage import store
from tipline.triage.training import Example, load_corpus

runner = CliRunner()


def _run(stdin: bytes, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(app, ["triage", *args], input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines


def _jsonl(*objects: object) -> bytes:
    return b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objects)


def test_good_lines_in_input_order(triage_data_dir: Path) -> None:
    stdin = _jsonl(
        {"id": "a", "text": "Có người tự xưng công an bảo tôi chuyển ngay 20 triệu"},
        {"id": 2, "text": "My 12-year-old daughter was asked for photos by a stranger"},
        {
            "id": None,
            "text": "Tôi đánh rơi ví ở chợ",
            "victim_age": 40,
            "loss_amount": 200000,
            "loss_currency": "VND",
        },
    )
    status, lines = _run(stdin, "--jsonl")
    assert status == 0
    assert [line["id"] for line in lines] == ["a", 2, None]
    assert set(lines[0]) == {"id", "category", "urgency", "language", "reasons"}
    assert lines[0]["category"] == "fraud.impersonation"
    assert (lines[1]["category"], lines[1]["urgency"], lines[1]["language"]) == (
        "child_exploitation",
        "critical",
        "en",
    )
    assert lines[2]["language"] == "vi"


def test_bad_lines_get_errors_and_the_run_goes_on(triage_data_dir: Path) -> None:
    stdin = (
        _jsonl({"id": 1, "text": "tin nhắn lạ báo trúng thưởng"})
        + b"{broken\n"
        + _jsonl({"id": 3})
        + b"\xff\xfe\x00\n"
        + _jsonl({"id": 5, "text": "x", "victim_age": "ten"})
        + b"\n"
        + _jsonl({"id": 6, "text": "hello\u0000world"})
    )
    status, lines = _run(stdin, "--jsonl")
    assert status == 1
    assert [line["id"] for line in lines] == [1, None, 3, None, 5, 6]
    assert ["error" in line for line in lines] == [False, True, True, True, True, False]
    assert "not valid UTF-8" in str(lines[3]["error"])


def test_plain_text_is_one_report(triage_data_dir: Path) -> None:
    status, lines = _run(b"toi bi lua 47tr qua app vay tien")
    assert status == 0
    assert len(lines) == 1
    assert lines[0]["category"] == "fraud.loan"
    assert "id" not in lines[0]


def test_empty_plain_text_is_an_error(triage_data_dir: Path) -> None:
    result = runner.invoke(app, ["triage"], input=b"  \n")
    assert result.exit_code == 1
    assert result.stdout == ""


@pytest.fixture
def small_corpus(monkeypatch: pytest.MonkeyPatch) -> list[Example]:
    """The first 15 reports of each category, so that training takes a moment."""
    by_category: dict[str, list[Example]] = {}
    for example in load_corpus():
        by_category.setdefault(example.category, []).append(example)
    subset = [e for examples in by_category.values() for e in examples[:15]]
    monkeypatch.setattr(store, "load_corpus", lambda: subset)
    return subset


def test_train_with_corrections_writes_a_new_version(
    settings: object, small_corpus: list[Example], tmp_path: Path
) -> None:
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text(
        json.dumps(
            {"text": "bị hack mất tài khoản game", "category": "hacking", "urgency": "normal"}
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["triage", "train", "--corrections-jsonl", str(corrections)])
    assert result.exit_code == 0, result.stdout
    assert "macro-F1" in result.stdout
    assert "critical recall" in result.stdout
    folder = store.model_dir()
    info = store.read_info(folder, 1)
    assert info is not None
    assert (info.examples, info.corrections) == (len(small_corpus) + 1, 1)
    assert 0.0 <= info.metrics["macro_f1"] <= 1.0
    assert (folder / "triage-v0001.joblib").is_file()


def test_train_refuses_a_bad_corrections_file(settings: object, tmp_path: Path) -> None:
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text('{"text": "x", "category": "spam", "urgency": "low"}\n', "utf-8")
    result = runner.invoke(app, ["triage", "train", "--corrections-jsonl", str(corrections)])
    assert result.exit_code == 2
    assert "unknown category" in result.stderr
