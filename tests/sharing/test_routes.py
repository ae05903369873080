"""The partners' administration pages through the real app: the list with policies and
credentials, adding a partner and editing its policy (CSRF, PRG, errors said in the reader's
language), the organisations list. (That they are for admins only, the access matrix tests:
tests/accounts/test_access_matrix.py.)"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from tipline.accounts import service as accounts
from tipline.audit.repository import EntryFilter
from tipline.audit.service import audit_page
from tipline.partners import service as partners
from tipline.principals import Role

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CCIB = "Thai Police CCIB"


def token_of(client: Any, path: str) -> str:
    match = CSRF.search(client.get(path).text)
    assert match is not None
    return match.group(1)


def test_the_list_shows_each_policy_and_users_and_tokens_never_a_secret(
    client_as: Any, db_session: Session
) -> None:
    partner = partners.add_partner(db_session, "cli:t", CCIB, "TH", "duty@ccib.example.th")
    accounts.create_user(
        db_session, "cli:t", "ccib", Role.PARTNER, "a-long-enough-password", partner=CCIB
    )
    issued = accounts.create_token(db_session, "cli:t", "ccib", "taxii client")
    page = client_as("admin", "an").get("/admin/partners?lang=en")
    assert page.status_code == 200
    assert "Receives up to TLP:CLEAR" in page.text
    assert "Categories: all" in page.text
    assert "<code>ccib</code>" in page.text
    assert f"token “taxii client” <code>{issued.token.prefix}…</code> (active)" in page.text
    assert issued.plaintext not in page.text
    assert "duty@ccib.example.th" not in page.text  # contacts are not listed
    assert f'href="/admin/partners/{partner.id}/policy"' in page.text


def test_an_admin_adds_a_partner_and_is_told_what_is_wrong(client_as: Any) -> None:
    admin = client_as("admin", "an")
    form = {"csrf_token": token_of(admin, "/admin/partners"), "name": CCIB, "country": "th"}
    added = admin.post("/admin/partners", data=form, follow_redirects=False)
    assert (added.status_code, added.headers["location"]) == (303, "/admin/partners?done=added")
    listed = admin.get("/admin/partners?done=added&lang=en")
    assert "Partner added." in listed.text
    assert f'<td data-label="Name">{CCIB}</td>' in listed.text
    again = admin.post("/admin/partners?lang=en", data=form, follow_redirects=False)
    assert again.status_code == 422
    assert "A partner of this name exists already." in again.text
    wrong = admin.post(
        "/admin/partners?lang=vi", data=form | {"name": "Khmer hotline", "country": "Cambodia"}
    )
    assert wrong.status_code == 422
    assert "Quốc gia là mã hai chữ cái ISO 3166" in wrong.text
    assert 'value="Khmer hotline"' in wrong.text  # what was typed is kept
    expired = admin.post("/admin/partners", data=form | {"csrf_token": "forged"})
    assert expired.status_code == 403


def test_an_admin_edits_a_policy_and_the_change_is_audited(
    client_as: Any, db_session: Session
) -> None:
    partner = partners.add_partner(db_session, "cli:t", CCIB, "TH")
    admin = client_as("admin", "an")
    path = f"/admin/partners/{partner.id}/policy"
    shown = admin.get(path + "?lang=en")
    assert shown.status_code == 200
    assert '<option value="clear" selected>TLP:CLEAR</option>' in shown.text
    form = {
        "csrf_token": token_of(admin, path),
        "max_tlp": "amber",
        "categories": ["fraud.investment", "fraud.romance"],
        "kinds": ["phone", "url"],
        "campaigns": "1",
    }
    saved = admin.post(path, data=form, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, "/admin/partners?done=policy")
    db_session.refresh(partner)
    assert (partner.max_tlp, partner.categories, partner.kinds, partner.campaigns) == (
        "amber",
        "fraud.investment,fraud.romance",
        "phone,url",
        True,
    )
    entry = audit_page(db_session, EntryFilter(action="partner.policy"), None, 1).items[0]
    assert (entry.actor, entry.details["new"]["max_tlp"]) == ("admin:an", "amber")
    refused = admin.post(path + "?lang=en", data={**form, "kinds": []})
    assert refused.status_code == 422
    assert "Choose at least one indicator kind." in refused.text
    assert 'value="fraud.romance" checked' in refused.text  # the form as typed
    db_session.refresh(partner)
    assert partner.kinds == "phone,url"
    assert admin.get("/admin/partners/999999/policy").status_code == 404


def test_the_organisations_list(client_as: Any, db_session: Session) -> None:
    partners.add_organisation(db_session, "cli:t", "Vietcombank", "bank", "fraud@vcb.example")
    page = client_as("admin", "an").get("/admin/organisations?lang=vi")
    assert page.status_code == 200
    assert "Vietcombank" in page.text
    assert "Ngân hàng" in page.text
    assert "fraud@vcb.example" not in page.text


def test_the_list_shows_what_a_partners_server_rejected(
    client_as: Any, db_session: Session
) -> None:
    from tipline.db_types import utc_now
    from tipline.sharing.sync.repository import remember_pushed

    partner = partners.add_partner(db_session, "cli:t", CCIB, "TH")
    when = utc_now()
    rejected = {"indicator--refused": (when, "pattern type not supported")}
    remember_pushed(db_session, partner.id, "inbox", {"indicator--taken": when}, when, rejected)
    db_session.commit()
    admin = client_as("admin", "an")
    english = admin.get("/admin/partners?lang=en").text
    assert "1 of our objects, not sent again until they change:" in english
    assert "<code>indicator--refused</code>: pattern type not supported" in english
    assert "indicator--taken" not in english
    assert "Máy chủ đối tác từ chối" in admin.get("/admin/partners?lang=vi").text
