"""Triage: category, urgency, language and reasons of a report, and advice (spec: triage.md).

`triage(text, victim_age=None, loss_amount=None, loss_currency=None) -> Triage` is the one
function the CLI, the web form, the API and bulk import use; `advice_for(category, language)`
gives the victim's advice for a category (crisis help first when `names_risk_to_life(reasons)`).
`triage_many` does a batch at once (bulk import).
"""

from tipline.triage.advice import Advice, advice_for
from tipline.triage.defaults import triage, triage_many
from tipline.triage.engine import TriageInput
from tipline.triage.rules import names_risk_to_life
from tipline.triage.verdict import Triage

__all__ = [
    "Advice",
    "Triage",
    "TriageInput",
    "advice_for",
    "names_risk_to_life",
    "triage",
    "triage_many",
]
