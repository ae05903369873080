"""The analyst's TLP on an indicator: how far it may travel when it is shared.

An indicator without one is shared at the instance's default (`Settings.sharing_default_tlp`,
amber). Each change is in the audit log (the old and the new marking), then the indicator's
published objects follow it (`republish`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.errors import InvalidInput, NotFound
from tipline.indicators.models import IndicatorRecord
from tipline.indicators.repository import get_indicator
from tipline.principals import Principal
from tipline.settings import Settings
from tipline.sharing.service import publish
from tipline.sharing.tlp import Tlp, parse_tlp

DEFAULT = "default"  # what a form or the API sends to go back to the instance's default


@dataclass(frozen=True, slots=True)
class IndicatorMarking:
    """An indicator's own TLP (None: the default) and the TLP it is shared at."""

    indicator_id: int
    tlp: Tlp | None
    effective: Tlp


def chosen_tlp(text: str | None) -> Tlp | None:
    """`green` → TLP:GREEN; None, "" or `default` → None; InvalidInput for anything else."""
    if text is None or text.strip().lower() in ("", DEFAULT):
        return None
    try:
        return parse_tlp(text)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="tlp") from None


def set_indicator_tlp(
    session: Session, caller: Principal, indicator_id: int, tlp: str | None, settings: Settings
) -> IndicatorMarking:
    """Mark an indicator (one the caller may read: staff) with a TLP, or None for the default;
    audited as `indicator.tlp` with the old and the new marking. No change, no entry."""
    chosen = chosen_tlp(tlp)
    default = parse_tlp(settings.sharing_default_tlp)
    if get_indicator(session, caller, indicator_id) is None:
        raise NotFound(f"no indicator {indicator_id}", field="indicator_id")
    indicator = session.get(IndicatorRecord, indicator_id)
    assert indicator is not None  # just read through the caller's scope
    old = indicator.tlp
    new = None if chosen is None else chosen.value
    if new != old:
        indicator.tlp = new
        details = {"old": old or DEFAULT, "new": new or DEFAULT, "default": default.value}
        record(session, caller.actor, "indicator.tlp", "indicator", indicator_id, details)
        republish(session, settings, indicator_id)
        session.commit()
    return IndicatorMarking(indicator_id, chosen, chosen or default)


def republish(session: Session, settings: Settings, indicator_id: int) -> None:
    """Publish the indicator again, so partners' next pull carries it at its new marking (or
    its revocation): only its objects and its campaigns' are read and written."""
    publish(session, settings, indicators=[indicator_id])
