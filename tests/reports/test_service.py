"""Following a report with its code and secret, on the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tipline.errors import NotFound
from tipline.reports.service import follow_report


def test_follow_with_code_and_secret(db_session: Session, make_report) -> None:
    receipt = make_report()
    status = follow_report(db_session, receipt.code.lower(), receipt.secret.upper())
    assert status.code == receipt.code
    assert status.status == "new"
    assert status.category == receipt.category
    assert status.created_at.tzinfo is not None


@pytest.mark.parametrize("which", ["secret", "code", "malformed", "empty"])
def test_follow_refuses_a_wrong_code_or_secret_alike(
    db_session: Session, make_report, which: str
) -> None:
    receipt = make_report()
    code, secret = {
        "secret": (receipt.code, "aaaaa-bbbbb-ccccc-ddddd-eeeee"),
        "code": ("TL-2222-2222", receipt.secret),
        "malformed": ("<b>x</b>", receipt.secret),
        "empty": (receipt.code, ""),
    }[which]
    with pytest.raises(NotFound) as caught:
        follow_report(db_session, code, secret)
    assert caught.value.message == "no report with this code and secret"
    assert caught.value.field == "code"
