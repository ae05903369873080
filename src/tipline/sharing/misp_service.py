"""MISP's use cases: a feed of what is shareable at a TLP, and MISP events read into the
indicator store through the same import as STIX bundles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tipline.db_types import utc_now
from tipline.errors import InvalidInput
from tipline.sharing import repository
from tipline.sharing.audit import record_share
from tipline.sharing.importing import ImportSummary, import_indicators
from tipline.sharing.misp import Org, Shared, misp_events
from tipline.sharing.misp_feed import MANIFEST, feed_files
from tipline.sharing.misp_read import partner_bundle, read_events, source_name
from tipline.sharing.policy import SharingPolicy, categories_of
from tipline.sharing.recipients import export_recipient, record_all, served_body
from tipline.sharing.stix import identity_id
from tipline.sharing.tlp import Tlp, parse_tlp


@dataclass(frozen=True, slots=True)
class MispShare:
    """MISP events, and the ids of the published STIX objects they were made of."""

    events: list[dict[str, Any]]
    ids: list[str]
    last_added: datetime | None = None  # when the last object in them was added


def published(row: Any) -> Shared:
    """A `shared_object` row as the MISP translation reads it: as stored, or as the
    recipient's own withdrawal (`tipline.sharing.recipients`)."""
    had = getattr(row, "withdrawn_tlp", None)  # a bare `SharedObject` is served as stored
    withdrawn = had is not None
    return Shared(
        body=json.loads(row.body if had is None else served_body(row)),
        tlp=parse_tlp(had or row.tlp),
        kind=row.kind,
        categories=categories_of(row.category_mask),
        revoked=row.revoked or withdrawn,
    )


def org_of(name: str) -> Org:
    """This instance as MISP's `Orgc`: its name, and the uuid of its STIX identity."""
    return Org(name, identity_id(name).partition("--")[2])


def events_at(session: Session, policy: SharingPolicy, org_name: str, recipient: str) -> MispShare:
    """The MISP events of everything published that the recipient receives under a policy."""
    rows = session.execute(repository.misp_rows(policy, recipient)).all()
    objects = [published(row) for row in rows]
    events = misp_events(objects, org_of(org_name))
    last = rows[-1].date_added if rows else None
    return MispShare(events, [str(item.body["id"]) for item in objects], last)


def write_feed(session: Session, actor: str, tlp: Tlp, org_name: str, folder: Path) -> MispShare:
    """Write a MISP feed of what is shareable at `tlp` (campaigns included) into `folder` (made
    if missing), and record the share in the audit log."""
    policy = SharingPolicy(max_tlp=tlp, campaigns=True)
    recipient = export_recipient("misp", tlp.value)
    share = events_at(session, policy, org_name, recipient)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in feed_files(share.events).items():
            (folder / name).write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot write {folder}: {error.strerror}", field="out") from error
    if share.last_added is not None:
        record_all(session, recipient, policy, share.last_added, utc_now())
    record_share(session, actor, None, policy, "misp.feed", len(share.ids), ids=share.ids)
    return share


def load_events(path: Path) -> list[dict[str, Any]]:
    """The MISP events of a file (one event, or a list of them) or of a feed's folder."""
    try:
        if path.is_dir():
            entries = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            return [json.loads((path / f"{uid}.json").read_text("utf-8")) for uid in entries]
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(f"cannot read MISP events from {path}: {error}", field="file") from error
    if isinstance(document, dict) and isinstance(document.get("response"), list):
        document = document["response"]
    events = document if isinstance(document, list) else [document]
    if not all(isinstance(event, dict) for event in events):
        raise InvalidInput(f"{path} holds no MISP events (JSON objects)", field="file")
    return events


def import_events(
    session: Session,
    actor: str,
    path: Path,
    source: str | None = None,
    now: datetime | None = None,
) -> list[tuple[str, ImportSummary]]:
    """File the indicators of a MISP event file or feed folder through the STIX import, under
    `source`, else under the name of the organisation that made each event; (source, summary)
    for each organisation."""
    done = []
    for read in read_events(load_events(path)):
        name = source or source_name(read.org)
        bundle = partner_bundle(read)
        summary = import_indicators(session, actor, name, bundle, "misp.events", now or utc_now())
        done.append((name, summary))
    return done
