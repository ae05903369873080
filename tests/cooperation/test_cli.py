from __future__ import annotations

from datetime import timedelta

from tests.principals import staff
from typer.testing import CliRunner

from tipline.cli import app
from tipline.cooperation.service import Draft, change_status, create_request
from tipline.db_types import utc_now
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()
LAN = staff("analyst:lan")


def test_reminders_print_the_preservations_lapsing_soon(settings: Settings) -> None:
    draft = Draft("outgoing", "preservation", "A05", requested_authority="FBI")
    with open_database(settings)() as session:
        held = create_request(session, LAN, draft)
        fresh = create_request(session, LAN, draft)
        change_status(session, LAN, held.reference, "sent", now=utc_now() - timedelta(days=55))
        change_status(session, LAN, fresh.reference, "sent")
        until = held.preserved_until
    assert until is not None
    result = runner.invoke(app, ["cooperation", "reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{held.reference}\t{until.isoformat()}\tFBI\tpreservation\tsent",
        "1 lapsing within 7 days",
    ]
    wide = runner.invoke(app, ["cooperation", "reminders", "--days", "90"])
    assert wide.output.splitlines()[-1] == "2 lapsing within 90 days"
