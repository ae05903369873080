"""`tipline organisations agreement` and `tipline feeds refresh` on a fresh SQLite database."""

from __future__ import annotations

from typer.testing import CliRunner

from tipline.cli import app
from tipline.settings import Settings

runner = CliRunner()


def test_an_agreement_is_none_until_set_then_shown(settings: Settings) -> None:
    runner.invoke(app, ["organisations", "add", "Vietcombank", "--kind", "bank"])
    shown = runner.invoke(app, ["organisations", "agreement", "Vietcombank"])
    assert (shown.exit_code, shown.output) == (0, "Vietcombank (bank): none\n")
    changed = runner.invoke(
        app,
        ["organisations", "agreement", "Vietcombank", "--kinds", "phone,bank_account",
         "--categories", "all", "--min-confidence", "80"],
    )  # fmt: skip
    assert changed.exit_code == 0
    assert changed.output.splitlines() == [
        "agreement of Vietcombank set",
        "Vietcombank (bank): kinds: phone, bank_account · categories: all · confidence ≥ 80",
    ]
    bad = runner.invoke(app, ["organisations", "agreement", "Vietcombank", "--kinds", "fax"])
    assert bad.exit_code == 2
    assert bad.output.startswith("error: no indicator kind 'fax'")


def test_feeds_refresh_says_what_changed(settings: Settings) -> None:
    done = runner.invoke(app, ["feeds", "refresh"])
    assert (done.exit_code, done.output) == (
        0,
        "feed refreshed: 0 added, 0 changed (0 removed); last change 0\n",
    )
