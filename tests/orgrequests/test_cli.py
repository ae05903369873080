"""`tipline organisations answers` and `tipline requests remind` on a fresh SQLite database."""

from __future__ import annotations

from typer.testing import CliRunner

from tipline.cli import app
from tipline.settings import Settings

runner = CliRunner()


def test_an_organisation_answers_for_its_bank_code(settings: Settings) -> None:
    runner.invoke(app, ["organisations", "add", "Vietcombank", "--kind", "bank"])
    said = runner.invoke(app, ["organisations", "answers", "Vietcombank", "--bank-code", "vcb",
                               "--response-hours", "freeze=1,takedown=12"])  # fmt: skip
    assert said.exit_code == 0, said.output
    assert "bank code VCB" in said.output
    assert "'freeze': 1" in said.output
    bad = runner.invoke(app, ["organisations", "answers", "Vietcombank", "--response-hours", "x"])
    assert bad.exit_code == 2
    reminded = runner.invoke(app, ["requests", "remind"])
    assert (reminded.exit_code, reminded.output.strip()) == (0, "0 overdue requests reminded")
