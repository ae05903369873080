"""tipline.client: what a bank's or an app's program uses to ask a tipline server; it imports
nothing of the server (only the pure reading of values, so that a value is read here exactly as
the server reads it). Installable alone as the `tipline-client` distribution.

    from tipline.client import Client

    with Client("https://tipline.example.vn") as tipline:
        print(tipline.check("0987 654 321").verdict)
"""

from tipline.client.api import Client
from tipline.client.errors import (
    BadAnswer,
    ClientError,
    InvalidValue,
    NotAuthorised,
    NotFound,
    RateLimited,
    Refused,
    ServerError,
    Unavailable,
    Unreachable,
)
from tipline.client.feeds import FeedAdd, FeedPull, FeedRemove
from tipline.client.results import (
    AccountReports,
    Checked,
    CheckRejected,
    CheckResult,
    FeedAttribution,
    HashMatch,
    HashMatches,
    PrivateCheckResult,
)
from tipline.client.retrying import Backoff

__all__ = [
    "AccountReports",
    "Backoff",
    "BadAnswer",
    "CheckRejected",
    "CheckResult",
    "Checked",
    "Client",
    "ClientError",
    "FeedAdd",
    "FeedAttribution",
    "FeedPull",
    "FeedRemove",
    "HashMatch",
    "HashMatches",
    "InvalidValue",
    "NotAuthorised",
    "NotFound",
    "PrivateCheckResult",
    "RateLimited",
    "Refused",
    "ServerError",
    "Unavailable",
    "Unreachable",
]
