"""The sharing API's shapes: an indicator's TLP, as set and as read."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

TlpWord = Literal["clear", "green", "amber", "amber+strict", "red"]


class IndicatorTlpChange(BaseModel):
    """`{"tlp": "green"}` marks the indicator; `{"tlp": null}` returns it to the default."""

    model_config = ConfigDict(extra="forbid")

    tlp: TlpWord | None


class IndicatorTlpRead(BaseModel):
    """The indicator's own TLP (null: the default) and the TLP it is shared at."""

    id: int
    tlp: TlpWord | None
    effective_tlp: TlpWord
