"""The alert pages: an analyst drafts from a campaign's page, another supervisor publishes; the
public page, the list on the home page, the banner beside a check, the check API's field and
the Atom feed (parsed as XML); every text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.alerts.factories import SCAMMER_CANONICAL, police_ring, published
from tests.conftest import ClientAs, ReportMaker

from tipline.alerts.models import Alert

ATTACK = '<script>alert("x")</script>'
ATOM = "{http://www.w3.org/2005/Atom}"


def token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def form_of(page: str) -> dict[str, str | list[str]]:
    """The edit form's fields as the page filled them, with every value box ticked."""
    fields: dict[str, str | list[str]] = {"csrf_token": token(page)}
    for name, value in re.findall(
        r'<input type="text" id="[^"]+" name="([^"]+)"[^>]*value="([^"]*)"', page
    ):
        fields[name] = value
    for name, value in re.findall(
        r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', page
    ):
        fields[name] = value
    fields["value"] = re.findall(r'name="value" value="([^"]+)"', page)
    return fields


def test_an_analyst_drafts_and_another_supervisor_publishes(
    client_as: ClientAs, client: TestClient, db_session: Session, make_report: ReportMaker
) -> None:
    ring = police_ring(make_report, db_session)
    analyst = client_as("analyst", "lan")
    campaign_page = analyst.get(f"/campaigns/{ring.campaign_uid}").text
    assert 'id="campaign-draft-alert"' in campaign_page
    drafted = analyst.post(
        f"/campaigns/{ring.campaign_uid}/alerts", data={"csrf_token": token(campaign_page)},
        follow_redirects=False,
    )  # fmt: skip
    assert drafted.status_code == 303
    edit_url = drafted.headers["location"]
    uid = edit_url.split("/")[2]
    page = analyst.get(edit_url).text
    assert 'id="alert-submit"' in page
    assert 'id="alert-publish"' not in page
    form = form_of(page) | {"en.title": f"Fake police {ATTACK}"}
    saved = analyst.post(f"/alerts/{uid}/edit", data=form)
    assert saved.status_code == 200
    assert ATTACK not in saved.text
    assert "Fake police &lt;script&gt;" in saved.text
    analyst.post(f"/alerts/{uid}/submit", data={"csrf_token": token(saved.text)})
    assert (
        analyst.post(f"/alerts/{uid}/publish", data={"csrf_token": token(saved.text)}).status_code
        == 403
    )
    same_person = client_as("supervisor", "lan")
    own = same_person.get(edit_url).text
    assert 'id="alert-publish"' not in own
    assert 'id="alert-return"' in own
    refused = same_person.post(f"/alerts/{uid}/publish", data={"csrf_token": token(own)})
    assert refused.status_code == 403
    assert client.get(f"/alerts/{uid}").status_code == 404  # not published yet
    reviewer = client_as("supervisor", "minh")
    review = reviewer.get(edit_url).text
    done = reviewer.post(f"/alerts/{uid}/publish", data={"csrf_token": token(review)})
    assert done.status_code == 200
    assert "alert-withdraw" in done.text
    public = client.get(f"/alerts/{uid}?lang=en")
    assert public.status_code == 200
    assert ATTACK not in public.text
    assert "Fake police &lt;script&gt;" in public.text
    assert "+84987654321" in public.text
    assert analyst.get("/alerts/manage").status_code == 200


def test_home_check_and_feed_carry_published_alerts(
    client: TestClient, db_session: Session, make_report: ReportMaker
) -> None:
    home = client.get("/?lang=en").text
    assert '<link rel="alternate" type="application/atom+xml" href="/alerts.atom?lang=en"' in home
    assert 'id="home-alerts"' not in home
    alert = published(db_session, police_ring(make_report, db_session))
    title = alert.texts["en"]["title"]
    home = client.get("/?lang=en").text
    assert 'id="home-alerts"' in home
    assert f"/alerts/{alert.uid}" in home
    assert title in home
    listed = client.get("/alerts?lang=en").text
    assert title in listed
    check = client.get("/check", params={"value": "0987654321", "lang": "en"}).text
    assert 'id="alert-banner"' in check
    assert f"/alerts/{alert.uid}" in check
    other = client.get("/check", params={"value": "0911000111", "lang": "en"}).text
    assert 'id="alert-banner"' not in other
    answer = client.get("/api/v1/check", params={"value": "0987654321"}).json()
    assert answer["alerts"] == [
        {"uid": str(alert.uid), "title": alert.texts["en"]["title"], "url": f"/alerts/{alert.uid}"}
    ]
    assert client.get("/api/v1/check", params={"value": "0911000111"}).json()["alerts"] == []
    assert_feed(client, alert)


def assert_feed(client: TestClient, alert: Alert) -> None:
    answer = client.get("/alerts.atom?lang=en")
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Scam alerts"
    assert feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"urn:uuid:{alert.uid}"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}title") == alert.texts["en"]["title"]
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href", "").endswith(f"/alerts/{alert.uid}?lang=en")
    assert SCAMMER_CANONICAL in (entry.findtext(f"{ATOM}content") or "")
    for tag in ("published", "updated"):
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}{tag}") or ""
        )
    vi = ET.fromstring(client.get("/alerts.atom?lang=vi").content)
    assert vi.findtext(f"{ATOM}entry/{ATOM}title") == alert.texts["vi"]["title"]
