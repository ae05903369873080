"""A cooperation request as a PDF document, in Vietnamese or English, to send through the
channels the request goes by (the 24/7 network, the central authority, e-mail).

It says what the request holds and nothing else: the indicators are the lines the analyst chose
to ask about, the facts the summary the analyst wrote. No report's narrative, no reporter's
contact, no victim's name is read here, so none can leak into the document.

The text is set in DejaVu Sans (Debian's fonts-dejavu-core), which has every Vietnamese letter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

from tipline.cooperation.core import line_text
from tipline.cooperation.models import CooperationRequest
from tipline.errors import TiplineError
from tipline.html.i18n import translations

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
LANGUAGES = ("vi", "en")


class FontMissing(TiplineError):
    status = 503
    code = "font_missing"


@dataclass(frozen=True, slots=True)
class CaseLine:
    """The case a request comes from, as the document names it."""

    reference: str
    title: str


def pdf_fonts() -> tuple[Path, Path]:
    """The regular and bold DejaVu Sans (every Vietnamese letter), or FontMissing."""
    for path in (FONT, BOLD_FONT):
        if not path.is_file():
            raise FontMissing(
                f"the PDF font {path} is missing: install Debian's fonts-dejavu-core "
                "(scripts/ensure-system-deps.sh)"
            )
    return FONT, BOLD_FONT


def new_pdf(title: str, language: str) -> FPDF:
    """An A4 document titled `title`, with DejaVu Sans as "DejaVu" (regular "" and bold "B"):
    tipline's PDFs (a cooperation request, a lesson's handout) all start here."""
    regular, bold = pdf_fonts()
    pdf = FPDF(format="A4")
    pdf.set_lang(language)
    pdf.set_title(title)
    pdf.set_creator("tipline")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    return pdf


def _sections(
    request: CooperationRequest, case: CaseLine | None, t: Callable[[str], str]
) -> list[tuple[str, str]]:
    """(heading, text) of each part of the document, in order; empty parts left out."""
    lines = [
        f"{t('coop.kind.' + line['kind'])}: {line_text(line)}" for line in request.data_requested
    ]
    parts = [
        (t("coop.field.type"), t(f"coop.type.{request.type}")),
        (t("coop.field.requesting_authority"), request.requesting_authority),
        (t("coop.field.requested_authority"), request.requested_authority),
        (t("coop.field.their_reference"), request.their_reference or ""),
        (t("coop.pdf.case"), f"{case.reference} · {case.title}" if case else ""),
        (t("coop.field.legal_basis"), request.legal_basis),
        (t("coop.field.offences"), request.offences),
        (t("coop.pdf.indicators"), "\n".join(lines) or t("coop.pdf.none")),
        (t("coop.field.facts"), request.facts),
        (t("coop.pdf.preserve_until"), _day(request.preserved_until)),
        (t("coop.pdf.deadline"), _day(request.deadline)),
        (t("coop.field.confidentiality"), request.confidentiality),
        (t("coop.field.data_conditions"), request.data_conditions),
    ]
    return [(heading, text) for heading, text in parts if text]


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def request_pdf(
    request: CooperationRequest, case: CaseLine | None, language: str, today: date
) -> bytes:
    """The request as a PDF in `language` (vi or en)."""
    t = translations(language if language in LANGUAGES else "vi").gettext
    pdf = new_pdf(f"{t('coop.pdf.title')} {request.reference}", language)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, t("coop.pdf.title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    heading = f"{t('coop.pdf.reference')}: {request.reference}    {t('coop.pdf.date')}: {today}"
    pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
    for title, text in _sections(request, case, t):
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 8)
    footer = t("coop.pdf.footer").format(reference=request.reference)
    pdf.multi_cell(0, 5, footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
