"""What the holder of a report sees of it: the receipt after filing, and the follow page.

Both are read again from the database on every visit, as the holder of the report's code and
secret (never from the form that filed it), so reloading a receipt files nothing and shows the
report as it is now. The advice comes as sections: first, when triage read a possible risk to
life, crisis help (115, 113, stay with the person); for a victim who has sent money, the call to
her bank to freeze the transfer; then the category's own advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tipline.html.i18n import Translator
from tipline.html.rendering import when_filter
from tipline.indicators.accounts import shown_value
from tipline.indicators.banks import Bank, bank_named
from tipline.indicators.repository import NamedIndicator, indicators_of_report
from tipline.intake.reading import indicators_of
from tipline.principals import ReportHolder
from tipline.reports.service import held_report
from tipline.triage.advice import (
    AdviceSection,
    advice_audience,
    advice_for,
    crisis_advice,
    paid_advice,
)
from tipline.triage.rules import names_risk_to_life
from tipline.triage.voice import story_voice

CHILD_AGE_GROUPS = ("under_13", "13_17")


@dataclass(frozen=True, slots=True)
class HeldReport:
    """A report as its holder may see it (no narrative, no contact: she wrote those)."""

    holder: ReportHolder
    code: str
    status: str
    category: str
    urgency: str  # for what the page says happens next; never shown as a word
    created_at: datetime
    updated_at: datetime
    loss_amount: Decimal | None
    loss_currency: str | None
    anonymous: bool
    about_child: bool
    reporter: str | None  # who reported: the advice is written to them
    voice: str | None  # who writes, as the story shows it (child, parent, teacher): when not said
    at_risk_of_life: bool  # triage read self-harm or a farewell: crisis help first
    indicators: list[NamedIndicator]
    unrecognised: list[str]
    payments: list[dict[str, Any]]


def held(session: Session, code: str, secret: str) -> HeldReport:
    """The report of this code and secret; NotFound for either wrong."""
    holder, report = held_report(session, code, secret)
    return HeldReport(
        holder=holder,
        code=report.code,
        status=report.status,
        category=report.category,
        urgency=report.urgency,
        created_at=report.created_at,
        updated_at=report.updated_at,
        loss_amount=report.loss_amount,
        loss_currency=report.loss_currency,
        anonymous=report.anonymous,
        about_child=report.victim_age_group in CHILD_AGE_GROUPS,
        reporter=report.reporter,
        voice=story_voice(report.narrative) if report.reporter is None else None,
        at_risk_of_life=names_risk_to_life(report.triage_reasons or []),
        indicators=indicators_of_report(session, holder, holder.report_id),
        unrecognised=indicators_of("", [str(v) for v in report.listed_values or []])[1],
        payments=list(report.payments or []),
    )


def _bank_of_account(value: str) -> Bank | None:
    return bank_named(value.split(":", 1)[0]) if ":" in value else None


def has_paid(report: HeldReport) -> bool:
    """She says she lost money, or gave the transfer she made."""
    return bool(report.payments) or (report.loss_amount is not None and report.loss_amount > 0)


def own_bank(report: HeldReport) -> Bank | None:
    """Her bank: the one she named for the transfer, else an account the report calls hers."""
    for payment in report.payments:
        if bank := bank_named(str(payment.get("from_bank") or "")):
            return bank
    for item in report.indicators:
        if item.kind == "bank_account" and item.reporter_own:
            if bank := _bank_of_account(item.value):
                return bank
    return None


def paid_banks(report: HeldReport) -> list[Bank]:
    """The banks of the accounts she paid (or reported), in the report's order."""
    banks = [bank_named(str(p.get("to_bank") or "")) for p in report.payments]
    banks += [
        _bank_of_account(item.value)
        for item in report.indicators
        if item.kind == "bank_account" and not item.reporter_own
    ]
    return [bank for bank in banks if bank is not None]


def about_a_child(report: HeldReport) -> bool:
    """The victim is under 18, or triage read child exploitation."""
    return report.about_child or report.category == "child_exploitation"


def audience(report: HeldReport) -> str | None:
    """Whom the receipt speaks to: who reported, else who the story shows writing, else (for a
    report about a child) both her and an adult (`tipline.triage.advice.EITHER`)."""
    child_story = report.category == "child_exploitation"
    return advice_audience(report.reporter, report.about_child, report.voice, child_story)


def advice_sections(report: HeldReport, language: str) -> list[AdviceSection]:
    """The receipt's advice: crisis help first when someone's life may be at risk, the call to
    her bank when she has paid, then the category's steps, what to keep and whom to contact,
    written to who reported (the child herself, a parent, a teacher)."""
    sections = advice_for(report.category, language, audience=audience(report)).sections()
    if has_paid(report):
        sections.insert(0, paid_advice(language, own_bank(report), paid_banks(report)))
    if report.at_risk_of_life:
        sections.insert(0, crisis_advice(language))
    return sections


def next_step(report: HeldReport) -> str:
    """The message key of what happens next for this report: never its urgency's name."""
    return f"receipt.next.{report.urgency}"


def page_values(report: HeldReport, secret: str, language: str) -> dict[str, Any]:
    """What receipt.html shows."""
    sections = advice_sections(report, language)
    return {
        "receipt": report,
        "secret": secret,
        "urgent_sections": [section for section in sections if section.urgent],
        "sections": [section for section in sections if not section.urgent],
        "next_step": next_step(report),
        "audience": audience(report),
        "about_a_child": about_a_child(report),
        "shown_values": {
            item.value: shown_value(item.kind, item.value) for item in report.indicators
        },
    }


def receipt_file_name(report: HeldReport) -> str:
    return f"tipline-{report.code}.txt"


def receipt_text(report: HeldReport, secret: str, t: Translator, site: str) -> str:
    """The receipt a victim keeps: her code and secret, when, and where to follow it."""
    when = when_filter(t.language)(report.created_at)
    lines = [
        t("receipt.file.title"),
        "",
        f"{t('field.code')}: {report.code}",
        f"{t('field.secret')}: {secret}",
        f"{t('receipt.file.sent')}: {when}",
        "",
        t("receipt.file.follow", url=f"{site}/follow"),
        t("receipt.file.private"),
    ]
    urgent = [crisis_advice(t.language)] if report.at_risk_of_life else []
    if has_paid(report):
        urgent.append(paid_advice(t.language, own_bank(report), paid_banks(report)))
    for section in urgent:
        lines += ["", str(section.heading), *(f"- {line}" for line in section.lines)]
    return "\r\n".join(lines) + "\r\n"
