"""Filing a report from the web form: validate, read the payment QR picture, submit, receipt.

The page's steps that are not HTTP: turning the typed form (and an optional screenshot) into the
reports service's `ReportCreate`, and submitting it (the receipt page then reads the report
again: `tipline.web.receipts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from tipline.errors import InvalidInput
from tipline.html.i18n import Translator
from tipline.intake.service import submit_report
from tipline.messages import localise
from tipline.reports.schemas import ReportCreate, ReportReceipt
from tipline.settings import Settings
from tipline.vietqr.core import VietQRError, VietQRPayment
from tipline.vietqr.image import MAX_IMAGE_BYTES
from tipline.vietqr.service import decode_payment_image
from tipline.vocabulary import PAGE_BODY_BYTES
from tipline.web.attachments import Attachment, FiledFiles, forget_files, keep_files
from tipline.web.forms import ReportInput, validate_report

# The QR picture, the attached files and every text field: as much as any page may post.
MAX_BODY_BYTES = PAGE_BODY_BYTES


@dataclass
class ReportFiling:
    """A validated form (or its errors, already in the reader's language) and its QR payment."""

    clean: ReportCreate | None
    payment: VietQRPayment | None
    about_child: bool
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class FiledReport:
    receipt: ReportReceipt | None
    filing: ReportFiling
    errors: dict[str, str] = field(default_factory=dict)


async def _payment(upload: object, t: Translator, errors: dict[str, str]) -> VietQRPayment | None:
    if not isinstance(upload, UploadFile):
        return None
    data = await upload.read(MAX_IMAGE_BYTES + 1)
    if not data and not upload.filename:
        return None  # the browser sends an empty part when no file was chosen
    try:
        return await run_in_threadpool(decode_payment_image, data)
    except VietQRError as exc:
        errors["qr_image"] = f"{t(f'qr.{exc.reason}')} {t('qr.note')}"
        return None


async def read_filing(raw: ReportInput, upload: object, t: Translator) -> ReportFiling:
    """The form validated and its picture decoded; errors by field, in the reader's language."""
    clean, problems = validate_report(raw)
    errors = {name: localise(error, t.language)["message"] for name, error in problems.items()}
    payment = None if raw.about_child else await _payment(upload, t, errors)
    return ReportFiling(None if errors else clean, payment, raw.about_child, errors)


def report_create(clean: ReportCreate, payment: VietQRPayment | None) -> ReportCreate:
    """The intake's input; the QR code's account is one more listed indicator."""
    if payment is None or payment.indicator_value in clean.indicators:
        return clean
    listed = [*clean.indicators, payment.indicator_value]
    return ReportCreate.model_validate({**clean.model_dump(), "indicators": listed})


def file_report(
    session: Session,
    filing: ReportFiling,
    language: str,
    with_report: Callable[[Session, int], object] | None = None,
) -> FiledReport:
    """Submit the filing (and `with_report`, its files, in the report's transaction); a value
    the service refuses comes back as a field error."""
    assert filing.clean is not None
    t = Translator(language)
    create = report_create(filing.clean, filing.payment)
    try:
        receipt = submit_report(session, create, "web", with_report)
    except ValidationError as exc:  # the QR code's account was one indicator too many
        said = [localise(dict(error), language) for error in exc.errors()]
        return FiledReport(None, filing, {s["field"].split(".")[0]: s["message"] for s in said})
    except InvalidInput as exc:
        return FiledReport(None, filing, {exc.field or "narrative": t("error.invalid")})
    return FiledReport(receipt, filing)


def file_with_files(
    session: Session, settings: Settings, filing: ReportFiling, language: str,
    files: Sequence[Attachment],
) -> tuple[FiledReport, FiledFiles]:  # fmt: skip
    """The report and its files in one transaction (the files synced into the store first):
    a crash keeps both or neither. The files of a report then refused are removed again."""
    files_filed = FiledFiles(keep_files(settings, files))
    try:
        filed = file_report(session, filing, language, files_filed)
    except BaseException:
        forget_files(settings, files_filed.kept)
        raise
    if filed.receipt is None:
        forget_files(settings, files_filed.kept)
    return filed, files_filed
