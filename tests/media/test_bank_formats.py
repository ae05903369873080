"""Import and export formats: HMA's signal files, ThreatExchange's descriptors, STIX 2.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import stix2
from tests.media.banks import md5, pdq

from tipline.media.core import HashValue, Signal
from tipline.media.formats import (
    Exported,
    LineProblem,
    descriptor,
    read_lines,
    signal_line,
    stix_bundle,
)
from tipline.sharing.tlp import Tlp

ADDED = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def test_hma_signal_lines_are_read_with_space_comma_or_tab() -> None:
    lines = [
        "signal_type,signal", f"pdq {pdq(1)}", f"PDQ,{pdq(2).upper()},87", "# a comment", "",
        f"video_md5\t{md5('v')}", f"sha256 {'a' * 64}", f"pdq {'a' * 63}", "phash 1234",
        pdq(3),
    ]  # fmt: skip
    read = list(read_lines("hma", lines))
    assert [r for r in read if isinstance(r, HashValue)] == [
        HashValue(Signal.PDQ, pdq(1)), HashValue(Signal.PDQ, pdq(2), 87),
        HashValue(Signal.MD5, md5("v")), HashValue(Signal.SHA256, "a" * 64),
    ]  # fmt: skip
    problems = [r for r in read if isinstance(r, LineProblem)]
    assert [p.line for p in problems] == [8, 9, 10]
    assert "64 hexadecimal digits" in problems[0].reason
    assert "unknown signal type" in problems[1].reason


def test_threatexchange_descriptors_are_read_as_lines_or_a_page() -> None:
    items = [
        {"raw_indicator": pdq(1), "type": "HASH_PDQ", "status": "MALICIOUS"},
        {"indicator": {"indicator": md5("x"), "type": "HASH_MD5"}},
        {"raw_indicator": pdq(2), "type": "HASH_PDQ", "status": "NON_MALICIOUS"},
        {"raw_indicator": pdq(3), "type": "HASH_PDQ", "should_delete": True},
        {"raw_indicator": "https://example.com", "type": "URI"},
        {"file": "a.jpg", "pdq": pdq(4), "quality": 91, "md5": md5("a"), "sha256": "b" * 64},
    ]
    wanted = [HashValue(Signal.PDQ, pdq(1)), HashValue(Signal.MD5, md5("x")),
              HashValue(Signal.PDQ, pdq(4), 91), HashValue(Signal.MD5, md5("a")),
              HashValue(Signal.SHA256, "b" * 64)]  # fmt: skip
    as_lines = list(read_lines("threatexchange", [json.dumps(i) + "\n" for i in items]))
    as_page = list(read_lines("threatexchange", [json.dumps({"data": items}, indent=1)]))
    for read in (as_lines, as_page):
        assert [r for r in read if isinstance(r, HashValue)] == wanted
        assert [r.line for r in read if isinstance(r, LineProblem)] == [5]
    broken = list(read_lines("threatexchange", ["{not json\n", "[1]\n"]))
    assert [r.reason for r in broken if isinstance(r, LineProblem)] == [
        "not JSON",
        "not a JSON object",
    ]


def test_an_export_reads_back_as_what_it_wrote() -> None:
    rows = [Exported("pdq", pdq(1), 90, ADDED), Exported("md5", md5("x"), None, ADDED)]
    text = "".join(signal_line(row) for row in rows)
    assert text == f"pdq {pdq(1)}\nmd5 {md5('x')}\n"
    back = list(read_lines("hma", text.splitlines()))
    assert back == [HashValue(Signal.PDQ, pdq(1)), HashValue(Signal.MD5, md5("x"))]
    lines = [descriptor(row, "NCII", "ncii", Tlp.AMBER_STRICT) for row in rows]
    first = json.loads(lines[0])
    assert (first["type"], first["share_level"], first["added_on"]) == (
        "HASH_PDQ", "RED", "2026-12-01T08:30:00.000Z")  # fmt: skip
    assert "pdq_quality:90" in first["tags"]
    assert list(read_lines("threatexchange", lines)) == back


def test_the_stix_bundle_is_valid_stix_marked_with_the_banks_tlp() -> None:
    rows = [Exported("md5", md5("x"), None, ADDED), Exported("sha256", "c" * 64, None, ADDED),
            Exported("pdq", pdq(1), 80, ADDED)]  # fmt: skip
    text = "".join(stix_bundle(rows, Tlp.GREEN, "tipline"))
    bundle = stix2.parse(text, allow_custom=True)  # PDQ is a hash name of the open vocabulary
    files = [o for o in bundle.objects if o.type == "file"]
    assert [dict(f.hashes) for f in files] == [{"MD5": md5("x")}, {"SHA-256": "c" * 64},
                                               {"PDQ": pdq(1)}]  # fmt: skip
    assert {tuple(f.object_marking_refs) for f in files} == {(Tlp.GREEN.marking_id,)}
    assert bundle.objects[0].id == Tlp.GREEN.marking_id
    again = json.loads("".join(stix_bundle(rows, Tlp.GREEN, "tipline")))
    assert [o["id"] for o in again["objects"]] == [o.id for o in bundle.objects]  # stable ids
