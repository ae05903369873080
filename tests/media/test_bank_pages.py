"""The hash banks' admin pages: the list with counts, one bank, creating a bank, adding,
removing and granting by form; in Vietnamese and English; what was typed is escaped."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from tests.media.banks import LEAD, bank_with, md5, pdq, pdq_value
from tests.sharing.test_routes import token_of

from tipline.media import service
from tipline.media.core import HashValue, Signal
from tipline.partners.service import add_organisation

HOSTILE = '<script>alert("x")</script>'


def test_the_list_shows_counts_in_both_languages(client_as: Any, db_session: Session) -> None:
    values = [pdq_value(pdq(n)) for n in range(1200)] + [HashValue(Signal.MD5, md5("a"))]
    bank_with(db_session, "CSAM known", values=values, retention_days=None)
    analyst = client_as("analyst")
    english = analyst.get("/admin/banks?lang=en")
    assert english.status_code == 200
    assert "Child sexual abuse material" in english.text
    assert "1,200" in english.text
    assert 'href="/admin/banks"' in english.text  # in the workspace's navigation
    vietnamese = analyst.get("/admin/banks?lang=vi").text
    assert "Kho mã băm" in vietnamese
    assert "1.200" in vietnamese
    assert "Tài liệu xâm hại tình dục trẻ em" in vietnamese


def test_staff_create_a_bank_by_form_and_typed_text_is_escaped(client_as: Any) -> None:
    analyst = client_as("analyst")
    form = {"csrf_token": token_of(analyst, "/admin/banks"), "name": HOSTILE, "kind": "ncii",
            "owner": "Cục A05", "tlp": "amber+strict", "retention_days": "730",
            "provenance": HOSTILE}  # fmt: skip
    created = analyst.post("/admin/banks", data=form, follow_redirects=False)
    assert created.status_code == 303
    page = analyst.get(created.headers["location"] + "?lang=en").text
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page
    assert "TLP:AMBER+STRICT" in page
    assert "730 days" in page
    again = analyst.post("/admin/banks?lang=en", data=form)
    assert again.status_code == 422
    assert "A bank has this name already." in again.text
    bad = analyst.post("/admin/banks?lang=vi", data=form | {"name": "B", "retention_days": "x"})
    assert bad.status_code == 422
    assert "thời hạn lưu" in bad.text


def test_hashes_are_added_removed_and_access_granted_by_form(
    client_as: Any, db_session: Session
) -> None:
    add_organisation(db_session, "cli:test", "Meta", "platform")
    bank = bank_with(db_session, "NCII", "ncii")
    analyst = client_as("analyst")
    path = f"/admin/banks/{bank.id}"
    token = token_of(analyst, path)
    lines = f"pdq {pdq(1)}\npdq,{pdq(2)},90\nmd5 {md5('a')}\npdq {pdq(1)}\nnot a hash\n"
    added = analyst.post(
        f"{path}/hashes",
        follow_redirects=False,
        data={"csrf_token": token, "hashes": lines, "source": HOSTILE},
    )
    assert added.status_code == 303
    shown = analyst.get(added.headers["location"] + "&lang=en").text
    assert "Added 3 hashes; 1 were in the bank already; 1 lines were not hashes." in shown
    assert pdq(2) in shown
    assert HOSTILE not in shown
    ids = [h.id for h in service.bank_hashes(db_session, LEAD, bank.id)]
    removed = analyst.post(
        f"{path}/remove", data={"csrf_token": token, "ids": f"{ids[0]}, {ids[2]}"}
    )
    assert "Đã gỡ 2 mã băm" in analyst.get(f"{path}?removed=2&lang=vi").text
    assert removed.status_code == 200
    assert service.view_bank(db_session, LEAD, bank.id).summary.counts == {
        "pdq": 1, "md5": 0, "sha256": 0}  # fmt: skip
    refused = analyst.post(f"{path}/remove?lang=en", data={"csrf_token": token, "ids": "1; x"})
    assert refused.status_code == 422
    granted = analyst.post(f"{path}/grants", data={"csrf_token": token, "organisation": "Meta"})
    assert granted.status_code == 200
    assert service.view_bank(db_session, LEAD, bank.id).organisations == ["Meta"]
    unknown = analyst.post(
        f"{path}/grants?lang=en", data={"csrf_token": token, "organisation": "X"}
    )
    assert (unknown.status_code, "No organisation has this name." in unknown.text) == (422, True)


def test_a_bank_page_that_does_not_exist_is_404(client_as: Any) -> None:
    assert client_as("analyst").get("/admin/banks/999").status_code == 404
