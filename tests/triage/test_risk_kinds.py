"""Kinds of danger the blind sets showed missing, each as its general rule (issue 12, night of
2026-12-08, helper h12r): not knowing how long one will still be here, the world better without
the person, vanishing or following the dead "cho xong", searching for a method, farewell wishes
to those who stay, entrusting a child or a pet, a will and belongings left behind, cuts on the
body and groups that urge them, rather dying, driving off the road, letters for each one of the
family, thanks for a friendship said as a farewell, a place of danger told to someone.

`risk_kinds.jsonl` holds 46 `critical` reports of these kinds and 16 ordinary reports that use
the same words without danger (a colleague who leaves a job with "mọi người ở lại mạnh khỏe", a
will in an inheritance dispute, a wallet left at home), written by hand by helper h12r in
Vietnamese (with and without diacritics, teen code) and English, across categories, none copied
from a blind set, in the corpus's format plus `risk_cue` (whether the risk-to-life cues alone
must read it) and `kind`. They are not in the training corpus: fitted on, they lowered
cross-validated `critical` recall and precision (bench README, 2026-12-08).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tipline.triage.cues import RISK_SIGNAL, cues_of
from tipline.triage.rules import minor_evidence, sexual_approach

REPORTS = [
    json.loads(line)
    for line in (Path(__file__).parent / "risk_kinds.jsonl").read_text("utf-8").splitlines()
]


def test_the_file_holds_both_kinds() -> None:
    critical = [r for r in REPORTS if r["urgency"] == "critical"]
    assert (len(critical), len(REPORTS) - len(critical)) == (46, 16)
    assert all(r["risk_cue"] is (r["urgency"] == "critical") for r in REPORTS)
    assert len({r["kind"] for r in critical}) >= 20


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r["text"][:40])
def test_the_risk_cues_read_each_kind_and_not_its_look_alikes(report: dict[str, object]) -> None:
    reading = cues_of(str(report["text"]))
    assert reading.has(RISK_SIGNAL) is report["risk_cue"], reading.labels(RISK_SIGNAL)


def test_plural_school_children_with_sexual_wording_make_a_child_at_risk() -> None:
    reading = cues_of("A group shares photos of schoolgirls in class with sexual comments.")
    assert minor_evidence(reading, None) == "a child: 'schoolgirls'"
    assert sexual_approach(reading) == "sexual wording: 'sexual'"


# Wordings of the same families written from a list of our own, not from a report.
MORE_AT_RISK = [
    "hẹn gặp lại ở kiếp khác",
    "em không còn muốn tồn tại",
    "I'm done with life",
    "she says her life is pointless",
    "he bought a rope and stopped answering",
    "em cầm dao lam trong phòng, không trả lời ai",
    "I can't see a future, sorry mum",
    "nothing matters anymore, I won't be a problem anymore",
]


@pytest.mark.parametrize("text", MORE_AT_RISK)
def test_more_wordings_of_these_families_are_read(text: str) -> None:
    assert cues_of(text).has(RISK_SIGNAL)


def test_one_farewell_group_twice_is_still_not_enough() -> None:
    assert not cues_of("see you on the other side, thanks for everything").has(RISK_SIGNAL)
