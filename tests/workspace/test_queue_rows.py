"""The queue's rows written in Python (tipline.workspace.queue_rows) are the HTML that the
Jinja loop of queue.html wrote before them, byte for byte: for an analyst and for a lead (assign
forms), in both languages, with values that need escaping. Pure: no database, no app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tipline.html.i18n import Translator
from tipline.html.rendering import environment, money_filter, when_filter
from tipline.vocabulary import CATEGORIES, URGENCIES
from tipline.workspace.core import STATUSES
from tipline.workspace.queue_rows import RowsView, rows_html
from tipline.workspace.repository import QueueRow

# The loop of queue.html before issue 10's h10q, kept here as the reference.
JINJA_LOOP = """{% from "html/macros.html" import csrf_field %}{#- What every row repeats, looked up and escaped once a page: a page has fifty rows. #}
  {%- set code_label, urgency_label, age_label = t("queue.field.code"), t("queue.field.urgency"), t("queue.field.age") %}
  {%- set category_label_, status_label, province_label = t("queue.field.category"), t("queue.field.status"), t("queue.field.province") %}
  {%- set loss_label, assignee_label, narrative_label = t("queue.field.loss"), t("queue.field.assignee"), t("queue.field.narrative") %}
  {%- set back_fields %}{{ csrf_field(csrf_token) }}<input type="hidden" name="next" value="{{ here }}">{% endset %}
  {%- set many_assignable = assignable|length > 1 %}
  {%- set nobody, claim, assign_to, assign = t("queue.nobody"), t("queue.claim"), t("queue.assign_to"), t("queue.assign") %}
  {% for item in queue.items %}{% set row = item.row %}
  <tr{% if row.risk_rank == 0 %} class="queue-at-risk"{% endif %}>
    <td data-label="{{ code_label }}"><a href="/reports/{{ row.id }}"><code>{{ row.code }}</code></a>{% if row.risk_rank == 0 %} <span class="at-risk">{{ t("queue.at_risk") }}</span>{% endif %}</td>
    <td data-label="{{ urgency_label }}"><span class="urgency-{{ row.urgency }}">{{ urgency_labels[row.urgency] or t("urgency." ~ row.urgency) }}</span></td>
    <td data-label="{{ age_label }}" title="{{ when(row.created_at) }}">{{ t("queue.age." ~ item.waited[1], n=item.waited[0]) }}</td>
    <td data-label="{{ category_label_ }}">{{ category_labels[row.category] or row.category }}</td>
    <td data-label="{{ status_label }}">{{ status_labels[row.status] or t("queue.status." ~ row.status) }}</td>
    <td data-label="{{ province_label }}">{{ row.province or "—" }}</td>
    <td data-label="{{ loss_label }}" class="queue-loss">{{ money(row.loss_amount, row.loss_currency or "VND") if row.loss_amount is not none else "—" }}</td>
    <td data-label="{{ assignee_label }}" class="queue-assignee">
      <span class="queue-who">{{ row.assignee or nobody }}</span>
      {% if row.assignee != principal.username and (row.assignee is none or many_assignable) %}
      <form class="report-inline" method="post" action="/reports/{{ row.id }}/claim">
        {{ back_fields }}
        <button type="submit">{{ claim }}</button>
      </form>
      {% endif %}
      {% if many_assignable %}
      <form class="report-inline queue-assign" method="post" action="/reports/{{ row.id }}/assign">
        {{ back_fields }}
        <label class="sr" for="assign-{{ row.id }}">{{ assign_to }}</label>
        <select id="assign-{{ row.id }}" name="assignee">
          <option value="">{{ nobody }}</option>
          {% for name in assignable %}<option value="{{ name }}"{% if name == row.assignee %} selected{% endif %}>{{ name }}</option>{% endfor %}
        </select>
        <button type="submit">{{ assign }}</button>
      </form>
      {% endif %}
    </td>
    <td data-label="{{ narrative_label }}" class="queue-snippet">{{ item.snippet }}</td>
  </tr>
  {% endfor %}
"""  # noqa: E501
TOKEN = '1796690890.f22e"<&>'


@dataclass(frozen=True)
class Item:
    row: QueueRow
    snippet: str
    waited: tuple[int, str]


def _row(report_id: int, **changes: object) -> QueueRow:
    values: dict[str, object] = {
        "id": report_id, "code": f"TL{report_id:010d}", "urgency": "high",
        "category": "fraud.investment", "status": "new", "province": "Hà Nội",
        "loss_amount": None, "loss_currency": None,
        "created_at": datetime(2024, 11, 1, 3, 30, tzinfo=UTC), "narrative_start": "",
        "risk_rank": 1, "assignee": None,
    }  # fmt: skip
    values.update(changes)
    return QueueRow(**values)  # type: ignore[arg-type]


ITEMS = [
    Item(_row(4, urgency="critical", risk_rank=0, category="child_exploitation"), "Cứu <b>",
         (3, "days")),
    Item(_row(6, assignee="minh", loss_amount=Decimal("12500000"), loss_currency="VND"),
         "a & b", (5, "hours")),
    Item(_row(7, assignee='lan<&>"', province='A & "B" <c>', status="in_review"), "x",
         (1, "minutes")),
    Item(_row(9, assignee="bench", loss_amount=Decimal("37570"), loss_currency="USD",
              province=None), "", (3, "days")),
    Item(_row(11, category="not.a.category", urgency="low", status="closed"), "…", (0, "minutes")),
]  # fmt: skip


def _jinja(language: str, assignable: list[str], username: str) -> str:
    t = Translator(language)
    values = {
        "t": t, "when": when_filter(language), "money": money_filter(language),
        "csrf_token": TOKEN, "here": "/queue?q=a&b=<c>", "assignable": assignable,
        "principal": SimpleNamespace(username=username), "queue": SimpleNamespace(items=ITEMS),
        "urgency_labels": {u: t(f"urgency.{u}") for u in URGENCIES},
        "status_labels": {s: t(f"queue.status.{s}") for s in STATUSES},
        "category_labels": {c: t(f"category.{c}") for c in CATEGORIES if t.has(f"category.{c}")}
        | {"not.a.category": ""},
    }  # fmt: skip
    return environment(language).from_string(JINJA_LOOP).render(values)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("assignable", "username"), [(["bench"], "bench"), (["bench", 'lan<&>"', "minh"], "bench")]
)
def test_rows_are_the_jinja_loops_html(language: str, assignable: list[str], username: str) -> None:
    view = RowsView(username, assignable, "/queue?q=a&b=<c>")
    t = Translator(language)
    written = rows_html(ITEMS, t, view, TOKEN, when_filter(language), money_filter(language))
    assert "\n  " + written == _jinja(language, assignable, username)
    assert written.count("<tr") == len(ITEMS)
    assert "lan&lt;&amp;&gt;&#34;" in written
    assert ('class="report-inline queue-assign"' in written) == (len(assignable) > 1)
