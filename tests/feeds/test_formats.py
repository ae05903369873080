"""The feed's formats, pure: an entry's stored STIX indicator, spliced for a reader, is the
indicator built at pull time, byte for byte."""

from __future__ import annotations

import json

import pytest

from tipline.feeds.formats import SPLICE, FeedRow, stix_indicator, stix_template, stix_text
from tipline.sharing.policy import category_mask

CREATOR = "identity--0b2f7c6e-1111-5222-8333-444455556666"
ROWS = [
    ("phone", "+84912345678", "green"),
    ("url", 'https://sàn-giả.vn/dang nhap?a="1"&b=\\', "amber"),
    ("bank_account", "VCB:0123456789", "clear"),
    ("crypto", "btc:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", "green"),
    ("hash", "sha256:" + "ab" * 32, "green"),
]


def entry(kind: str, value: str, tlp: str, mask: int, body: str | None = None) -> FeedRow:
    return FeedRow(
        7, True, kind, value, mask, 80, tlp, "2026-11-01T08:00:00Z", "2026-12-01T09:30:05Z",
        "2026-11-02T10:00:00Z", "2026-12-03T11:15:59Z", None, None, body,
    )  # fmt: skip


@pytest.mark.parametrize(("kind", "value", "tlp"), ROWS)
def test_a_stored_indicator_spliced_for_a_reader_is_the_one_built_at_pull_time(
    kind: str, value: str, tlp: str
) -> None:
    everything = category_mask(["fraud.investment", "fraud.phishing", "sextortion"])
    body = stix_template(entry(kind, value, tlp, everything))
    assert body.count(SPLICE) == 3
    for mask in (everything, category_mask(["fraud.phishing"])):  # what two readers keep
        built = stix_indicator(entry(kind, value, tlp, mask), CREATOR)
        stored = stix_text(entry(kind, value, tlp, mask, body), CREATOR)
        assert stored == json.dumps(built, separators=(",", ":"))
    indicator = json.loads(stored or "")
    assert (indicator["created_by_ref"], indicator["labels"]) == (CREATOR, ["fraud.phishing"])
    assert indicator["description"] == "In tipline's indicator feed (fraud.phishing)."


def test_a_value_stix_cannot_carry_has_an_empty_template_and_no_indicator() -> None:
    row = entry("hash", "tlsh:T1A2B3", "green", 1)
    assert stix_template(row) == ""
    assert stix_indicator(row, CREATOR) is None
    assert stix_text(row._replace(stix_body=""), CREATOR) is None


def test_a_removal_is_built_at_pull_time_whatever_is_stored() -> None:
    row = entry("phone", "+84912345678", "green", 1)
    removal = row._replace(add=False, value=None, category_mask=0, reason="rejected",
                           stix_id="indicator--5f1c", stix_body="stale")  # fmt: skip
    text = stix_text(removal, CREATOR)
    assert text is not None
    assert json.loads(text)["revoked"] is True
    assert "0912345678" not in text
