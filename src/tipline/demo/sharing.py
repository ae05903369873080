"""The demo's sharing: indicators the demo analyst confirmed on the reports that name them (each
review in the audit log, as the report view records it), how far each may travel (some
TLP:CLEAR, some GREEN, the rest the default AMBER), two partner agencies with different
policies, each with a user and a TAXII token, and everything published.

So right after `make run`, `tipline export stix --tlp clear --out FILE` has indicators in it, and
a TAXII client signs in as a partner. Everything goes through the service functions an analyst
or an admin would use; loading again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tipline.accounts.service import create_token, create_user, find_user
from tipline.demo import repository
from tipline.partners.repository import partner_by_name
from tipline.partners.service import add_partner
from tipline.principals import Principal, Role
from tipline.settings import Settings
from tipline.sharing.markings import set_indicator_tlp
from tipline.sharing.policies import PolicyChange, set_policy
from tipline.sharing.service import publish
from tipline.vocabulary import CATEGORIES
from tipline.workspace.service import review_indicator

SOURCE = "demo"
ANALYST = "analyst"  # the demo's analyst account (tipline.accounts.service.DEMO_ACCOUNTS)
ADMIN = "system:demo"
FRAUD = tuple(category for category in CATEGORIES if category.startswith("fraud."))
CHILD = ("child_exploitation", "sextortion")


@dataclass(frozen=True, slots=True)
class Confirmations:
    """What the analyst confirms: the `count` indicators of these kinds that most reports of
    these categories name, each on its `per_indicator` newest reports; `clear` and `green`
    say which kinds she marks TLP:CLEAR and GREEN (the others keep the default, AMBER)."""

    categories: tuple[str, ...]
    kinds: tuple[str, ...]
    count: int
    per_indicator: int
    clear: tuple[str, ...]
    green: tuple[str, ...]


CONFIRMATIONS = (
    Confirmations(FRAUD, ("phone", "url", "domain"), 20, 2, ("url", "domain"), ("phone",)),
    Confirmations(FRAUD, ("bank_account",), 6, 2, (), ()),
    Confirmations(CHILD, ("url",), 6, 2, ("url",), ()),
    Confirmations(CHILD, ("phone", "social", "domain"), 6, 2, (), ()),
)


@dataclass(frozen=True, slots=True)
class DemoPartner:
    name: str
    country: str
    contacts: str
    policy: PolicyChange
    username: str
    password: str


DEMO_PARTNERS = (
    DemoPartner(
        "Thai Police CCIB", "TH", "Duty desk, ccib-duty@police.example.th",
        PolicyChange("amber", FRAUD, ("phone", "url", "domain", "bank_account"), True),
        "ccib", "demo-ccib-2026",
    ),
    DemoPartner(
        "Cambodia child protection hotline", "KH", "Hotline desk, desk@hotline.example.kh",
        PolicyChange("clear", CHILD, ("url",), False),
        "khhotline", "demo-khhotline-2026",
    ),
)  # fmt: skip


@dataclass
class SharingDemo:
    confirmed: int = 0  # reviews recorded
    marked: int = 0  # indicators given a TLP of their own
    published: int = 0  # STIX objects published (not revoked)
    # (partner, username, password, its new TAXII token: None when it was made before)
    partners: list[tuple[str, str, str, str | None]] = field(default_factory=list)


def _chosen(session: Session, plan: Confirmations) -> list[tuple[int, str | None, list[int]]]:
    """What the analyst decides in one plan: (indicator id, the TLP she gives it or None for
    the default, the reports she confirms it on)."""
    chosen = []
    for ident, kind in repository.ring_indicators(
        session, SOURCE, plan.categories, plan.kinds, plan.count
    ):
        tlp = "clear" if kind in plan.clear else "green" if kind in plan.green else None
        reports = repository.newest_reports_naming(
            session, ident, SOURCE, plan.categories, plan.per_indicator
        )
        chosen.append((ident, tlp, reports))
    return chosen


def _partner(session: Session, partner: DemoPartner) -> tuple[str, str, str, str | None]:
    """The partner, its policy, its user and a token for its TAXII client."""
    add_partner(session, ADMIN, partner.name, partner.country, partner.contacts)
    set_policy(session, ADMIN, partner.name, partner.policy)
    create_user(session, ADMIN, partner.username, Role.PARTNER, partner.password,
                f"{partner.name} (demo)", partner=partner.name)  # fmt: skip
    token = create_token(session, ADMIN, partner.username, "demo TAXII client")
    return partner.name, partner.username, partner.password, token.plaintext


def load_sharing_demo(session: Session, settings: Settings) -> SharingDemo:
    """Confirm, mark, add the partners and publish, unless an earlier load did."""
    loaded = SharingDemo()
    if partner_by_name(session, DEMO_PARTNERS[-1].name) is not None:
        loaded.partners = [(p.name, p.username, p.password, None) for p in DEMO_PARTNERS]
        return loaded
    user = find_user(session, ANALYST)
    analyst = Principal(user.id, user.username, Role.ANALYST, "cli")
    # She marks first, then confirms: each marking publishes again, and nothing is shareable
    # until it is confirmed (so the demo publishes once, at the end).
    chosen = [decision for plan in CONFIRMATIONS for decision in _chosen(session, plan)]
    for ident, tlp, _ in chosen:
        if tlp is not None:
            set_indicator_tlp(session, analyst, ident, tlp, settings)
            loaded.marked += 1
    for ident, _, reports in chosen:
        for report_id in reports:
            review_indicator(session, analyst, report_id, ident, "confirmed")
            loaded.confirmed += 1
    for partner in DEMO_PARTNERS:
        if partner_by_name(session, partner.name) is None:
            loaded.partners.append(_partner(session, partner))
    publish(session, settings)
    session.commit()
    loaded.published = repository.published_objects(session)
    return loaded
