"""Danger said indirectly: farewells in kinship pronouns, feeling a burden, a past attempt, a
life questioned with words between, belongings left at a bridge, silence towards everyone.

`risk_indirect.jsonl` holds 42 `critical` reports of that kind and 42 ordinary reports that use
the same words without danger (a father who leaves first for the airport, a scooter stolen at the
foot of a bridge, cold medicine before sleeping), written by hand by helper h12c on 2026-12-07
in Vietnamese (with and without diacritics, teen code) and English, in the corpus's format plus
`risk_cue`: whether the risk-to-life cues alone must read it (two are left to the model and the
sextortion rules). They are not in the training corpus: fitted on, they lowered held-out
`critical` precision from 0.819 to 0.787 (bench README, 2026-12-07, h12c).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tipline.triage.cues import RISK_SIGNAL, cues_of

REPORTS = [
    json.loads(line)
    for line in (Path(__file__).parent / "risk_indirect.jsonl").read_text("utf-8").splitlines()
]


def test_the_file_holds_both_kinds() -> None:
    critical = [r for r in REPORTS if r["urgency"] == "critical"]
    assert (len(critical), len(REPORTS) - len(critical)) == (42, 42)
    assert sum(r["risk_cue"] for r in REPORTS) == 40


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r["text"][:40])
def test_the_risk_cues_read_danger_and_only_danger(report: dict[str, object]) -> None:
    reading = cues_of(str(report["text"]))
    assert reading.has(RISK_SIGNAL) is report["risk_cue"], reading.labels(RISK_SIGNAL)
