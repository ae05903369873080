"""`/admin/organisations`: each organisation with its kind and its feed agreement."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests.conftest import ClientAs

from tipline.feeds.agreements import AgreementChange, set_agreement
from tipline.partners.service import add_organisation


def test_the_organisations_page_shows_each_feed_agreement(
    client_as: ClientAs, db_session: Session
) -> None:
    add_organisation(db_session, "cli:test", "Vietcombank", "bank")
    add_organisation(db_session, "cli:test", "Viettel", "telecom")
    change = AgreementChange(frozenset({"phone", "url"}), frozenset({"fraud.investment"}), 80)
    set_agreement(db_session, "cli:test", "Vietcombank", change)
    page = client_as("admin").get("/admin/organisations?lang=en")
    assert page.status_code == 200
    assert "Feed agreement" in page.text
    assert "kinds: phone, url · categories: fraud.investment · confidence ≥ 80" in page.text
    assert page.text.count('<td data-label="Feed agreement">none</td>') == 1  # Viettel
