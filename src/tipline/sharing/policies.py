"""Partners' sharing policies: read one, change one (each change in the audit log with the old
and the new policy), and every partner with its policy and the credentials it reaches us with.

A partner's TAXII credentials are its users (role `partner`, tied to it) and their API tokens:
shown by name, prefix and state, never a secret (`tipline.accounts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tipline.accounts.models import User
from tipline.accounts.schemas import TokenRead
from tipline.accounts.service import list_tokens, list_users
from tipline.audit.service import record
from tipline.errors import InvalidInput, NotFound
from tipline.partners.models import Partner
from tipline.partners.service import find_partner, list_partners
from tipline.sharing.audit import policy_record
from tipline.sharing.policy import SharingPolicy, joined
from tipline.sharing.policy_text import part_problem
from tipline.sharing.repository import policy_of
from tipline.sharing.service import withdraw_narrowed
from tipline.sharing.sync.repository import Rejection, rejections
from tipline.sharing.tlp import parse_tlp


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """What to change of a policy: None keeps that part as it is."""

    max_tlp: str | None = None
    categories: Iterable[str] | None = None
    kinds: Iterable[str] | None = None
    campaigns: bool | None = None


@dataclass(frozen=True, slots=True)
class PartnerAccess:
    """A partner, its policy, and its users with their tokens (never a secret)."""

    partner: Partner
    policy: SharingPolicy
    users: Sequence[User]
    tokens: Sequence[TokenRead]
    rejected: int = 0  # our objects its server rejects (`tipline partners sync`)
    rejections: Sequence[Rejection] = ()  # the latest of them, with the reasons it gave


def partner_policy(session: Session, name: str) -> tuple[Partner, SharingPolicy]:
    """A partner and its sharing policy; NotFound when there is no such partner."""
    partner = find_partner(session, name)
    return partner, policy_of(partner)


def changed_policy(old: SharingPolicy, change: PolicyChange) -> SharingPolicy:
    """`old` with the parts `change` names; InvalidInput (naming the part) if one is wrong."""
    max_tlp = old.max_tlp.value if change.max_tlp is None else change.max_tlp.strip()
    categories = old.categories if change.categories is None else frozenset(change.categories)
    kinds = old.kinds if change.kinds is None else frozenset(change.kinds)
    if problem := part_problem(max_tlp, categories, kinds):
        field, message = problem
        raise InvalidInput(message, field=field)
    campaigns = old.campaigns if change.campaigns is None else change.campaigns
    return SharingPolicy(parse_tlp(max_tlp), categories, kinds, campaigns)


def set_policy(session: Session, actor: str, name: str, change: PolicyChange) -> SharingPolicy:
    """Change a partner's policy; the audit log keeps the old and the new one, and how many
    objects it held were published again to withdraw them from it (`withdraw_narrowed`). No
    change, no entry."""
    partner, old = partner_policy(session, name)
    new = changed_policy(old, change)
    if new == old:
        return old
    partner.max_tlp = new.max_tlp.value
    partner.categories = joined(new.categories)
    partner.kinds = joined(new.kinds)
    partner.campaigns = new.campaigns
    withdrawn = withdraw_narrowed(session, partner.id, new)
    details: dict[str, object] = {"name": partner.name, "old": policy_record(old)}
    details |= {"new": policy_record(new), "withdrawn": withdrawn}
    record(session, actor, "partner.policy", "partner", partner.id, details)
    session.commit()
    return new


def _with_access(
    partner: Partner, users: Sequence[User], tokens: Sequence[TokenRead],
    refused: tuple[int, list[Rejection]] = (0, []),
) -> PartnerAccess:  # fmt: skip
    own = [user for user in users if user.partner_id == partner.id]
    names = {user.username for user in own}
    own_tokens = [token for token in tokens if token.username in names]
    return PartnerAccess(partner, policy_of(partner), own, own_tokens, *refused)


def partners_with_access(session: Session) -> list[PartnerAccess]:
    """Every partner by name, with its policy, users and their tokens, and what its server
    rejected of ours."""
    users = [user for user in list_users(session) if user.partner_id is not None]
    tokens = list_tokens(session)
    found = list_partners(session)
    refused = rejections(session, [partner.id for partner in found], limit=5)
    return [
        _with_access(partner, users, tokens, refused.get(partner.id, (0, []))) for partner in found
    ]


def partner_access(session: Session, partner_id: int) -> PartnerAccess:
    """One partner with its policy, users and tokens; NotFound when there is none."""
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(f"no partner {partner_id}", field="partner_id")
    users = [user for user in list_users(session) if user.partner_id == partner.id]
    return _with_access(partner, users, list_tokens(session))
