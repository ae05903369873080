"""Triage's reasons in the analyst's language.

Triage writes its reasons in English (spec: triage.md, the `reasons` of the contract), built
from a few phrases: "victim aged 14 (under 18)", "threat to life: 'giết'", "phone +8491…". The
workspace reads each back into a message key and its parts, so that the Vietnamese workspace
shows Vietnamese; the words quoted from the report stay as the reporter wrote them. A reason
of a form not known here is shown as triage wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tipline.indicators.accounts import shown_value

Say = Callable[..., str]  # a translator: say("key", name=value) → the message

_KINDS = "phone|bank_account|url|domain|email|ip|crypto|hash|social"
# Whole reasons: a message key, and the pattern of the English reason it says.
_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("reason.filed_child", r"(?P<minor>.+?) and (?P<approach>.+): filed as child exploitation"),
        ("reason.child_always", r"a child in sexual danger is always critical"),
        ("reason.threat_to_life", r"threat to life: (?P<words>.+)"),
        ("reason.risk_to_life", r"possible risk to life: (?P<words>.+)"),
        ("reason.self_harm", r"self harm: (?P<words>.+)"),  # stored before issue 12
        ("reason.sextortion_now", r"sextortion under way: a demand with (?P<words>.+)"),
        (
            "reason.images_demand",
            r"intimate material (?P<material>.+?) and a demand: (?P<words>.+)",
        ),
        ("reason.images_no_demand", r"intimate material (?P<material>.+) shared without a demand"),
        ("reason.transfer_now", r"money being sent now: (?P<words>.+)"),
        ("reason.loss", r"a loss is reported"),
        (
            "reason.child_bank_match",
            r"image matches child abuse hash bank '(?P<bank>.+)' "
            r"\((?P<signal>[a-z0-9]+), distance (?P<distance>\d+)\)",
        ),
        ("reason.urgency_model", r"urgency (?P<urgency>[a-z]+) by the learned model"),
        ("reason.category_model", r"(?P<category>[a-z_.]+) by the learned model"),
        ("reason.mentions_transfer", r"mentions (?P<words>.+) and a transfer request"),
        ("reason.mentions", r"mentions (?P<words>.+)"),
        ("reason.under_18", r"(?P<minor>.+) \(under 18\)"),
        ("reason.indicator_allowlisted", rf"(?P<kind>{_KINDS}) (?P<value>.+) \(allowlisted\)"),
        ("reason.indicator", rf"(?P<kind>{_KINDS}) (?P<value>.+)"),
        ("reason.minor_and_approach", r"(?P<minor>.+?) and (?P<approach>.+ wording: .+)"),
    )
)
# Phrases inside a reason: who the child is, and the wording of a sexual approach.
_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("reason.victim_aged", r"victim aged (?P<age>\d+)"),
        ("reason.minor_aged", r"a minor aged (?P<age>\d+)"),
        ("reason.minor_word", r"a minor: (?P<words>.+)"),
        ("reason.child_words", r"a child: (?P<words>.+)"),
        ("reason.sexual_wording", r"sexual wording: (?P<words>.+)"),
        ("reason.grooming_wording", r"grooming wording: (?P<words>.+)"),
        ("reason.photo_request_wording", r"photo request wording: (?P<words>.+)"),
    )
)


def _part(name: str, value: str, say: Say) -> str:
    """One part of a reason in the reader's language: a phrase, a label, or quoted words."""
    if name in ("minor", "approach"):
        for key, pattern in _PHRASES:
            if found := pattern.fullmatch(value):
                return say(key, **found.groupdict())
        return value
    if name == "kind":
        return say(f"kind.{value}")
    if name == "urgency":
        return say(f"urgency.{value}")
    if name == "category":
        return say(f"category.{value}")
    return value


def say_reason(reason: str, say: Say) -> str:
    """Triage's `reason` in the reader's language (as written when its form is not known)."""
    for key, pattern in _REASONS:
        if found := pattern.fullmatch(reason):
            groups = found.groupdict()
            if "kind" in groups and "value" in groups:  # an account as its digits and bank
                groups["value"] = shown_value(groups["kind"], groups["value"])
            parts = {name: _part(name, value, say) for name, value in groups.items()}
            return say(key, **parts)
    return reason
