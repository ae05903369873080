"""Who is calling: the principal every access decision is made about.

Shared vocabulary, low in the layers: repositories take a `Caller` and build their statements
from it (who may see which report is decided in the query), so no capability needs the accounts
service to know who is asking. The accounts capability makes principals from cookies and tokens;
the reports capability makes a `ReportHolder` from a tracking code and its secret.

- `Principal`: a signed-in user, by the web session or an API token. Staff (analyst,
  supervisor, admin) read every report, indicator, campaign, case and evidence file. A user of
  role `partner` belongs to a partner agency abroad, one of role `platform` to an organisation
  (a bank, a telecom, a platform); they and their tokens act for that record, and see none of
  those objects until a sharing policy, a request or a feed opens some to them.
- `ReportHolder`: a citizen who holds one report's tracking code and secret: that report only.
- `None`: anonymous: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    PARTNER = "partner"  # a partner agency abroad: sees only what sharing policy gives it
    PLATFORM = "platform"  # a bank, telecom or platform: check and feed APIs only


STAFF_ROLES = (Role.ANALYST, Role.SUPERVISOR, Role.ADMIN)
LEAD_ROLES = (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of one request: a user, or a token acting for its user.

    `partner_id` is set for the role `partner` (the agency it acts for), `organisation_id` for
    the role `platform` (the organisation), and neither for staff.
    """

    user_id: int
    username: str
    role: Role
    via: str  # "session" (the web) or "token" (a machine)
    token_id: int | None = None  # the API token this request came with (via "token")
    partner_id: int | None = None
    organisation_id: int | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this caller: `analyst:lan`."""
        return f"{self.role.value}:{self.username}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


@dataclass(frozen=True, slots=True)
class ReportHolder:
    """A citizen holding one report's tracking code and secret: she may follow that report."""

    report_id: int

    @property
    def actor(self) -> str:
        """How the audit log and a file's custody name her: the reporter, who proved it with
        her report's secret (she has no account)."""
        return "reporter"


Caller = Principal | ReportHolder | None


def is_staff(caller: Caller) -> bool:
    """Whether the caller is one of us (analyst, supervisor, admin): staff read everything."""
    return isinstance(caller, Principal) and caller.is_staff
