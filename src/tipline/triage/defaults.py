"""Triage with the installation's model (`tipline.triage.store.current_model`: loaded from the
data folder, or trained there on first use) and allowlist: the spec's `triage(text, …)`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tipline.indicators import Indicator, default_allowlist
from tipline.triage.engine import TriageInput, triage_many_with, triage_with
from tipline.triage.store import current_model
from tipline.triage.verdict import Triage


def triage(
    text: str,
    victim_age: int | None = None,
    loss_amount: Decimal | float | None = None,
    loss_currency: str | None = None,
    indicators: Sequence[Indicator] | None = None,
) -> Triage:
    """Category, urgency, language and reasons of one report, with the current model.

    The model is loaded (or, on a fresh machine, trained from the bundled corpus) on first use.
    `loss_currency` is accepted for the contract; the amount alone matters to the urgency.
    `indicators` spares a second extraction when the caller has already extracted them.
    """
    del loss_currency
    return triage_with(
        current_model(), default_allowlist(), text, victim_age, loss_amount, indicators
    )


def triage_many(inputs: Sequence[TriageInput]) -> list[Triage]:
    """`triage` of many reports at once (see `triage_many_with`)."""
    return triage_many_with(current_model(), default_allowlist(), inputs)
