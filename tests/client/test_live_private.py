"""`Client.private_check` against a live server whose keyed set holds one report's values."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.client.conftest import REPORTED_ACCOUNT, REPORTED_PHONE, LiveServer

from tipline.client import Client, InvalidValue


@pytest.fixture
def tipline(live_server: LiveServer) -> Iterator[Client]:
    with Client(live_server.url, language="en") as client:
        yield client


def test_a_reported_phone_is_reported_privately_as_publicly(tipline: Client) -> None:
    private = tipline.private_check("0987 654 321")
    public = tipline.check("0987 654 321")
    assert (private.kind, private.value) == ("phone", REPORTED_PHONE)
    assert private.verdict == public.verdict == "reported"
    assert private.report_count == public.report_count == 1
    assert (private.confirmed, private.allowlisted) == (public.confirmed, public.allowlisted)
    assert private.key_id


def test_a_reported_account_is_reported(tipline: Client) -> None:
    result = tipline.private_check("VCB:0123456789")
    assert (result.kind, result.value, result.verdict) == (
        "bank_account",
        REPORTED_ACCOUNT,
        "reported",
    )


def test_a_value_nobody_reported_is_not_reported(tipline: Client) -> None:
    result = tipline.private_check("0912 000 111")
    assert (result.verdict, result.report_count, result.categories) == ("not_reported", 0, {})


def test_no_indicator_is_refused_by_the_client(tipline: Client) -> None:
    with pytest.raises(InvalidValue) as refused:
        tipline.private_check("hello there")
    assert "'hello there' is not a phone number" in refused.value.message
