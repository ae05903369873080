"""`tipline check VALUE` and `tipline import-feed`, on a fresh SQLite database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tipline.cli import app
from tipline.settings import Settings

runner = CliRunner()


def test_check_an_unreported_value(settings: Settings) -> None:
    result = runner.invoke(app, ["check", "0912 345 678"])
    assert result.exit_code == 0, result.output
    assert "+84912345678" in result.output
    assert "not_reported" in result.output
    assert "does not mean safe" in result.output


def test_check_nonsense_is_a_one_line_error(settings: Settings) -> None:
    result = runner.invoke(app, ["check", "hello"])
    assert result.exit_code == 2
    assert "is not a phone number" in result.output


def test_import_feed_then_check_names_the_source(settings: Settings, tmp_path: Path) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("# list\nvi-dien-tu-gia.com\nm.facebook.com\n", "utf-8")
    args = ["import-feed", str(feed), "--source", "LocalList", "--category", "fraud.phishing"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "LocalList: 2 entries read, 1 skipped" in result.output
    assert "line 3: a legitimate (allowlisted) host" in result.output
    check = runner.invoke(app, ["check", "vi-dien-tu-gia.com"])
    assert "LocalList" in check.output
    assert "reported" in check.output


def test_import_feed_with_unknown_category(settings: Settings, tmp_path: Path) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("a-scam.com\n", "utf-8")
    result = runner.invoke(app, ["import-feed", str(feed), "--source", "X", "--category", "bad"])
    assert result.exit_code == 2
    assert "unknown category 'bad'" in result.output


def test_a_listed_page_on_a_legitimate_host_shows_as_reported(
    settings: Settings, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("apps.apple.com/us/app/robomine/id1517267484\n", "utf-8")
    args = ["import-feed", str(feed), "--source", "LocalList"]
    assert runner.invoke(app, args).exit_code == 0
    page = runner.invoke(app, ["check", "apps.apple.com/us/app/robomine/id1517267484"])
    assert "yes (on a known legitimate host)" in page.output
    assert _state_of(page.output) == "reported"


def _state_of(output: str) -> str:
    line = next(line for line in output.splitlines() if "verdict" in line)
    return line.split("│")[2].split()[0]
