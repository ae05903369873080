"""Files a victim adds to her report: screenshots of the chat, the transfer slip, a recording.

They are checked before anything is filed (how many, how large, and what they are by their
content, as the evidence store reads it), so a refused file never leaves a report half made and
the page says why in her language. Then each goes into the evidence store (synced), and the
report's own transaction attaches them with their chain of custody (received from the reporter):
a crash keeps the report with its files, or neither. Files added later on the follow page are
received from the reporter, who proved she holds the report with its secret. A child's report
takes no files: sexual images of a child are never to be copied, not even to report them (its
advice says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from tipline.errors import InvalidInput
from tipline.evidence.core import ContentCheck, Kind, agreed_media_type, sanitise_file_name
from tipline.evidence.service import (
    ArrivalCheck,
    Received,
    StoredUpload,
    Upload,
    forget_upload,
    receive,
    record_upload,
    screen_received,
    store_of,
    store_upload,
)
from tipline.html.i18n import Translator
from tipline.principals import ReportHolder
from tipline.settings import Settings

MAX_FILES = 5
MAX_TOTAL_MB = 10
MAX_TOTAL_BYTES = MAX_TOTAL_MB * 1024 * 1024
# What a person has on her phone about a scam; not archives, which no one can look into at once.
ACCEPTED_KINDS = frozenset(kind.value for kind in Kind if kind is not Kind.ZIP)
ACCEPT_ATTRIBUTE = "image/*,application/pdf,text/plain,audio/*,video/*,.txt,.json"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A checked file, held until the report it joins exists."""

    file_name: str
    declared_type: str | None
    content: bytes


def file_problem(content: bytes, declared_type: str | None, file_name: str) -> str | None:
    """Why this file is refused (`empty`, `not_accepted`), or None: what the evidence store
    would say of it, and a citizen's narrower list of kinds."""
    if not content:
        return "empty"
    check = ContentCheck()
    check.feed(content)
    try:
        media_type = agreed_media_type(check.kind(), declared_type, file_name)
    except InvalidInput:
        return "not_accepted"
    return None if media_type in ACCEPTED_KINDS else "not_accepted"


def _chosen(uploads: Sequence[object]) -> list[UploadFile]:
    # A browser sends one empty part when no file was chosen.
    return [u for u in uploads if isinstance(u, UploadFile) and (u.filename or u.size)]


async def read_attachments(
    uploads: Sequence[object], t: Translator
) -> tuple[list[Attachment], str | None]:
    """The chosen files, checked; or none and what is wrong, in the reader's language."""
    chosen = _chosen(uploads)
    if len(chosen) > MAX_FILES:
        return [], t("upload.too_many", max=MAX_FILES)
    kept: list[Attachment] = []
    total = 0
    for upload in chosen:
        content = await upload.read(MAX_TOTAL_BYTES + 1 - total)
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            return [], t("upload.too_large", mb=MAX_TOTAL_MB)
        name = sanitise_file_name(upload.filename)
        if problem := file_problem(content, upload.content_type, name):
            return [], t(f"upload.{problem}", name=name)
        kept.append(Attachment(name, upload.content_type, content))
    return kept, None


def keep_files(settings: Settings, files: Sequence[Attachment]) -> list[StoredUpload]:
    """Put the checked files in the evidence store (synced), before the report that they
    join is filed: its transaction then records them with it (`FiledFiles`)."""
    store = store_of(settings)
    kept: list[StoredUpload] = []
    try:
        for item in files:
            upload = Upload([item.content], item.file_name, item.declared_type)
            kept.append(store_upload(store, upload, MAX_TOTAL_BYTES))
    except BaseException:
        forget_files(settings, kept)
        raise
    return kept


def forget_files(settings: Settings, kept: Sequence[StoredUpload]) -> None:
    """Remove the files kept for a report that was not filed after all."""
    store = store_of(settings)
    for upload in kept:
        forget_upload(store, upload)


@dataclass
class FiledFiles:
    """The kept files, recorded in the filing's transaction once the report has its id
    (`submit_report`'s `with_report`): each attached to it, received from the reporter."""

    kept: Sequence[StoredUpload]
    report_id: int | None = None
    received: list[Received] = field(default_factory=list)

    def __call__(self, session: Session, report_id: int) -> None:
        actor = ReportHolder(report_id).actor
        self.report_id = report_id
        self.received = [record_upload(session, upload, actor, report_id) for upload in self.kept]

    def screen(self, session: Session, settings: Settings, screen: ArrivalCheck | None) -> None:
        """Put the images, now committed, through `screen` (the app's hash-bank check)."""
        if screen is not None and self.received:
            screen_received(session, store_of(settings), self.received, self.report_id, screen)


def attach(
    session: Session, settings: Settings, holder: ReportHolder, files: Sequence[Attachment],
    screen: ArrivalCheck | None = None,
) -> int:  # fmt: skip
    """Keep each file in the evidence store, attached to her report (an image screened by
    `screen`, the app's hash-bank check); the number kept."""
    if not files:
        return 0
    store = store_of(settings)
    for item in files:
        upload = Upload([item.content], item.file_name, item.declared_type)
        receive(session, store, upload, holder, MAX_TOTAL_BYTES, report_id=holder.report_id,
                screen=screen)  # fmt: skip
    return len(files)
