"""The Atom feed of published alerts (RFC 4287), from a template: every text escaped by Jinja's
autoescape, which writes XML's escapes too; tests parse it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request

from tipline.alerts.schemas import AlertRead
from tipline.db_types import utc_now
from tipline.html.i18n import Translator
from tipline.html.rendering import environment, page_globals
from tipline.indicators.accounts import shown_value


def shown_values(alert: AlertRead) -> list[tuple[str, str]]:
    """(kind, the value as a person reads it) of each value the alert names."""
    return [(v.kind, shown_value(v.kind, v.value)) for v in alert.indicators]


def _stamp(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _content(alert: AlertRead, language: str) -> str:
    t = Translator(language)
    text = alert.texts.get(language) or alert.texts["vi"]
    values = [f"- {t(f'kind.{kind}')}: {shown}" for kind, shown in shown_values(alert)]
    parts = [text.script, "\n".join([t("alerts.values"), *values]) if values else "", text.advice]
    return "\n\n".join(part for part in parts if part)


def atom_feed(request: Request, alerts: list[AlertRead], base: str, language: str) -> str:
    entries = [
        {
            "uid": a.uid,
            "category": a.category,
            "published": _stamp(a.published_at),
            "updated": _stamp(a.updated_at),
            "title": (a.texts.get(language) or a.texts["vi"]).title,
            "summary": (a.texts.get(language) or a.texts["vi"]).summary,
            "content": _content(a, language),
        }  # fmt: skip
        for a in alerts
    ]
    updated = max((a.updated_at for a in alerts), default=utc_now())
    context = page_globals(request, "alerts") | {
        "entries": entries,
        "base": base,
        "updated": _stamp(updated),
    }
    return environment(language).get_template("alerts/feed.xml").render(context)
