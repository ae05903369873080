"""`tipline organisations webhook` and `tipline requests deliver --once` on a fresh SQLite
database."""

from __future__ import annotations

import time

from tests.orgrequests.webhook_receiver import receiving
from typer.testing import CliRunner

from tipline.cli import app
from tipline.orgrequests.delivery import enqueue
from tipline.partners.service import find_organisation
from tipline.sealing import sealing_key, unseal
from tipline.server.console import open_database
from tipline.settings import Settings

runner = CliRunner()


def _sealed_secret(settings: Settings) -> tuple[str | None, str | None]:
    with open_database(settings)() as session:
        organisation = find_organisation(session, "Vietcombank")
        return organisation.webhook_url, organisation.webhook_secret


def test_a_webhook_is_set_with_a_new_secret_shown_once_and_kept_sealed(settings: Settings) -> None:
    runner.invoke(app, ["organisations", "add", "Vietcombank", "--kind", "bank"])
    url = "https://api.vietcombank.example/tipline"
    set_it = runner.invoke(app, ["organisations", "webhook", "Vietcombank", "--url", url])
    assert set_it.exit_code == 0
    lines = set_it.output.splitlines()
    assert lines[0] == f"organisation Vietcombank: webhooks to {url}"
    secret = lines[1].removeprefix("secret (shown once, give it to the organisation): ")
    assert secret.startswith("whsec_")
    assert len(secret) > 40
    stored_url, sealed = _sealed_secret(settings)
    assert stored_url == url
    assert sealed is not None
    assert secret not in sealed
    assert unseal(sealing_key(settings.secret_key, settings.data_dir), sealed) == secret


def test_a_secret_from_stdin_a_refused_url_and_off(settings: Settings) -> None:
    runner.invoke(app, ["organisations", "add", "Vietcombank", "--kind", "bank"])
    command = ["organisations", "webhook", "Vietcombank", "--secret-stdin", "--url"]
    given = runner.invoke(app, [*command, "https://b.example/h"], input="s3cret-of-the-bank-1\n")
    assert (given.exit_code, given.output) == (
        0,
        "organisation Vietcombank: webhooks to https://b.example/h\n",
    )
    key = sealing_key(settings.secret_key, settings.data_dir)
    assert unseal(key, _sealed_secret(settings)[1] or "") == "s3cret-of-the-bank-1"
    plain = runner.invoke(app, [*command, "http://b.example/h"], input="s3cret-of-the-bank-1\n")
    assert plain.exit_code == 2
    assert plain.output.strip() == (
        "error: a webhook URL is https:// (http:// only to this machine, for a test)"
    )
    short = runner.invoke(app, [*command, "https://b.example/h"], input="short\n")
    assert short.output.strip() == "error: a webhook secret has at least 16 characters"
    off = runner.invoke(app, ["organisations", "webhook", "Vietcombank", "--off"])
    assert (off.exit_code, off.output) == (0, "organisation Vietcombank: no webhooks\n")
    assert _sealed_secret(settings) == (None, None)


def test_requests_deliver_once_posts_what_is_due(settings: Settings) -> None:
    runner.invoke(app, ["organisations", "add", "Vietcombank", "--kind", "bank"])
    secret = "s3cret-of-the-bank-1"
    with receiving(secret, int(time.time())) as receiver:
        command = ["organisations", "webhook", "Vietcombank", "--secret-stdin"]
        runner.invoke(app, [*command, "--url", receiver.url], input=secret + "\n")
        with open_database(settings)() as session:
            organisation = find_organisation(session, "Vietcombank")
            enqueue(session, organisation, "request.sent", {"reference": "YC-2026-000001"})
            session.commit()
        delivered = runner.invoke(app, ["requests", "deliver", "--once"])
        again = runner.invoke(app, ["requests", "deliver", "--once"])
    assert (delivered.exit_code, delivered.output) == (0, "1 delivered, 0 to retry, 0 given up\n")
    assert again.output == "0 delivered, 0 to retry, 0 given up\n"
    assert [(r.event, r.valid) for r in receiver.received] == [("request.sent", True)]
