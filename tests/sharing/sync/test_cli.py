"""`tipline partners endpoint` and `tipline partners sync`: one line for each outcome."""

from __future__ import annotations

from sqlalchemy import select
from tests.live_server import free_port
from typer.testing import CliRunner

from tipline.cli import app
from tipline.db import make_engine, make_session_factory
from tipline.settings import Settings
from tipline.sharing.sync.models import PartnerEndpoint

runner = CliRunner()


def test_endpoint_then_sync_of_an_unreachable_server(settings: Settings) -> None:
    assert runner.invoke(app, ["partners", "add", "Thai CCIB", "--country", "TH"]).exit_code == 0
    url = f"http://127.0.0.1:{free_port()}/taxii2/"
    command = ["partners", "endpoint", "Thai CCIB", "--url", url, "--user", "tipline"]
    added = runner.invoke(app, [*command, "--secret-stdin"], input="hunter2\n")
    assert (added.exit_code, added.output) == (
        0,
        f"partner Thai CCIB: TAXII server {url} (basic)\n",
    )
    engine = make_engine(settings.sqlalchemy_url)
    with make_session_factory(engine)() as session:
        stored = session.scalars(select(PartnerEndpoint)).one()
        assert "hunter2" not in stored.sealed_secret
    engine.dispose()

    synced = runner.invoke(app, ["partners", "sync", "Thai CCIB"])
    assert synced.exit_code == 2
    assert synced.output.strip().splitlines()[-1] == (
        f"error: cannot reach http://127.0.0.1:{url.split(':')[2].split('/')[0]}: "
        "is the URL right and up?"
    )
    assert "hunter2" not in synced.output
    every = runner.invoke(app, ["partners", "sync"])  # every partner: each failure named
    assert every.exit_code == 2
    assert every.output.strip().splitlines()[-1].startswith("error: Thai CCIB: cannot reach ")


def test_endpoint_refuses_a_bad_url_and_an_unknown_partner(settings: Settings) -> None:
    runner.invoke(app, ["partners", "add", "Thai CCIB", "--country", "TH"])
    bad = ["partners", "endpoint", "Thai CCIB", "--url", "ftp://x", "--token", "--secret-stdin"]
    refused = runner.invoke(app, bad, input="t0ken\n")
    assert refused.exit_code == 2
    assert refused.output.strip().startswith("error: a TAXII server's URL starts with https://")
    unknown = ["partners", "endpoint", "Nobody", "--url", "https://p.example/", "--token",
               "--secret-stdin"]  # fmt: skip
    missing = runner.invoke(app, unknown, input="t0ken\n")
    assert (missing.exit_code, missing.output.strip()) == (2, "error: no partner 'Nobody'")


def test_sync_without_any_server_says_so(settings: Settings) -> None:
    result = runner.invoke(app, ["partners", "sync"])
    assert (result.exit_code, result.output.strip()) == (
        0,
        "no partner has a TAXII server: `tipline partners endpoint NAME --url …`",
    )


def _rejected(settings: Settings) -> None:
    """The partner's server rejected one of our objects (as `tipline partners sync` records)."""
    from tipline.db_types import utc_now
    from tipline.partners.models import Partner
    from tipline.sharing.sync.repository import remember_pushed

    engine = make_engine(settings.sqlalchemy_url)
    with make_session_factory(engine)() as session:
        partner = session.scalars(select(Partner)).one()
        when = utc_now()
        rejected = {"indicator--refused": (when, "pattern type not supported")}
        remember_pushed(session, partner.id, "inbox", {"indicator--taken": when}, when, rejected)
        session.commit()
    engine.dispose()


def _cells(output: str, bar: str, holding: str = "") -> list[str]:
    """The cells of the first table line with `bar` separators (and `holding` in it)."""
    line = next(text for text in output.splitlines() if bar in text and holding in text)
    return [cell.strip() for cell in line.split(bar)[1:-1]]


def test_the_rejections_of_a_partners_server_are_listed(settings: Settings) -> None:
    runner.invoke(app, ["partners", "add", "Thai CCIB", "--country", "TH"])
    _rejected(settings)
    listed = runner.invoke(app, ["partners", "list"], env={"COLUMNS": "200"})
    assert _cells(listed.output, "┃")[-1] == "rejected"
    assert _cells(listed.output, "│", "Thai CCIB")[-1] == "1"
    shown = runner.invoke(app, ["partners", "rejections", "Thai CCIB"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert shown.output.splitlines()[0] == "Thai CCIB: 1 objects rejected by its server"
    row = _cells(shown.output, "│", "indicator--refused")
    assert (row[0], row[-1]) == ("indicator--refused", "pattern type not supported")
    assert "indicator--taken" not in shown.output
    missing = runner.invoke(app, ["partners", "rejections", "Nobody"])
    assert (missing.exit_code, missing.output.strip()) == (2, "error: no partner 'Nobody'")
