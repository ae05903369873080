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
