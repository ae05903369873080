"""Published STIX objects of every indicator kind, a campaign and its relationships, made by
the STIX builders (`tipline.sharing.stix`) the way publishing makes them: the MISP tests' input."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from uuid import UUID

import pytest

from tipline.sharing.misp import Org, Shared
from tipline.sharing.patterns import observable
from tipline.sharing.stix import (
    CampaignShare,
    IndicatorShare,
    Version,
    campaign_object,
    identity_id,
    indicator_objects,
    relationship,
    revoked,
)
from tipline.sharing.tlp import Tlp

NAME = "Vietnam tipline (test)"
CREATOR = identity_id(NAME)
ORG = Org(NAME, CREATOR.partition("--")[2])
FIRST = datetime(2026, 11, 3, 8, tzinfo=UTC)
LAST = datetime(2026, 11, 19, 16, tzinfo=UTC)
VERSION = Version(datetime(2026, 11, 20, 10, 30, tzinfo=UTC), datetime(2026, 11, 20, 10, 30))

# kind → a canonical value
VALUES: dict[str, str] = {
    "url": "https://vietcombank-xacthuc.com/login",
    "domain": "vietcombank-xacthuc.com",
    "email": "hotro.cskh@gmail.com",
    "ip": "103.97.125.12",
    "phone": "+84912345678",
    "bank_account": "VCB:0451000123999",
    "crypto": "trx:TA4Y62o6YC2Zsck9rZVGTvqW1AQ7X9zTnj",
    "hash": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "social": "telegram:hotro_vcb",
}


def shared(
    kind: str,
    value: str | None = None,
    tlp: Tlp = Tlp.CLEAR,
    categories: tuple[str, ...] = ("fraud.investment",),
    reports: int = 1,
    first: datetime = FIRST,
    withdrawn: bool = False,
) -> list[Shared]:
    """The four objects of one shared indicator: indicator, observable, observed-data and
    sighting (revoked versions when `withdrawn`)."""
    value = value or VALUES[kind]
    item = observable(kind, value)
    assert item is not None
    share = IndicatorShare(kind, value, tlp, categories, reports, first, max(first, LAST))
    bodies = indicator_objects(share, item, CREATOR, VERSION)
    if withdrawn:
        bodies = [revoked(b, LAST) if b["type"] != item.type else b for b in bodies]
    return [Shared(body, tlp, kind, categories, withdrawn) for body in bodies]


def indicator(kind: str, **options: object) -> Shared:
    """The `indicator` object alone of `shared(kind, …)`."""
    return shared(kind, **options)[0]  # type: ignore[arg-type]


CAMPAIGN_UID = UUID("11111111-2222-4333-8444-555555555555")


def campaign(tlp: Tlp = Tlp.CLEAR) -> Shared:
    share = CampaignShare(CAMPAIGN_UID, tlp, ("fraud.impersonation",), 4, FIRST, LAST, ())
    return Shared(campaign_object(share, CREATOR, VERSION), tlp, None, share.categories)


def indicates(source: Shared, target: Shared) -> Shared:
    body = relationship(
        "indicates", source.body["id"], target.body["id"], source.tlp, CREATOR, VERSION
    )
    return Shared(body, source.tlp, None, source.categories)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shut the network for a test module that imports this: pymisp must not need it."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the MISP tests touched the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
