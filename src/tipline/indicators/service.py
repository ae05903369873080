"""Indicator use cases: record what reports name, and check values as people type them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from tipline.cursors import make_cursor, read_cursor
from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotFound, TooLarge
from tipline.indicators import Indicator
from tipline.indicators import repository as indicators
from tipline.indicators.accounts import account_digits, bank_of, same_account
from tipline.indicators.defaults import default_allowlist
from tipline.indicators.disclosure import disclosed
from tipline.indicators.feeds import check_feed_names, decode_lines, feed_entries
from tipline.indicators.read import read_value_and_host
from tipline.indicators.schemas import (
    AccountReports,
    CheckRejected,
    CheckResult,
    FeedAttribution,
    IndicatorDetail,
    IndicatorPageRead,
    IndicatorRead,
    IndicatorReportRead,
)
from tipline.indicators.types import MAX_STORED_VALUE_BYTES, FoundIndicator
from tipline.messages import say
from tipline.principals import Caller
from tipline.vocabulary import MAX_BULK_VALUES, MAX_VALUE_LENGTH

UNREADABLE = {
    "en": "{value} is not a phone number, bank account, link, domain, email, IP address, wallet, "
    "hash or social handle",
    "vi": "{value} không phải số điện thoại, tài khoản ngân hàng, đường link, tên miền, email, "
    "địa chỉ IP, ví tiền mã hoá, mã băm hay tài khoản mạng xã hội",
}
TOO_LONG = {
    "en": "a value is at most {limit} characters",
    "vi": "mỗi giá trị tối đa {limit} ký tự",
}
EMPTY = {
    "en": "Type a phone number, bank account or link to check.",
    "vi": "Hãy nhập số điện thoại, số tài khoản hoặc đường link cần kiểm tra.",
}
TOO_MANY = {"en": "at most {limit} values in one check", "vi": "tối đa {limit} giá trị mỗi lần"}

ReportSightings = tuple[int, Sequence[FoundIndicator], datetime]
Key = tuple[str, str]


def record_report_indicators(session: Session, reports: Sequence[ReportSightings]) -> int:
    """Count each report's indicators and link them to it; returns the number of links."""
    sightings = [
        indicators.IndicatorSighting(f.kind, f.value, f.allowlisted, seen, seen, 1)
        for _report_id, found, seen in reports
        for f in found
    ]
    ids = indicators.upsert_indicators(session, sightings)
    links = [
        {
            "report_id": report_id,
            "indicator_id": ids[(f.kind, f.value)],
            "span_start": f.span[0] if f.span else None,
            "span_end": f.span[1] if f.span else None,
            "reporter_own": f.own,
        }
        for report_id, found, _seen in reports
        for f in found
    ]
    links.sort(key=lambda link: (link["indicator_id"], link["report_id"]))
    indicators.link_reports(session, links)
    return len(links)


@dataclass(frozen=True, slots=True)
class _Checked:
    """A typed value read: what it stands for, its key, the digits of an account (looked up at
    every bank: no key then), and for a link the host it is on."""

    indicator: Indicator
    host: Key | None
    key: Key
    digits: str | None


def _read(raw: str, language: str) -> _Checked:
    if len(raw) > MAX_VALUE_LENGTH:
        message = say(TOO_LONG, language, limit=MAX_VALUE_LENGTH)
        raise InvalidInput(message, field="value")
    if not raw.strip():
        raise InvalidInput(say(EMPTY, language), field="value")
    found, host = read_value_and_host(raw, default_allowlist())
    if found is None:
        message = say(UNREADABLE, language, value=repr(raw.strip()[:80]))
        raise InvalidInput(message, field="value")
    kind = found.kind.value
    host_key = None if host is None else (host.kind.value, host.value)
    return _Checked(found, host_key, (kind, found.value), account_digits(kind, found.value))


def check_value(session: Session, raw: str, language: str = "en") -> CheckResult:
    """The verdict on one value as a person typed it; InvalidInput (in `language`, vi or en)
    when it is no indicator."""
    result = check_values(session, [raw], language)[0]
    if isinstance(result, CheckRejected):
        raise InvalidInput(result.error, field="value")
    return result


def check_values(
    session: Session, raws: Sequence[str], language: str = "en"
) -> list[CheckResult | CheckRejected]:
    """The verdict on each value, in order; unreadable values are rejected one by one."""
    if len(raws) > MAX_BULK_VALUES:
        message = say(TOO_MANY, language, limit=MAX_BULK_VALUES)
        raise TooLarge(message, field="values")
    read = _read_all(raws, language)
    checked = [c for c in read if isinstance(c, _Checked)]
    digits = {c.digits for c in checked if c.digits is not None}
    keys = {c.key for c in checked if not c.digits}
    hosts = {c.host for c in checked if c.host is not None}
    verdicts = _Verdicts(session, keys | hosts, digits)
    results: list[CheckResult | CheckRejected] = []
    for raw, reading in zip(raws, read, strict=True):
        if isinstance(reading, InvalidInput):
            results.append(CheckRejected(input=raw, error=reading.message))
            continue
        item, host = reading.indicator, reading.host
        result = verdicts.of_indicator(raw, reading) or _unreported(raw, item)
        if result.verdict == "not_reported" and host is not None:
            # A link on a reported domain is reported: a blocklist that lists a domain means
            # every page on it, and victims often name only the domain.
            on_host = verdicts.of(raw, item, host)
            if on_host is not None and on_host.verdict == "reported":
                update = {"kind": item.kind.value, "value": item.value, "reported_host": host[1]}
                result = on_host.model_copy(update=update)
        results.append(result)
    return results


def _read_all(raws: Sequence[str], language: str) -> list[_Checked | InvalidInput]:
    distinct: dict[str, _Checked | InvalidInput] = {}
    for raw in raws:
        if raw in distinct:
            continue  # a bulk list often repeats a value: read it once
        try:
            distinct[raw] = _read(raw, language)
        except InvalidInput as exc:
            distinct[raw] = exc
    return [distinct[raw] for raw in raws]


class _Verdicts:
    """The stored indicators among `keys`, and the bank accounts of `digits` at any bank, with
    their reports' tallies and feeds: a query a kind, one for the accounts, two for the rest."""

    def __init__(self, session: Session, keys: set[Key], digits: set[str]) -> None:
        self.stored = indicators.find_indicators(session, keys)
        self.accounts: dict[str, list[indicators.StoredIndicator]] = {}
        for record in indicators.find_accounts(session, digits):
            self.accounts.setdefault(account_digits(record.kind, record.value) or "", []).append(
                record
            )
        records = [*self.stored.values(), *(r for found in self.accounts.values() for r in found)]
        ids = sorted({record.id for record in records})
        counted = sorted({record.id for record in records if record.report_count})
        self.tallies = indicators.report_tallies(session, counted)
        self.feeds = indicators.feed_listings(session, ids)

    def of_indicator(self, raw: str, checked: _Checked) -> CheckResult | None:
        """The verdict on the value itself (an account: on it at every bank that may be it)."""
        item, digits = checked.indicator, checked.digits
        if digits is None:
            return self.of(raw, item, checked.key)
        records = [r for r in self.accounts.get(digits, []) if same_account(item.value, r.value)]
        if not records:
            return None
        tallies = [self.tallies.get(r.id) or indicators.ReportTally() for r in records]
        feeds = [feed for r in records for feed in self.feeds.get(r.id, [])]
        allowlisted = item.allowlisted or any(r.allowlisted for r in records)
        result = _verdict(raw, item, allowlisted, _merged(tallies), feeds)
        at_banks = [
            AccountReports(value=r.value, bank=bank_of(r.value), report_count=count)
            for r, tally in zip(records, tallies, strict=True)
            if (count := sum(tally.categories.values()))
        ]
        if allowlisted or not at_banks:
            return result
        at_banks.sort(key=lambda a: (-a.report_count, a.value))
        return result.model_copy(update={"accounts": at_banks})

    def of(self, raw: str, item: Indicator, key: Key) -> CheckResult | None:
        record = self.stored.get(key)
        if record is None:
            return None
        tally = self.tallies.get(record.id) or indicators.ReportTally()
        allowlisted = item.allowlisted or record.allowlisted
        return _verdict(raw, item, allowlisted, tally, self.feeds.get(record.id, []))


def _merged(tallies: Sequence[indicators.ReportTally]) -> indicators.ReportTally:
    """One tally of an account's reports at every bank it was reported at."""
    merged = indicators.ReportTally()
    for tally in tallies:
        for category, count in tally.categories.items():
            merged.categories[category] = merged.categories.get(category, 0) + count
        merged.confirmed = merged.confirmed or tally.confirmed
        firsts = [m for m in (merged.first, tally.first) if m is not None]
        lasts = [m for m in (merged.last, tally.last) if m is not None]
        merged.first, merged.last = min(firsts, default=None), max(lasts, default=None)
    return merged


def _unreported(raw: str, item: Indicator) -> CheckResult:
    return CheckResult(
        input=raw,
        kind=item.kind.value,
        value=item.value,
        verdict="allowlisted" if item.allowlisted else "not_reported",
        confirmed=False,
        allowlisted=item.allowlisted,
        report_count=0,
        categories={},
        sources=[],
        feeds=[],
        first_seen=None,
        last_seen=None,
    )


def _verdict(
    raw: str,
    item: Indicator,
    allowlisted: bool,
    tally: indicators.ReportTally,
    feeds: list[indicators.FeedListing],
) -> CheckResult:
    """The verdict from a value's reports and feeds. A known legitimate value (the allowlist in
    force now decides, one loaded since the value was stored included) is never answered
    "reported" through the reports that name it: a victim who writes "he called me on Zalo" or
    "the fake page copied facebook.com" says nothing against zalo.me or facebook.com. Only a
    feed that lists it (a page on an app store, say) is shown."""
    if allowlisted:
        tally = indicators.ReportTally()
    shown = disclosed(tally.categories, tally.confirmed)
    counts = dict(shown.categories)
    for feed in feeds:
        counts[feed.category] = counts.get(feed.category, 0) + 1
    seen = [tally.first, tally.last] if shown.dates else []
    seen += [moment for feed in feeds for moment in (feed.first_seen, feed.last_seen)]
    moments = [moment for moment in seen if moment is not None]
    reported = shown.report_count > 0 or bool(feeds)
    return CheckResult(
        input=raw,
        kind=item.kind.value,
        value=item.value,
        verdict="reported" if reported else "allowlisted" if allowlisted else "not_reported",
        confirmed=tally.confirmed,
        allowlisted=allowlisted,
        report_count=shown.report_count,
        categories=counts,
        sources=[feed.source for feed in feeds],
        feeds=[
            FeedAttribution(
                source=f.source, category=f.category, first_seen=f.first_seen, last_seen=f.last_seen
            )
            for f in feeds
        ],
        first_seen=min(moments, default=None),
        last_seen=max(moments, default=None),
    )


@dataclass
class FeedImport:
    """What a feed import did: lines read, indicators attributed, lines skipped and why."""

    lines: int = 0
    attributed: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def import_feed(
    session: Session,
    raw: bytes,
    source: str,
    category: str,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> FeedImport:
    """Attribute a blocklist's domains, URLs and IPs to `source`; importing it again adds nothing.

    Commits after each batch, so an interrupted import keeps what it did and can be run again.
    `progress` is told how many of the file's lines each committed batch covered.
    """
    check_feed_names(source, category)
    lines = decode_lines(raw)
    summary = FeedImport()
    batch: list[Indicator] = []
    done = 0
    for entry in feed_entries(lines, default_allowlist()):
        summary.lines += 1
        if entry.skipped:
            summary.skipped.append((entry.line, entry.skipped))
        batch.extend(entry.indicators)
        if len(batch) >= batch_size:
            summary.attributed += _attribute(session, batch, source, category)
            batch = []
            if progress is not None:
                progress(entry.line - done)
                done = entry.line
    summary.attributed += _attribute(session, batch, source, category)
    if progress is not None:
        progress(len(lines) - done)
    return summary


def _attribute(session: Session, found: list[Indicator], source: str, category: str) -> int:
    if not found:
        return 0
    now = utc_now()
    sightings = [
        indicators.IndicatorSighting(i.kind.value, i.value, i.allowlisted, now, now, 0)
        for i in found
        if len(i.value.encode("utf-8")) <= MAX_STORED_VALUE_BYTES
    ]
    indicators.plan_for_a_growing_table(session)
    ids = indicators.record_feed_indicators(session, sightings, now)
    indicators.upsert_sources(session, ids.values(), source, category, now)
    session.commit()
    return len(ids)


REPORTS_SHOWN = 100  # the newest reports listed with one indicator


def indicator_page(
    session: Session,
    caller: Caller,
    kind: str | None,
    source: str | None,
    cursor: str | None,
    size: int,
) -> IndicatorPageRead:
    """One keyset page of indicators, by id, of a kind and from a source when given."""
    after = read_cursor(cursor)[1] if cursor else None
    rows = indicators.indicators_after(session, caller, kind, source, after, size + 1)
    shown = rows[:size]
    return IndicatorPageRead(
        items=[IndicatorRead.model_validate(row, from_attributes=True) for row in shown],
        next_cursor=make_cursor("after", shown[-1].id) if len(rows) > size else None,
    )


def indicator_detail(
    session: Session,
    caller: Caller,
    indicator_id: int,
    cursor: str | None = None,
    size: int = REPORTS_SHOWN,
) -> IndicatorDetail:
    """One indicator, a keyset page of the reports that name it (newest first; the cursor
    names the page, None the first) and the feeds that list it."""
    found = indicators.get_indicator(session, caller, indicator_id)
    if found is None:
        raise NotFound(f"no indicator {indicator_id}", field="indicator_id")
    before = read_cursor(cursor)[1] if cursor else None
    reports, total = indicators.reports_of_indicator(
        session, caller, indicator_id, size + 1, before
    )
    shown = reports[:size]
    listings = indicators.feed_listings(session, [indicator_id]).get(indicator_id, [])
    return IndicatorDetail(
        **IndicatorRead.model_validate(found, from_attributes=True).model_dump(),
        reports=[IndicatorReportRead.model_validate(r, from_attributes=True) for r in shown],
        reports_total=total,
        next_cursor=make_cursor("before", shown[-1].id) if len(reports) > size else None,
        sightings=[FeedAttribution.model_validate(f, from_attributes=True) for f in listings],
    )
