"""The private check over the API with the client half: a reported value opens its verdict (the
public check's), an unreported one is not_reported, the request never holds the value, the set
follows the database, a rotation keeps answering, and bad requests and answers fail cleanly."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import ReportMaker
from tests.principals import staff

from tipline.client.private import (
    PrivateCheckError,
    PrivateVerdict,
    decode_bytes,
    encode_bytes,
    open_answer,
    prepare,
)
from tipline.db_types import utc_now
from tipline.indicators.models import IndicatorRecord
from tipline.privatecheck import service
from tipline.privatecheck.models import PrivateCheckEntry, PrivateCheckFollow
from tipline.reports.models import Report
from tipline.settings import Settings
from tipline.workspace.service import review_indicator

URL = "/api/v1/private-check"
PHONE = ("phone", "+84987654321")  # the default narrative's phone
OTHER = "Gọi từ số 0911 222 444 nói tôi trúng thưởng, bảo chuyển phí vào STK 555666777 ACB."


def ask(
    client: TestClient, kind: str, value: str, sent: list[bytes] | None = None
) -> PrivateVerdict:
    parameters = client.get(URL).json()
    prepared = prepare(kind, value, parameters)
    body = json.dumps(prepared.request).encode()
    if sent is not None:
        sent.append(body)
    response = client.post(URL, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    return open_answer(prepared, response.json())


@pytest.fixture
def built(
    make_report: ReportMaker, session_factory: sessionmaker[Session], settings: Settings
) -> service.Built:
    make_report()
    make_report()
    return service.build(session_factory, settings)


@pytest.fixture
def keyed(session_factory: sessionmaker[Session], settings: Settings) -> service.Built:
    """A key and its (empty) set: enough to answer."""
    return service.build(session_factory, settings)


def public(client: TestClient, value: str) -> tuple[Any, ...]:
    body = client.get("/api/v1/check", params={"value": value}).json()
    fields = ("verdict", "confirmed", "allowlisted", "report_count", "categories")
    return tuple(body[name] for name in fields)


def private(verdict: PrivateVerdict) -> tuple[Any, ...]:
    return (
        verdict.verdict, verdict.confirmed, verdict.allowlisted, verdict.report_count,
        verdict.categories,
    )  # fmt: skip


def test_a_reported_value_opens_the_public_checks_verdict(
    client: TestClient, built: service.Built
) -> None:
    sent: list[bytes] = []
    verdict = ask(client, *PHONE, sent=sent)
    assert verdict.verdict == "reported"
    assert verdict.report_count == 2
    assert private(verdict) == public(client, "0987654321")
    account = ask(client, "bank_account", "VCB:0123456789")
    assert private(account) == public(client, "VCB:0123456789")
    assert account.key_id == built.key_id
    # What went to the server: a bucket and an element, nothing of the value.
    assert all(b"987654321" not in body and b"phone" not in body for body in sent)
    assert set(json.loads(sent[0])) == {"bucket", "blinded"}


def test_an_unreported_value_is_not_reported(client: TestClient, built: service.Built) -> None:
    assert ask(client, "phone", "+84987654320").verdict == "not_reported"
    assert ask(client, "domain", "example-never-reported.vn").verdict == "not_reported"
    assert built.entries >= 3


def test_entries_saved_before_their_answer_json_answer_alike_until_the_sweep_writes_it(
    client: TestClient,
    built: service.Built,
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    db_session.execute(update(PrivateCheckEntry).values(answer_json=None))  # as migrated
    db_session.commit()
    assert ask(client, *PHONE).verdict == "reported"  # encoded at the check
    assert service.follow(session_factory, settings) is not None  # its sweep re-saves them
    written = db_session.scalars(select(PrivateCheckEntry.answer_json)).all()
    assert len(written) == built.entries
    assert all(text is not None and text.startswith('["') for text in written)
    assert ask(client, *PHONE).verdict == "reported"
    assert ask(client, "phone", "+84987654320").verdict == "not_reported"


def test_a_new_reports_indicator_is_checkable_after_the_follow_job(
    client: TestClient,
    built: service.Built,
    make_report: ReportMaker,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    make_report(OTHER)
    assert ask(client, "phone", "+84911222444").verdict == "not_reported"  # not yet followed
    followed = service.follow(session_factory, settings)
    assert followed is not None
    assert followed.changed >= 2
    assert ask(client, "phone", "+84911222444").verdict == "reported"
    assert ask(client, "bank_account", "ACB:555666777").verdict == "reported"


def test_rejected_and_expired_indicators_leave_the_set(
    client: TestClient,
    make_report: ReportMaker,
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    receipt = make_report(OTHER)
    make_report()
    service.build(session_factory, settings)
    phone = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "+84911222444")
    )
    assert phone is not None
    report = db_session.scalar(select(Report.id).where(Report.code == receipt.code))
    assert report is not None
    review_indicator(db_session, staff("analyst:lan"), report, phone, "rejected")
    settings = settings.model_copy(update={"private_check_expiry_days": 180})
    long_ago = utc_now() - timedelta(days=181)
    db_session.execute(
        update(IndicatorRecord)
        .where(IndicatorRecord.value == "+84987654321")
        .values(last_seen=long_ago)
    )
    db_session.commit()
    assert service.follow(session_factory, settings) is not None
    assert ask(client, "phone", "+84911222444").verdict == "not_reported"
    assert ask(client, "phone", "+84987654321").verdict == "not_reported"
    assert ask(client, "bank_account", "ACB:555666777").verdict == "reported"


def test_by_default_an_old_report_stays_reported_as_the_public_check_says(
    client: TestClient,
    make_report: ReportMaker,
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    make_report()
    db_session.execute(
        update(IndicatorRecord)
        .where(IndicatorRecord.value == "+84987654321")
        .values(last_seen=utc_now() - timedelta(days=3 * 365))
    )
    db_session.commit()
    service.build(session_factory, settings)
    assert service.follow(session_factory, settings) is not None
    assert public(client, "+84987654321")[0] == "reported"
    assert ask(client, "phone", "+84987654321").verdict == "reported"


def test_a_rotation_answers_throughout_and_switches_keys(
    client: TestClient,
    built: service.Built,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    during: list[PrivateVerdict] = []
    rotated = service.rotate(
        session_factory, settings, progress=lambda _read: during.append(ask(client, *PHONE))
    )
    assert rotated.key_id != built.key_id
    assert [(v.verdict, v.key_id) for v in during] == [("reported", built.key_id)]
    after = ask(client, *PHONE)
    assert (after.verdict, after.key_id) == ("reported", rotated.key_id)
    assert client.get(URL).json()["key_id"] == rotated.key_id
    assert rotated.entries == built.entries


def test_the_build_in_two_processes_gives_the_same_set(
    client: TestClient,
    built: service.Built,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    rebuilt = service.build(session_factory, settings, processes=2)
    assert (rebuilt.key_id, rebuilt.entries) == (built.key_id, built.entries)
    assert ask(client, *PHONE).verdict == "reported"


def test_a_tampered_answer_fails_cleanly(client: TestClient, built: service.Built) -> None:
    prepared = prepare(*PHONE, client.get(URL).json())
    answer = client.post(URL, json=prepared.request).json()
    assert answer["entries"]
    tampered = []
    for tag, sealed in answer["entries"]:
        flipped = bytearray(decode_bytes(sealed))
        flipped[20] ^= 0x40
        tampered.append([tag, encode_bytes(bytes(flipped))])
    with pytest.raises(PrivateCheckError, match="does not open"):
        open_answer(prepared, {**answer, "entries": tampered})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bucket": "zz12", "blinded": encode_bytes(b"\x02" * 32)}, "bucket"),
        ({"bucket": "12345", "blinded": encode_bytes(b"\x02" * 32)}, "bucket"),
        ({"bucket": "ABCD", "blinded": encode_bytes(b"\x02" * 32)}, "bucket"),
        ({"bucket": "abcd", "blinded": "not base64!"}, "blinded"),
        ({"bucket": "abcd", "blinded": encode_bytes(b"\x02" * 31)}, "blinded"),
        ({"bucket": "abcd", "blinded": encode_bytes(b"\xff" * 32)}, "blinded"),
    ],
)
def test_a_malformed_bucket_or_element_is_refused_with_its_field(
    client: TestClient, keyed: service.Built, body: dict[str, str], field: str
) -> None:
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_without_a_key_the_check_says_it_is_not_ready(client: TestClient) -> None:
    assert client.get(URL).status_code == 409
    response = client.post(URL, json={"bucket": "abcd", "blinded": encode_bytes(b"\x02" * 32)})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready"


def test_a_new_installation_gets_its_first_set_once(
    client: TestClient,
    make_report: ReportMaker,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    make_report()
    first = service.build_first_set(session_factory, settings)
    assert first is not None
    assert first.entries > 0
    assert service.build_first_set(session_factory, settings) is None  # a key exists: no other
    assert client.get(URL).json()["key_id"] == first.key_id


def test_past_the_public_limit_an_address_is_answered_429_and_a_platform_token_is_served(
    settings: Settings,
    session_factory: sessionmaker[Session],
    db_session: Session,
    keyed: service.Built,
) -> None:
    from tipline.accounts import service as accounts
    from tipline.app import create_app
    from tipline.partners.service import add_organisation

    add_organisation(db_session, "cli:test", "Bank X", "bank")
    accounts.create_user(
        db_session, "cli:test", "bankx", "platform", "correct horse battery", organisation="Bank X"
    )
    token = accounts.create_token(db_session, "cli:test", "bankx", "checks").plaintext
    db_session.commit()
    low = {
        "rate_limit_private_checks": "3/minute",
        "rate_limit_checks": "100/minute",
        "rate_limit_platform_checks": "50/minute",
    }
    app = create_app(settings=settings.model_copy(update=low), session_factory=session_factory)
    with (
        TestClient(app, client=("203.0.113.5", 5000)) as flood,
        TestClient(app, client=("198.51.100.7", 5000)) as citizen,
    ):
        assert ask(flood, *PHONE).verdict == "not_reported"  # a GET and a POST: two
        assert flood.get(URL).status_code == 200
        refused = flood.post(URL, json={"bucket": "abcd", "blinded": encode_bytes(b"\x02" * 32)})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert flood.get("/api/v1/check", params={"value": "0912345678"}).status_code == 200
        assert ask(citizen, *PHONE).verdict == "not_reported"
        # The same address with a bank's platform token: counted against the token, 50 a minute.
        flood.headers["Authorization"] = f"Bearer {token}"
        assert [ask(flood, *PHONE).verdict for _ in range(10)] == ["not_reported"] * 10


def test_a_rotation_forgets_an_interrupted_ones_key(
    client: TestClient,
    keyed: service.Built,
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    left = service.new_key(db_session, settings)  # a rotation stopped while building
    db_session.commit()
    assert service.status(db_session).building_key == left.key_id
    rotated = service.rotate(session_factory, settings)
    state = service.status(db_session)
    assert (state.active_key, state.building_key) == (rotated.key_id, None)
    assert client.get(URL).json()["key_id"] == rotated.key_id


def test_the_facts_of_many_changed_indicators_are_read_a_chunk_at_a_time(
    built: service.Built, db_session: Session
) -> None:
    from tipline.privatecheck import repository

    ids = set(db_session.scalars(select(IndicatorRecord.id)))
    whole = repository.facts_of(db_session, ids)
    assert [f.id for f in whole] == sorted(ids)
    assert repository.facts_of(db_session, ids, chunk=1) == whole
    phone = next(f for f in whole if f.value == "+84987654321")
    assert (sum(phone.categories.values()), list(phone.feed_categories)) == (2, [])


def test_the_follow_job_seals_again_only_what_changed_since_its_last_round(
    client: TestClient,
    built: service.Built,
    make_report: ReportMaker,
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The sweep aside (it seals every indicator it reads, and here it reads them all).
    monkeypatch.setattr(service.repository, "indicator_ids_after", lambda *_: [])
    make_report(OTHER)
    assert service.follow(session_factory, settings) is not None
    phone = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "+84911222444")
    )
    account = db_session.scalar(
        select(IndicatorRecord.id).where(IndicatorRecord.value == "ACB:555666777")
    )

    def sealed() -> tuple[bytes | None, bytes | None]:
        db_session.expire_all()
        entries = select(PrivateCheckEntry.indicator_id, PrivateCheckEntry.sealed)
        found = {ident: blob for ident, blob in db_session.execute(entries)}
        return found.get(phone), found.get(account)

    first = sealed()
    assert None not in first
    # Within the overlap both are read again: unchanged, neither is sealed again.
    assert service.follow(session_factory, settings) is not None
    assert sealed() == first
    # A second report of the phone only: its entry (two reports now) is sealed again.
    make_report("Lại số 0911 222 444 gọi đòi tiền.")
    assert service.follow(session_factory, settings) is not None
    second = sealed()
    assert second[0] != first[0]
    assert second[1] == first[1]
    assert ask(client, "phone", "+84911222444").report_count == 2
    # Another process's round (the row moved): everything read is sealed again.
    db_session.execute(
        update(PrivateCheckFollow).values(changes_since=utc_now() - timedelta(seconds=5))
    )
    db_session.commit()
    assert service.follow(session_factory, settings) is not None
    third = sealed()
    assert third[0] != second[0]
    assert third[1] != second[1]
    assert ask(client, "bank_account", "ACB:555666777").verdict == "reported"
