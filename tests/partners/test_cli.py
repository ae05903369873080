"""`tipline partners …` and `tipline organisations …` on a fresh SQLite database."""

from __future__ import annotations

from typer.testing import CliRunner

from tipline.cli import app
from tipline.settings import Settings

runner = CliRunner()


def test_partners_add_and_list(settings: Settings) -> None:
    added = runner.invoke(
        app, ["partners", "add", "Thai CCIB", "--country", "TH", "--contacts", "ccib@example.th"]
    )
    assert (added.exit_code, added.output) == (0, "partner 1 Thai CCIB (TH) added\n")
    listed = runner.invoke(app, ["partners", "list"])
    assert listed.exit_code == 0
    assert "Thai CCIB" in listed.output
    assert "ccib@example.th" not in listed.output  # contacts are not listed
    again = runner.invoke(app, ["partners", "add", "Thai CCIB", "--country", "TH"])
    assert (again.exit_code, again.output.strip()) == (
        2,
        "error: partner 'Thai CCIB' already exists",
    )


def test_organisations_add_and_list(settings: Settings) -> None:
    added = runner.invoke(app, ["organisations", "add", "Vietcombank", "--kind", "bank"])
    assert (added.exit_code, added.output) == (0, "organisation 1 Vietcombank (bank) added\n")
    listed = runner.invoke(app, ["organisations", "list"])
    assert "Vietcombank" in listed.output
    assert "bank" in listed.output
    bad = runner.invoke(app, ["organisations", "add", "Lucky88", "--kind", "casino"])
    assert bad.exit_code == 2
    assert bad.output.strip() == (
        "error: an organisation's kind is one of bank, telecom, platform, other"
    )


def test_partners_policy_shows_and_changes_a_policy(settings: Settings) -> None:
    runner.invoke(app, ["partners", "add", "Thai CCIB", "--country", "TH"])
    shown = runner.invoke(app, ["partners", "policy", "Thai CCIB"])
    assert (shown.exit_code, shown.output) == (
        0,
        "Thai CCIB (TH)\n"
        "  highest TLP: TLP:CLEAR\n"
        "  categories:  all\n"
        "  kinds:       all\n"
        "  campaigns:   no\n",
    )
    options = ["--max-tlp", "amber", "--kinds", "phone,url", "--campaigns"]
    changed = runner.invoke(app, ["partners", "policy", "Thai CCIB", *options])
    assert changed.exit_code == 0
    assert changed.output.splitlines()[0] == "policy of Thai CCIB set"
    assert "  highest TLP: TLP:AMBER" in changed.output
    assert "  kinds:       phone, url" in changed.output
    assert "  campaigns:   yes" in changed.output
    listed = runner.invoke(app, ["partners", "list"], env={"COLUMNS": "200"})
    assert "TLP:AMBER · categories: all · kinds: phone, url · campaigns" in listed.output
    wrong = runner.invoke(app, ["partners", "policy", "Thai CCIB", "--categories", "lottery"])
    assert wrong.exit_code == 2
    assert wrong.output.startswith("error: no category 'lottery'")
    missing = runner.invoke(app, ["partners", "policy", "Nobody"])
    assert (missing.exit_code, missing.output.strip()) == (2, "error: no partner 'Nobody'")
