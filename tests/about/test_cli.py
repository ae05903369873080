"""`tipline about check`, and `tipline serve` refusing a broken profile before it starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipline.cli import app
from tipline.settings import Settings

runner = CliRunner()


def test_check_prints_what_the_home_page_will_say(settings: Settings, tmp_path: Path) -> None:
    default = runner.invoke(app, ["about", "check"])
    assert default.exit_code == 0, default.output
    assert "vi: tipline (bản cài đặt chưa được cấu hình)" in default.output
    assert "help numbers: 3" in default.output
    mine = tmp_path / "about.toml"
    mine.write_text('[vi]\nname = "Phòng A"\n[en]\nname = "Division A"\n', encoding="utf-8")
    checked = runner.invoke(app, ["about", "check", str(mine)])
    assert checked.exit_code == 0, checked.output
    assert "en: Division A" in checked.output


def test_a_broken_profile_is_an_error_and_stops_serve(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "about.toml"
    broken.write_text('[en]\nname = "Division A"\n', encoding="utf-8")
    checked = runner.invoke(app, ["about", "check", str(broken)])
    assert checked.exit_code == 2
    assert "the [vi] table is missing" in checked.output
    monkeypatch.setattr(settings, "about_file", broken)
    served = runner.invoke(app, ["serve", "--port", "1"])
    assert served.exit_code == 2
    assert "the [vi] table is missing" in served.output
