"""`tipline sharing publish`, `tipline export stix` and `tipline import stix` end to end, on a
fresh SQLite database in a temporary data folder; `tipline import FILE` still imports reports."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from tests.sharing.stix_checks import problems
from tests.sharing.stix_fixtures import confirm
from typer.testing import CliRunner

from tipline.cli import app
from tipline.indicators.models import IndicatorSource
from tipline.reports.models import Report
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()


def reports_confirmed(settings: Settings, tmp_path: Path) -> None:
    file = tmp_path / "reports.jsonl"
    file.write_text(
        '{"id": "1", "narrative": "Gọi từ số 0912 345 678, chuyển vào STK 0123456789 '
        'Vietcombank"}\n',
        encoding="utf-8",
    )
    imported = runner.invoke(app, ["import", str(file), "--source", "hotline"])
    assert imported.exit_code == 0, imported.output
    with open_database(settings)() as session:
        for code in session.scalars(select(Report.code)):
            confirm(session, code)
        session.commit()


def test_publish_export_and_import(settings: Settings, tmp_path: Path) -> None:
    reports_confirmed(settings, tmp_path)
    published = runner.invoke(app, ["sharing", "publish"])
    assert published.exit_code == 0, published.output
    assert "3 published anew (20 objects), 0 unchanged" in published.output
    out = tmp_path / "bundle.json"
    exported = runner.invoke(app, ["export", "stix", "--tlp", "amber", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "2 indicators, 20 objects (TLP:AMBER and below)" in exported.output
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert problems(bundle) == []
    clear = runner.invoke(app, ["export", "stix", "--out", str(tmp_path / "clear.json")])
    assert "0 indicators, 12 objects (TLP:CLEAR and below)" in clear.output

    imported = runner.invoke(app, ["import", "stix", str(out), "--source", "Thai CCIB"])
    assert imported.exit_code == 0, imported.output
    assert "2 indicators imported from Thai CCIB, 0 withdrawn, 0 skipped" in imported.output
    with open_database(settings)() as session:
        sources = session.scalars(select(IndicatorSource.source)).all()
    assert sources == ["Thai CCIB", "Thai CCIB"]


def test_user_errors_are_one_line_and_exit_2(settings: Settings, tmp_path: Path) -> None:
    bad_tlp = runner.invoke(
        app, ["export", "stix", "--tlp", "orange", "--out", str(tmp_path / "b")]
    )
    assert bad_tlp.exit_code == 2
    assert "a TLP is one of clear, green" in bad_tlp.output
    not_json = tmp_path / "not.json"
    not_json.write_text("{", encoding="utf-8")
    for document, message in [
        (not_json, "cannot read"),
        (tmp_path / "missing.json", "cannot read"),
    ]:
        result = runner.invoke(app, ["import", "stix", str(document), "--source", "x"])
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
    not_bundle = tmp_path / "list.json"
    not_bundle.write_text('{"type": "report"}', encoding="utf-8")
    refused = runner.invoke(app, ["import", "stix", str(not_bundle), "--source", "x"])
    assert refused.exit_code == 2
    assert refused.output.strip() == 'error: not a STIX 2.1 bundle: its "type" is not "bundle"'
    with open_database(settings)() as session:
        assert session.scalar(select(func.count()).select_from(IndicatorSource)) == 0


def test_import_keeps_importing_reports(settings: Settings, tmp_path: Path) -> None:
    file = tmp_path / "r.jsonl"
    file.write_text('{"id": "9", "narrative": "Gọi từ số 0912 345 678"}\n', encoding="utf-8")
    for words in (["import", str(file)], ["import", "reports", str(file), "--source", "import"]):
        result = runner.invoke(app, words)
        assert result.exit_code == 0, result.output
    assert "1 imported" in runner.invoke(app, ["import", "--source", "other", str(file)]).output
    assert "stix" in runner.invoke(app, ["import", "--help"]).output
