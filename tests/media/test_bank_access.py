"""Who may use which bank, decided in the repository's query: principals × banks.

A world of three banks: "CSAM known" owned by organisation Owner, granted to organisation
Granted and partner agency Thai CCIB; "NCII" granted to nobody; "Other" granted to Granted.
Every caller lists, views, reads hashes of and matches against every bank: each sees exactly
the banks the table below says, and a bank it may not use answers as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests.media.banks import LEAD, bank_with, pdq, pdq_value
from tests.principals import staff

from tipline.errors import NotFound, NotPermitted
from tipline.media import service
from tipline.media.core import HashValue, Signal
from tipline.partners.service import add_organisation, add_partner
from tipline.principals import Caller, Principal, ReportHolder, Role

CSAM, NCII, OTHER = "CSAM known", "NCII", "Other"


@dataclass(frozen=True)
class World:
    callers: dict[str, Caller]
    banks: dict[str, int]


@pytest.fixture
def world(db_session: Session) -> World:
    owner = add_organisation(db_session, "cli:test", "Owner", "platform")
    granted = add_organisation(db_session, "cli:test", "Granted", "platform")
    stranger = add_organisation(db_session, "cli:test", "Stranger", "bank")
    ccib = add_partner(db_session, "cli:test", "Thai CCIB", "TH")
    other_partner = add_partner(db_session, "cli:test", "AFP", "AU")
    banks = {
        name: bank_with(db_session, name, kind, values=[pdq_value(pdq(seed))], **fields).id
        for name, kind, seed, fields in (
            (CSAM, "child", 1, {"owner_organisation": "Owner"}), (NCII, "ncii", 2, {}),
            (OTHER, "other", 3, {}),
        )
    }  # fmt: skip
    service.grant(db_session, LEAD, banks[CSAM], organisation="Granted")
    service.grant(db_session, LEAD, banks[CSAM], partner="Thai CCIB")
    service.grant(db_session, LEAD, banks[OTHER], organisation="Granted")

    def platform(org: int) -> Principal:
        return Principal(50 + org, f"p{org}", Role.PLATFORM, "token", organisation_id=org)

    def partner(ident: int) -> Principal:
        return Principal(80 + ident, f"q{ident}", Role.PARTNER, "token", partner_id=ident)

    callers: dict[str, Caller] = {
        "analyst": staff("analyst:lan"), "admin": staff("admin:root"),
        "owner platform": platform(owner.id), "granted platform": platform(granted.id),
        "stranger platform": platform(stranger.id), "granted partner": partner(ccib.id),
        "other partner": partner(other_partner.id),
        "platform of no organisation": Principal(60, "x", Role.PLATFORM, "token"),
        "citizen": ReportHolder(1), "anonymous": None,
    }  # fmt: skip
    return World(callers, banks)


EXPECTED = {
    "analyst": {CSAM, NCII, OTHER},
    "admin": {CSAM, NCII, OTHER},
    "owner platform": {CSAM},
    "granted platform": {CSAM, OTHER},
    "stranger platform": set(),
    "granted partner": {CSAM},
    "other partner": set(),
    "platform of no organisation": set(),
    "citizen": set(),
    "anonymous": set(),
}


def test_each_caller_uses_exactly_its_banks(db_session: Session, world: World) -> None:
    assert set(world.callers) == set(EXPECTED)
    every = [pdq_value(pdq(seed)) for seed in (1, 2, 3)]
    for name, caller in world.callers.items():
        listed = {s.bank.name for s in service.list_banks(db_session, caller)}
        assert listed == EXPECTED[name], name
        matched = {m.bank_name for ms in service.match(db_session, caller, every) for m in ms}
        assert matched == EXPECTED[name], name
        for bank, ident in world.banks.items():
            if bank in EXPECTED[name]:
                assert service.view_bank(db_session, caller, ident).summary.total == 1
                assert service.find_bank(db_session, caller, bank).id == ident
            else:
                with pytest.raises(NotFound):
                    service.view_bank(db_session, caller, ident)
                with pytest.raises(NotFound):
                    service.find_bank(db_session, caller, bank)


def test_only_staff_read_a_banks_hashes_or_change_it(db_session: Session, world: World) -> None:
    csam = world.banks[CSAM]
    assert len(service.bank_hashes(db_session, world.callers["analyst"], csam)) == 1
    for name in ("owner platform", "granted platform", "granted partner", "citizen", "anonymous"):
        caller = world.callers[name]
        with pytest.raises(NotPermitted):
            service.bank_hashes(db_session, caller, csam)
        with pytest.raises(NotPermitted):
            service.add_hashes(db_session, caller, csam, [pdq_value(pdq(9))], "x")
        with pytest.raises(NotPermitted):
            service.remove_hashes(db_session, caller, csam, [1])
        with pytest.raises(NotPermitted):
            service.grant(db_session, caller, csam, organisation="Stranger")
    assert service.view_bank(db_session, LEAD, csam).summary.total == 1


def test_exact_matches_follow_the_same_rule(db_session: Session, world: World) -> None:
    digest = "a" * 64
    service.add_hashes(db_session, LEAD, world.banks[NCII],
                       [HashValue(Signal.SHA256, digest)], "t")  # fmt: skip
    query = [HashValue(Signal.SHA256, digest)]
    assert [m.bank_name for m in service.match(db_session, LEAD, query)[0]] == [NCII]
    for name in ("granted platform", "owner platform", "granted partner", "anonymous"):
        assert service.match(db_session, world.callers[name], query) == [[]], name


def test_who_may_match_is_shown_to_staff_only(db_session: Session, world: World) -> None:
    view = service.view_bank(db_session, LEAD, world.banks[CSAM])
    assert (view.organisations, view.partners) == (["Granted"], ["Thai CCIB"])
    theirs = service.view_bank(db_session, world.callers["granted platform"], world.banks[CSAM])
    assert (theirs.organisations, theirs.partners) == ([], [])
