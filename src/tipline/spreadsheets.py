"""CSV files meant for a spreadsheet, written one way by every export that makes them.

A spreadsheet (Excel, LibreOffice, Google Sheets) runs a cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return as a formula: a report's province, an indicator's value or a
campaign's key is an attacker's text, and `=HYPERLINK(...)` in it would run on an analyst's
machine (CSV injection). Every such cell, header included, gets a leading `'` (OWASP's advice),
which the spreadsheet shows as text. Files start with a UTF-8 byte order mark (without it Excel
reads Vietnamese as its legacy code page) and end lines with CRLF.

Machine feeds (`tipline.feeds`, the indicator feed's CSV) do not use this: there a leading `+`
or `-` is data (a phone number `+84…`), and their readers are programs; docs/feeds.md says so.

The bottom layer: it imports nothing of tipline.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# Excel reads a CSV file as the machine's legacy code page unless it starts with a UTF-8 byte
# order mark: without it, Vietnamese ("Hà Nội", "lừa đảo") comes out garbled.
UTF8_BOM = "\ufeff"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs: formula-like text gets a leading quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def spreadsheet_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The whole file: the byte order mark, the header, then the rows, every cell neutralised."""
    out = io.StringIO()
    out.write(UTF8_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(cell) for cell in header])
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
