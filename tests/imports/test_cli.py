"""`tipline import FILE` end to end, on a fresh SQLite database in a temporary data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipline.cli import app
from tipline.settings import Settings

runner = CliRunner()


def test_import_jsonl_twice_and_list_rejected_rows(settings: Settings, tmp_path: Path) -> None:
    file = tmp_path / "reports.jsonl"
    file.write_text(
        '{"id": "1", "narrative": "Bị lừa qua số 0912 345 678"}\n'
        "not json\n"
        '{"id": "2", "narrative": "Mất 5 triệu vào STK 0123456789 Vietcombank"}\n',
        encoding="utf-8",
    )
    first = runner.invoke(app, ["import", str(file), "--source", "hotline", "--lang", "en"])
    assert first.exit_code == 1  # some rows were rejected
    assert "2 imported, 0 already stored, 1 rejected" in first.output
    assert "line 2: not valid JSON" in first.output
    second = runner.invoke(app, ["import", str(file), "--source", "hotline"])
    assert "0 imported, 2 already stored, 1 rejected" in second.output
    assert (settings.data_dir / "tipline.db").is_file()


def test_import_csv(settings: Settings, tmp_path: Path) -> None:
    file = tmp_path / "reports.csv"
    file.write_text("id,narrative,indicators\na,Gọi từ 0987654321,t.me/abc_scam\n", "utf-8")
    result = runner.invoke(app, ["import", str(file)])
    assert result.exit_code == 0, result.output
    assert "1 imported" in result.output
    check = runner.invoke(app, ["check", "t.me/abc_scam"])
    assert check.exit_code == 0
    assert "reported" in check.output
    assert "telegram:abc_scam" in check.output


def test_non_utf8_file_is_one_line_error_with_exit_2(settings: Settings, tmp_path: Path) -> None:
    file = tmp_path / "reports.jsonl"
    file.write_bytes(b'{"narrative": "ok"}\n{"narrative": "\xe0 \xff"}\n')
    result = runner.invoke(app, ["import", str(file), "--lang", "en"])
    assert result.exit_code == 2
    assert "line 2: not valid UTF-8" in result.output
    assert "Traceback" not in result.output


def test_reasons_follow_a_vietnamese_locale(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "reports.jsonl"
    file.write_text('{"id": "1", "narrative": ""}\n[1]\n', encoding="utf-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    result = runner.invoke(app, ["import", str(file)])
    assert result.exit_code == 1
    assert "dòng 1: narrative: Hãy kể lại chuyện gì đã xảy ra." in result.output
    assert "dòng 2: mỗi dòng phải là một đối tượng JSON" in result.output
    english = runner.invoke(app, ["import", str(file), "--lang", "en"])
    assert "line 2: a line must be a JSON object" in english.output
    wrong = runner.invoke(app, ["import", str(file), "--lang", "fr"])
    assert wrong.exit_code == 2
