"""What the stored-script test (tests/html/test_stored_scripts.py) puts in tipline: payloads
(tests/hostile_input.py) in every field a citizen, a partner and a platform can fill, through
the same doors they use: the citizen's forms in the browser, the JSON APIs with tokens, the
TAXII inbox, a MISP event file; and the staff-made objects whose pages show them (a case, an
alert's draft, a request to a bank, an incoming cooperation request, a hash bank)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.browser import LOCALES
from tests.hostile_input import ALL, PAYLOADS, Filled, filled_from

from tipline.cooperation.schemas import CooperationCreate
from tipline.intake.schemas import BulkSubmission
from tipline.media.schemas import BankCreate
from tipline.orgrequests.schemas import AnswerCreate
from tipline.protect.schemas import VictimHashes
from tipline.reports.schemas import ReportCreate
from tipline.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "a long passphrase for the night shift"
ROLES = {"analyst": "lan", "supervisor": "minh", "admin": "root"}
# Each story names the same phone and account, so the reports make one campaign (its graph).
LEAD = "Số 0912 345 678 bảo tôi chuyển 5.000.000đ vào STK 0123456789 Vietcombank."


@dataclass
class Seeded:
    base: str
    fields: dict[str, Filled] = field(default_factory=dict)  # what was filled, by channel
    form_fields: dict[str, list[str]] = field(default_factory=dict)  # citizen forms' fields
    rendered: dict[str, int] = field(default_factory=dict)  # pages rendered, by role


def call(base: str, method: str, path: str, body: Any = None, token: str = "",
          content_type: str = "application/json") -> tuple[int, Any]:  # fmt: skip
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"null")


def drop(body: dict[str, Any], path: list[str | int]) -> bool:
    """Remove the field at `path` (from a 422's location) from `body`; whether it was there."""
    here: Any = body
    for step in path[:-1]:
        if isinstance(here, dict) and step in here or isinstance(here, list) and isinstance(
            step, int) and step < len(here):  # fmt: skip
            here = here[step]
        else:
            return False
    return isinstance(here, dict) and here.pop(path[-1], None) is not None


def post_filled(base: str, path: str, filled: Filled, token: str = "") -> Any:
    """POST a filled body; a field the API refuses (422) is taken out and counted as refused,
    until it is taken (at most 8 tries)."""
    for _ in range(8):
        status, answer = call(base, "POST", path, filled.body, token)
        if status < 300:
            return answer
        assert status == 422, (path, status, answer)
        located = [d.get("loc") or [] for d in answer["error"].get("details") or []]
        dropped = [loc[1:] for loc in located if loc[:1] == ["body"] and drop(filled.body, loc[1:])]
        assert dropped, (path, answer)
        filled.refused += [".".join(map(str, loc)) for loc in dropped]
    raise AssertionError(f"{path} kept refusing the filled body")


def seed_accounts(data_dir: Path) -> dict[str, str]:
    """Before the server starts: the staff who sign in (cheap password hashes: no CLI process
    each), an organisation (a bank) and a partner agency, a user of each and an analyst's,
    each with an API token."""
    from tests.orgrequests.conftest import signed_in
    from tests.sharing.taxii.world import CHEAP

    from tipline.accounts import service as accounts
    from tipline.db import make_engine, make_session_factory
    from tipline.partners.service import add_organisation, add_partner
    from tipline.server.migrate import upgrade

    engine = make_engine(Settings(data_dir=data_dir).sqlalchemy_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        hashing, accounts.hash_password = accounts.hash_password, CHEAP.hash  # type: ignore[assignment]
        try:
            for role, name in ROLES.items():
                accounts.create_user(session, "cli:test", name, role, PASSWORD)
        finally:
            accounts.hash_password = hashing  # type: ignore[assignment]
        bank = add_organisation(session, "cli:test", "Vietcombank", "bank")
        bank.bank_code = "VCB"
        partner = add_partner(session, "cli:test", "Thai CCIB", "TH")
        session.commit()
        tokens = {
            "bank": signed_in(session, "vcb", "platform", organisation_id=bank.id)[1],
            "partner": signed_in(session, "ccib", "partner", partner_id=partner.id)[1],
            "analyst": signed_in(session, "lan-api", "analyst")[1],
            "bank_id": str(bank.id),
        }
    engine.dispose()
    return tokens


def citizen_forms(browser: Browser, seeded: Seeded) -> None:
    """The report form, then the follow-up message and the withdrawal, every text field of
    each (found in the page) holding the payloads; a file named like a payload."""
    context = browser.new_context(locale=LOCALES["vi"])
    page = context.new_page()
    page.goto(f"{seeded.base}/report")
    holding = fill_form(page, "main form", LEAD)
    for _ in range(4):  # the fields the form refuses (a number, an account) are emptied
        page.set_input_files("main form input[name=files]", files=[{
            "name": "<img src=x onerror=window.__xss=1>.txt", "mimeType": "text/plain",
            "buffer": ALL.encode()}])  # fmt: skip
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        if page.url == f"{seeded.base}/report/receipt":
            break
        for refused in page.locator("main form [aria-invalid=true]:not([type=file])").all():
            name = refused.get_attribute("name") or ""
            holding = [kept for kept in holding if kept != name]
            refused.fill("")
    assert page.url == f"{seeded.base}/report/receipt"
    seeded.form_fields["/report"] = holding
    page.goto(f"{seeded.base}/follow")
    seeded.form_fields["/follow/add"] = fill_form(page, "form[action='/follow/add']", "")
    page.click("form[action='/follow/add'] button[type=submit]")
    page.goto(f"{seeded.base}/protect-my-photo/withdraw")
    seeded.form_fields["/protect-my-photo/withdraw"] = fill_form(page, "main form", "")
    page.click("main form button[type=submit]")
    assert page.evaluate("window.__xss") is None
    context.close()


def fill_form(page: Page, form: str, lead: str) -> list[str]:
    """Every text field of `form` holds the payloads (within its maxlength); a select takes
    its last option, a checkbox is ticked. The fields' names."""
    names = []
    for box in page.locator(f"{form} input[type=checkbox]").all():
        box.check()
    for select in page.locator(f"{form} select").all():
        options = select.locator("option").all()
        select.select_option(index=len(options) - 1)
    text = f"{form} textarea, {form} input:not([type]), {form} input[type=text], " + ", ".join(
        f"{form} input[type={kind}]" for kind in ("email", "tel", "url", "search"))  # fmt: skip
    for box in page.locator(text).all():
        if not box.is_visible() or not box.is_editable():
            continue
        limit = box.get_attribute("maxlength")
        value = f"{lead} {ALL}".strip()
        box.fill(value[: int(limit)] if limit else value)
        names.append(box.get_attribute("name") or "")
    assert names, f"no text field in {form}"
    return names


def api_reports(seeded: Seeded, tokens: dict[str, str]) -> list[str]:
    """A report through the API and a bulk of one per payload (every free string field of
    their schemas holding payloads); their codes."""
    base, codes = seeded.base, []
    report = filled_from(ReportCreate.model_json_schema(), lead=LEAD)
    codes.append(post_filled(base, "/api/v1/reports", report)["code"])
    seeded.fields["POST /api/v1/reports"] = report
    bulk = filled_from(BulkSubmission.model_json_schema(), lead=LEAD)
    row = bulk.body["reports"][0]
    bulk.body["reports"] = [
        {**row, "narrative": f"{LEAD} {text}", "external_id": f"x-{n}-{text[:150]}"}
        for n, text in enumerate(PAYLOADS.values())
    ]
    done = post_filled(base, "/api/v1/reports/bulk", bulk, tokens["bank"])
    codes += [r["code"] for r in done["results"] if r["code"]]
    seeded.fields["POST /api/v1/reports/bulk"] = bulk
    hashes = filled_from(VictimHashes.model_json_schema(), {"pdq": "ab" * 32, "md5": "cd" * 16})
    seeded.fields["POST /api/v1/media/victim-hashes"] = hashes  # no free text: nothing to post
    return codes


def request_answered(seeded: Seeded, tokens: dict[str, str], report_id: int) -> None:
    """A request to the bank from a payload's report, sent; the bank answers it with payloads
    in every free string field of an answer, and adds a file named like a payload."""
    base = seeded.base
    source = {"report_id": report_id, "organisation_id": int(tokens["bank_id"])}
    status, drafted = call(base, "POST", "/api/v1/requests", source, tokens["analyst"])
    assert status == 201, drafted
    reference = drafted["reference"]
    status, sent = call(base, "POST", f"/api/v1/requests/{reference}/send", {}, tokens["analyst"])
    assert status == 200, sent
    given = {"line_id": sent["lines"][0]["id"], "outcome": "frozen"}
    answer = filled_from(AnswerCreate.model_json_schema(), given)
    answer.body["outcome"] = "partly_done"
    post_filled(base, f"/api/v1/requests/{reference}/answer", answer, tokens["bank"])
    seeded.fields["POST /api/v1/requests/{reference}/answer"] = answer
    boundary = uuid.uuid4().hex
    part = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{PAYLOADS["img onerror"]}.txt"\r\nContent-Type: text/plain\r\n\r\n'
            f"{ALL}\r\n--{boundary}--\r\n").encode()  # fmt: skip
    request = urllib.request.Request(
        f"{base}/api/v1/requests/{reference}/files", data=part, method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "Authorization": f"Bearer {tokens['bank']}"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as answered:  # noqa: S310 (loopback)
        assert answered.status == 200


def stix_indicator(pattern: str) -> dict[str, Any]:
    stamp = "2026-12-02T00:00:00.000Z"
    return {
        "type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid4()}",
        "created": stamp, "modified": stamp, "valid_from": stamp, "pattern_type": "stix",
        "pattern": pattern, "name": ALL, "description": ALL, "labels": list(PAYLOADS.values()),
        "indicator_types": ["malicious-activity"], "x_note": ALL,
    }  # fmt: skip


# Values a partner's patterns carry: each still a value tipline reads (a URL, a domain, an
# e-mail address), with a payload where the value's syntax lets one in.
PATTERNS = (
    "[url:value = 'http://scam-xss.example/<script>window.__xss=1</script>']",
    "[url:value = 'http://scam-xss.example/\"><img data-xss src=x onerror=window.__xss=1>']",
    "[url:value = 'https://scam-xss.example/{{7*7}}?q=</textarea><i data-xss>']",
    "[domain-name:value = 'xss-\u202egnp.example']",
    "[email-addr:value = '\"<svg/onload=window.__xss=1>\"@scam-xss.example']",
    "[url:value = 'javascript:window.__xss=1//scam-xss.example']",
)


def partner_push(seeded: Seeded, tokens: dict[str, str]) -> None:
    """The partner POSTs indicators (payloads in names, descriptions, labels and patterns), an
    identity and a sighting to the TAXII inbox."""
    from tipline.sharing.taxii.collections import INBOX
    from tipline.sharing.taxii.core import MEDIA_TYPE

    stamp = "2026-12-02T00:00:00.000Z"
    objects = [stix_indicator(p) for p in PATTERNS]
    objects.append(
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": f"identity--{uuid.uuid4()}",
            "name": ALL[:250],
            "description": ALL,
            "created": stamp,
            "modified": stamp,
        }
    )
    objects.append({"type": "sighting", "spec_version": "2.1", "id": f"sighting--{uuid.uuid4()}",
                    "created": stamp, "modified": stamp, "description": ALL,
                    "sighting_of_ref": objects[0]["id"], "count": 3})  # fmt: skip
    path = f"/taxii2/tipline/collections/{INBOX.id}/objects/"
    request = urllib.request.Request(
        f"{seeded.base}{path}", data=json.dumps({"objects": objects}).encode(), method="POST",
        headers={"Content-Type": MEDIA_TYPE, "Accept": MEDIA_TYPE,
                 "Authorization": f"Bearer {tokens['partner']}"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
        status = json.load(answer)
    assert status["success_count"] >= 1, status
    seeded.fields["TAXII POST inbox objects"] = Filled(
        {}, ["indicator.name", "indicator.description", "indicator.labels[]", "indicator.pattern",
             "indicator.x_note", "identity.name", "identity.description", "sighting.description"],
    )  # fmt: skip


def misp_import(seeded: Seeded, data_dir: Path) -> None:
    """A MISP event whose organisation, info, comments and tags hold payloads, imported."""
    from tipline.db import make_engine, make_session_factory
    from tipline.sharing.misp_service import import_events

    event = {
        "uuid": str(uuid.uuid4()), "info": ALL, "Orgc": {
            "name": PAYLOADS["img onerror"], "uuid": str(uuid.uuid4())},
        "Tag": [{"name": "tlp:green"}, {"name": PAYLOADS["script"]}],
        "Attribute": [
            {"type": "url", "category": "Network activity", "comment": ALL, "to_ids": True,
             "value": "http://misp-xss.example/<svg data-xss onload=window.__xss=1>",
             "uuid": str(uuid.uuid4()), "Tag": [{"name": PAYLOADS["svg onload"]}]},
            {"type": "domain", "category": "Network activity", "comment": ALL, "to_ids": True,
             "value": "misp-xss.example", "uuid": str(uuid.uuid4())},
        ],
    }  # fmt: skip
    path = data_dir / "misp-event.json"
    path.write_text(json.dumps(event), "utf-8")
    engine = make_engine(Settings(data_dir=data_dir).sqlalchemy_url)
    with make_session_factory(engine)() as session:
        ((_, summary),) = import_events(session, "cli:test", path)
        session.commit()
    engine.dispose()
    assert summary.imported >= 1, summary
    seeded.fields["MISP event import"] = Filled(
        {}, ["Orgc.name", "info", "Tag.name", "Attribute.value", "Attribute.comment",
             "Attribute.Tag.name"])  # fmt: skip


def case_and_alert(data_dir: Path, codes: list[str]) -> None:
    """A case of the payloads' reports and an alert drafted from their campaign (the staff's
    own words stay plain: the payloads come in with the reports)."""
    from sqlalchemy import select
    from tests.principals import staff

    from tipline.alerts.service import draft_alert
    from tipline.campaigns import repository as campaigns
    from tipline.cases.service import create_case
    from tipline.db import make_engine, make_session_factory
    from tipline.reports.models import Report

    analyst = staff("analyst:lan", 1)
    engine = make_engine(Settings(data_dir=data_dir).sqlalchemy_url)
    with make_session_factory(engine)() as session:
        create_case(session, analyst, "Payloads", report_codes=codes)
        ids = session.scalars(select(Report.id).where(Report.code.in_(codes))).all()
        labels = {campaigns.campaign_of(session, i) for i in ids} - {None}
        assert labels, "the payloads' reports make no campaign"
        uids = campaigns.uids_of(session, sorted(label for label in labels if label is not None))
        for uid in uids.values():
            draft_alert(session, analyst, uid)
    engine.dispose()


def report_id_of(data_dir: Path, code: str) -> int:
    from sqlalchemy import select

    from tipline.db import make_engine, make_session_factory
    from tipline.reports.models import Report

    engine = make_engine(Settings(data_dir=data_dir).sqlalchemy_url)
    with make_session_factory(engine)() as session:
        found = session.scalars(select(Report.id).where(Report.code == code)).one()
    engine.dispose()
    return found


def words_from_outside(seeded: Seeded, tokens: dict[str, str], report_id: int) -> None:
    """What staff copy in from others' words: an incoming cooperation request (a foreign
    authority's letter: every free string field), of a payload's report; a hash bank (its
    owner and provenance, as the organisation gave them)."""
    base = seeded.base
    given = {"direction": "incoming", "type": "disclosure", "report_ids": [report_id],
             "data_requested": [], "campaign_uids": [], "case_id": None,
             "partner_id": None}  # fmt: skip
    cooperation = filled_from(CooperationCreate.model_json_schema(), given)
    post_filled(base, "/api/v1/cooperation", cooperation, tokens["analyst"])
    seeded.fields["POST /api/v1/cooperation"] = cooperation
    given = {"kind": "other", "tlp": "amber", "owner_organisation": "Vietcombank"}
    bank = filled_from(BankCreate.model_json_schema(), given)
    post_filled(base, "/api/v1/media/banks", bank, tokens["analyst"])
    seeded.fields["POST /api/v1/media/banks"] = bank
