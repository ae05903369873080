"""The client against a real tipline server: each method, and what it raises on bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.client.conftest import REPORTED_ACCOUNT, REPORTED_PHONE, LiveServer

from tipline.client import CheckRejected, CheckResult, Client, InvalidValue, NotFound
from tipline.vocabulary import MAX_VALUE_LENGTH


@pytest.fixture
def tipline(live_server: LiveServer) -> Iterator[Client]:
    with Client(live_server.url, language="en") as client:
        yield client


def test_check_reads_the_value_the_servers_way_and_gives_its_verdict(tipline: Client) -> None:
    result = tipline.check("0987 654 321")
    assert isinstance(result, CheckResult)
    assert (result.input, result.kind, result.value) == ("0987 654 321", "phone", REPORTED_PHONE)
    assert result.verdict == "reported"
    assert result.reported
    assert (result.report_count, result.confirmed, result.allowlisted) == (1, False, False)
    # One unconfirmed report: the server discloses no categories or dates yet.
    assert (result.categories, result.first_seen, result.sources) == ({}, None, ())


def test_check_of_a_value_nobody_reported(tipline: Client) -> None:
    result = tipline.check("0912 000 111")
    assert (result.verdict, result.reported, result.report_count) == ("not_reported", False, 0)
    assert result.value == "+84912000111"


def test_check_of_no_indicator_raises_the_servers_message(tipline: Client) -> None:
    with pytest.raises(InvalidValue) as refused:
        tipline.check("hello there")
    assert refused.value.status == 422
    assert refused.value.code == "invalid_input"
    assert refused.value.field == "value"
    assert "'hello there' is not a phone number" in refused.value.message


@pytest.mark.parametrize(
    "value",
    ["", "   ", "x" * (MAX_VALUE_LENGTH + 1), "\x00\x01'; DROP TABLE indicators;--", "%00"],
)
def test_hostile_values_are_refused_with_a_message(tipline: Client, value: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        tipline.check(value)
    assert refused.value.status == 422
    assert refused.value.message


def test_check_in_vietnamese(live_server: LiveServer) -> None:
    with Client(live_server.url, language="vi") as tipline, pytest.raises(InvalidValue) as refused:
        tipline.check("   ")
    assert (
        refused.value.message
        == "Hãy nhập số điện thoại, số tài khoản hoặc đường link cần kiểm tra."
    )


def test_check_many_answers_each_value_in_order(tipline: Client) -> None:
    results = tipline.check_many(["0987654321", "hello", "VCB:0123456789", "0912000111"])
    assert [type(r) for r in results] == [CheckResult, CheckRejected, CheckResult, CheckResult]
    first, rejected, account, unknown = results
    assert isinstance(first, CheckResult)
    assert first.verdict == "reported"
    assert isinstance(rejected, CheckRejected)
    assert rejected.input == "hello"
    assert "not a phone number" in rejected.error
    assert isinstance(account, CheckResult)
    assert (account.value, account.verdict) == (REPORTED_ACCOUNT, "reported")
    assert isinstance(unknown, CheckResult)
    assert unknown.verdict == "not_reported"


def test_check_many_sends_more_than_a_thousand_values_in_batches(tipline: Client) -> None:
    values = [f"09120{n:05d}" for n in range(1500)] + ["0987654321"]
    results = tipline.check_many(values)
    assert len(results) == 1501
    assert [r.value for r in results[:2] if isinstance(r, CheckResult)] == [
        "+84912000000",
        "+84912000001",
    ]
    last = results[-1]
    assert isinstance(last, CheckResult)
    assert last.verdict == "reported"


def test_check_many_of_nothing_asks_nothing(tipline: Client) -> None:
    assert tipline.check_many([]) == []


def test_check_many_takes_strings_only(tipline: Client) -> None:
    with pytest.raises(TypeError):
        tipline.check_many([123])  # type: ignore[list-item]


def test_a_path_the_server_does_not_have_is_not_found(live_server: LiveServer) -> None:
    with Client(live_server.url + "/nowhere") as tipline, pytest.raises(NotFound) as refused:
        tipline.check("0987654321")
    assert refused.value.status == 404
