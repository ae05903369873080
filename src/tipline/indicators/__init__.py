"""Indicator extraction: turn what victims write into canonical indicators (spec: indicators.md).

`extract(text)` is the one function the CLI, the web form, the API and bulk import use; it is
`extract_with(text, allowlist)` (pure) with the installation's allowlist.
"""

from tipline.indicators.defaults import canonical_value, default_allowlist, extract, read_value
from tipline.indicators.types import Indicator, Kind

__all__ = ["Indicator", "Kind", "canonical_value", "default_allowlist", "extract", "read_value"]
