"""`tipline export misp` and `tipline import misp` end to end, on a fresh SQLite database in a
temporary data folder, the feed read with pymisp."""

from __future__ import annotations

import json
from pathlib import Path

from pymisp import MISPEvent
from sqlalchemy import select
from tests.sharing.test_misp_read import partner_event
from tests.sharing.test_stix_cli import reports_confirmed
from typer.testing import CliRunner

from tipline.cli import app
from tipline.indicators.models import IndicatorSource
from tipline.server.console import open_database
from tipline.settings import Settings
from tipline.sharing.misp_feed import HASHES, MANIFEST

runner = CliRunner()


def test_export_a_feed_and_import_it_back(settings: Settings, tmp_path: Path) -> None:
    reports_confirmed(settings, tmp_path)
    feed = tmp_path / "feed"
    exported = runner.invoke(app, ["export", "misp", "--tlp", "amber", "--out", str(feed)])
    assert exported.exit_code == 0, exported.output
    assert "1 MISP events, 2 indicators (TLP:AMBER and below)" in exported.output
    (uid,) = json.loads((feed / MANIFEST).read_text())
    event = MISPEvent()
    event.load_file(feed / f"{uid}.json")
    assert {a.type: a.value for a in event.attributes} == {"phone-number": "+84912345678"}
    (account,) = event.objects
    assert {a.object_relation: a.value for a in account.attributes} == {
        "account": "0123456789",
        "institution-code": "VCB",
        "institution-name": "Vietcombank",
    }
    assert [t.name for t in event.tags][0] == "tlp:amber"
    assert len((feed / HASHES).read_text().splitlines()) == 4
    clear = runner.invoke(app, ["export", "misp", "--out", str(tmp_path / "clear")])
    assert "0 MISP events, 0 indicators (TLP:CLEAR and below)" in clear.output

    imported = runner.invoke(app, ["import", "misp", str(feed), "--source", "CCIB MISP"])
    assert imported.exit_code == 0, imported.output
    assert "2 indicators imported from CCIB MISP, 0 withdrawn, 0 skipped" in imported.output
    with open_database(settings)() as session:
        rows = session.scalars(select(IndicatorSource).order_by(IndicatorSource.id)).all()
    assert [(row.source, row.tlp) for row in rows] == [("CCIB MISP", "amber")] * 2


def test_another_misps_event_is_listed_under_its_organisation(
    settings: Settings, tmp_path: Path
) -> None:
    file = tmp_path / "event.json"
    file.write_text(json.dumps(partner_event()))
    imported = runner.invoke(app, ["import", "misp", str(file)])
    assert imported.exit_code == 0, imported.output
    lines = imported.output.splitlines()
    assert lines[0] == "5 indicators imported from Thai Police CCIB, 0 withdrawn, 1 skipped"
    assert lines[1].endswith(": a MISP text tipline does not keep")


def test_user_errors_are_one_line_and_exit_2(settings: Settings, tmp_path: Path) -> None:
    bad_tlp = runner.invoke(app, ["export", "misp", "--tlp", "white+", "--out", str(tmp_path)])
    assert bad_tlp.exit_code == 2
    assert bad_tlp.output.startswith("error: a TLP is one of clear, green")
    (tmp_path / "bad.json").write_text("{nope")
    bad_file = runner.invoke(app, ["import", "misp", str(tmp_path / "bad.json")])
    assert bad_file.exit_code == 2
    # One message (which the console wraps at its width, anywhere), no traceback.
    expected = f"error: cannot read MISP events from {tmp_path / 'bad.json'}: Expecting property"
    assert "".join(bad_file.output.split()).startswith("".join(expected.split()))
    assert "Traceback" not in bad_file.output
