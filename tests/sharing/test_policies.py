"""Partners' sharing policies: shown, changed (old and new in the audit log), refused when wrong,
and each partner's users and tokens (never a secret)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tipline.accounts import service as accounts
from tipline.audit.repository import EntryFilter
from tipline.audit.service import audit_page
from tipline.errors import InvalidInput
from tipline.partners import service as partners
from tipline.principals import Role
from tipline.sharing.policies import PolicyChange, partner_policy, partners_with_access, set_policy
from tipline.sharing.policy import KINDS, SharingPolicy
from tipline.sharing.policy_text import chosen_words, listed, part_problem, policy_summary
from tipline.sharing.tlp import Tlp
from tipline.vocabulary import CATEGORIES

CCIB = "Thai Police CCIB"


def test_words_are_chosen_and_listed_in_the_vocabulary_order() -> None:
    assert chosen_words(" sextortion, fraud.investment ,", CATEGORIES) == {
        "sextortion",
        "fraud.investment",
    }
    assert chosen_words("all", KINDS) == set(KINDS)
    assert listed({"url", "phone"}, KINDS) == "phone, url"
    assert listed(set(KINDS), KINDS) == "all"
    narrow = SharingPolicy(Tlp.AMBER, frozenset({"sextortion"}), frozenset({"url"}), True)
    assert policy_summary(narrow) == ("TLP:AMBER · categories: sextortion · kinds: url · campaigns")
    assert policy_summary(SharingPolicy()) == (
        "TLP:CLEAR · categories: all · kinds: all · no campaigns"
    )


def test_a_wrong_part_of_a_policy_is_named() -> None:
    assert part_problem("orange", CATEGORIES, KINDS) == (
        "max_tlp",
        "a TLP is one of clear, green, amber, amber+strict, red, not 'orange'",
    )
    assert part_problem("amber", ["fraud.lottery"], KINDS)[0] == "categories"  # type: ignore[index]
    assert part_problem("amber", CATEGORIES, ["fax"])[0] == "kinds"  # type: ignore[index]
    assert part_problem("amber", [], KINDS) == (
        "categories",
        "a policy names at least one category (or `all`)",
    )
    assert part_problem("red", ["sextortion"], ["url"]) is None


def test_a_change_is_stored_and_audited_with_the_old_and_new_policy(db_session: Session) -> None:
    partner = partners.add_partner(db_session, "cli:t", CCIB, "TH")
    change = PolicyChange("amber", ["fraud.investment", "fraud.romance"], ["phone", "url"], True)
    new = set_policy(db_session, "admin:an", CCIB, change)
    assert partner_policy(db_session, CCIB) == (partner, new)
    assert (partner.max_tlp, partner.categories, partner.kinds, partner.campaigns) == (
        "amber",
        "fraud.investment,fraud.romance",
        "phone,url",
        True,
    )
    again = set_policy(db_session, "admin:an", CCIB, PolicyChange(max_tlp="amber"))
    assert again == new  # no change: no second entry
    entries = audit_page(db_session, EntryFilter(action="partner.policy"), None, 10).items
    assert len(entries) == 1
    assert (entries[0].actor, entries[0].target_id) == ("admin:an", str(partner.id))
    assert entries[0].details == {
        "name": CCIB,
        "old": {"max_tlp": "clear", "categories": "all", "kinds": "all", "campaigns": False},
        "new": {
            "max_tlp": "amber",
            "categories": ["fraud.investment", "fraud.romance"],
            "kinds": ["phone", "url"],
            "campaigns": True,
        },
        "withdrawn": 0,  # objects published again to withdraw them: it held none
    }


def test_a_wrong_policy_changes_nothing(db_session: Session) -> None:
    partner = partners.add_partner(db_session, "cli:t", CCIB, "TH")
    with pytest.raises(InvalidInput) as refused:
        set_policy(db_session, "admin:an", CCIB, PolicyChange("amber", kinds=["fax"]))
    assert refused.value.field == "kinds"
    assert partner.max_tlp == "clear"


def test_each_partner_lists_its_own_users_and_tokens(db_session: Session) -> None:
    ccib = partners.add_partner(db_session, "cli:t", CCIB, "TH")
    partners.add_partner(db_session, "cli:t", "Cambodia hotline", "KH")
    password = "a-long-enough-password"
    accounts.create_user(db_session, "cli:t", "ccib", Role.PARTNER, password, partner=CCIB)
    accounts.create_user(db_session, "cli:t", "lan", Role.ANALYST, password)
    issued = accounts.create_token(db_session, "cli:t", "ccib", "taxii client")
    shown = {access.partner.name: access for access in partners_with_access(db_session)}
    assert list(shown) == ["Cambodia hotline", CCIB]
    assert [user.username for user in shown[CCIB].users] == ["ccib"]
    assert [(t.name, t.prefix, t.state) for t in shown[CCIB].tokens] == [
        ("taxii client", issued.token.prefix, "active")
    ]
    assert (shown["Cambodia hotline"].users, shown["Cambodia hotline"].tokens) == ([], [])
    assert shown[CCIB].partner.id == ccib.id
