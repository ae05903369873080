"""The queue page's rows as HTML: the one part of `queue.html` written here instead of in Jinja.

A page has fifty rows of nine cells, a claim form and (for a lead) an assign form in each. Jinja
spends a Python call on every attribute it reads, every value it escapes and every function a
cell calls: the rows were over a third of the page's instructions (bench/README.md, issue 10's
queue figures). Here what every row repeats (the cells' labels, the hidden fields of the forms,
the assignees' options, the translated labels of the vocabulary) is escaped once a page, and
each row is one f-string of its own values, escaped: the HTML is the same, byte for byte, as the
loop of `queue.html` wrote (`tests/workspace/test_queue_rows.py` renders both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from markupsafe import Markup, escape

from tipline.html.i18n import Translator
from tipline.vocabulary import CATEGORIES, URGENCIES
from tipline.workspace.core import STATUSES
from tipline.workspace.repository import QueueRow

try:  # markupsafe's own escaping in C, without the Markup object that `escape` makes each call
    from markupsafe._speedups import _escape_inner as _escaped
except ImportError:  # pragma: no cover: markupsafe without its C part

    def _escaped(s: str, /) -> str:
        return str(escape(s))


CELL_LABELS = ("code", "urgency", "age", "category", "status", "province", "loss", "assignee",
               "narrative")  # fmt: skip


class Item(Protocol):
    """A row of the queue as the service gives it (`tipline.workspace.service.QueueItem`)."""

    @property
    def row(self) -> QueueRow: ...
    @property
    def snippet(self) -> str: ...
    @property
    def waited(self) -> tuple[int, str]: ...


@dataclass(frozen=True, slots=True)
class RowsView:
    """Who reads the page and where it is: what the rows' forms need besides the rows."""

    username: str
    assignable: Sequence[str]
    here: str


def _options(assignable: Sequence[str], selected: str | None) -> str:
    return "".join(
        f'<option value="{_escaped(name)}"{" selected" if name == selected else ""}>'
        f"{_escaped(name)}</option>"
        for name in assignable
    )


def _labels(t: Translator) -> dict[str, str]:
    """The cells' labels (`code`, …), and the forms' (`claim`, `assign`, `assign_to`, `nobody`)."""
    labels = {cell: _escaped(t(f"queue.field.{cell}")) for cell in CELL_LABELS}
    for word in ("claim", "assign", "assign_to", "nobody"):
        labels[word] = _escaped(t(f"queue.{word}"))
    return labels


class _Page:
    """What the rows of one page share, escaped once."""

    def __init__(
        self, t: Translator, view: RowsView, csrf_token: str, when: Callable[[datetime], str]
    ) -> None:
        self.t, self.view, self.when = t, view, when
        self.label = _labels(t)
        self.back_fields = (
            f'<input type="hidden" name="csrf_token" value="{_escaped(csrf_token)}">'
            f'<input type="hidden" name="next" value="{_escaped(view.here)}">'
        )
        self.at_risk = f' <span class="at-risk">{_escaped(t("queue.at_risk"))}</span>'
        self.many = len(view.assignable) > 1
        self.options = {name: _options(view.assignable, name) for name in view.assignable}
        self.no_option = _options(view.assignable, None)
        self.urgencies = {u: _escaped(t(f"urgency.{u}")) for u in URGENCIES}
        self.statuses = {s: _escaped(t(f"queue.status.{s}")) for s in STATUSES}
        self.categories = {
            c: _escaped(t(f"category.{c}")) for c in CATEGORIES if t.has(f"category.{c}")
        }
        self.ages: dict[tuple[int, str], str] = {}

    def age(self, waited: tuple[int, str]) -> str:
        if waited not in self.ages:
            self.ages[waited] = _escaped(self.t(f"queue.age.{waited[1]}", n=waited[0]))
        return self.ages[waited]


def rows_html(
    items: Sequence[Item],
    t: Translator,
    view: RowsView,
    csrf_token: str,
    when: Callable[[datetime], str],
    money: Callable[[Decimal, str], str],
) -> Markup:
    """The `<tr>` of each item, as `queue.html`'s table body shows them."""
    page = _Page(t, view, csrf_token, when)
    return Markup("".join([_row(page, item, money) for item in items]))


def _claim(page: _Page, row: QueueRow) -> str:
    if row.assignee == page.view.username or (row.assignee is not None and not page.many):
        return ""
    return f"""
      <form class="report-inline" method="post" action="/reports/{row.id}/claim">
        {page.back_fields}
        <button type="submit">{page.label["claim"]}</button>
      </form>
      """


def _assign(page: _Page, row: QueueRow) -> str:
    if not page.many:
        return ""
    label, options = page.label, page.options.get(row.assignee or "", page.no_option)
    return f"""
      <form class="report-inline queue-assign" method="post" action="/reports/{row.id}/assign">
        {page.back_fields}
        <label class="sr" for="assign-{row.id}">{label["assign_to"]}</label>
        <select id="assign-{row.id}" name="assignee">
          <option value="">{label["nobody"]}</option>
          {options}
        </select>
        <button type="submit">{label["assign"]}</button>
      </form>
      """


def _row(page: _Page, item: Item, money: Callable[[Decimal, str], str]) -> str:
    row, label = item.row, page.label
    at_risk = row.risk_rank == 0
    urgency = page.urgencies.get(row.urgency) or _escaped(page.t(f"urgency.{row.urgency}"))
    status = page.statuses.get(row.status) or _escaped(page.t(f"queue.status.{row.status}"))
    category = page.categories.get(row.category) or _escaped(row.category)
    loss = "—"
    if row.loss_amount is not None:
        loss = _escaped(money(row.loss_amount, row.loss_currency or "VND"))
    who = _escaped(row.assignee) if row.assignee else label["nobody"]
    return f"""
  <tr{' class="queue-at-risk"' if at_risk else ""}>
    <td data-label="{label["code"]}"><a href="/reports/{row.id}"><code>{_escaped(row.code)}</code></a>{page.at_risk if at_risk else ""}</td>
    <td data-label="{label["urgency"]}"><span class="urgency-{_escaped(row.urgency)}">{urgency}</span></td>
    <td data-label="{label["age"]}" title="{_escaped(page.when(row.created_at))}">{page.age(item.waited)}</td>
    <td data-label="{label["category"]}">{category}</td>
    <td data-label="{label["status"]}">{status}</td>
    <td data-label="{label["province"]}">{_escaped(row.province or "—")}</td>
    <td data-label="{label["loss"]}" class="queue-loss">{loss}</td>
    <td data-label="{label["assignee"]}" class="queue-assignee">
      <span class="queue-who">{who}</span>
      {_claim(page, row)}
      {_assign(page, row)}
    </td>
    <td data-label="{label["narrative"]}" class="queue-snippet">{_escaped(item.snippet)}</td>
  </tr>
  """  # noqa: E501 (the row's HTML as the template wrote it, line for line)
