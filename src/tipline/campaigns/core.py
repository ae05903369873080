"""Campaigns: reports sharing an indicator, as components of the report–indicator graph.

The graph is bipartite: a node per report, a node per indicator, an edge per distinct
(report, indicator) link. The caller passes only the links that may merge: extracted or
confirmed, never allowlisted (the repository filters those out).

**Hub rule.** An indicator named by more than `hub_threshold` distinct reports is a *hub*:
a bank's real hotline, a marketplace's support number, a shortener typed by thousands of
unrelated victims. A hub is flagged (returned in `Partition.hubs`) and its links are left out of
the graph, so it never merges anything; every other link merges its report into the campaign of
the indicator. The rule depends only on the final set of links, not on the order in which they
arrived, so the incremental forest (`tipline.campaigns.forest`) reaches exactly the partition a
full rebuild computes. `DEFAULT_HUB_THRESHOLD` lets one indicator gather a thousand reports —
the size of the largest single-operator campaigns hotlines see — before it is treated as noise;
a deployment tunes it.

**Campaign ids.** A campaign is labelled by the smallest report id it contains, so a rebuild
keeps the labels of campaigns that did not change, and a campaign that absorbs a newer one keeps
its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from tipline.campaigns.linking import check_hub_threshold
from tipline.errors import InvalidInput

__all__ = ["DEFAULT_HUB_THRESHOLD", "Partition", "check_hub_threshold", "rebuild"]

DEFAULT_HUB_THRESHOLD = 1000

IdArray = NDArray[np.int64]


@dataclass(frozen=True)
class Partition:
    """A campaign label for every report, and the indicators flagged as hubs.

    `report_ids` is sorted and distinct; `campaign_ids[k]` is the campaign of `report_ids[k]`.
    """

    report_ids: IdArray
    campaign_ids: IdArray
    hubs: frozenset[int]

    @property
    def campaign_count(self) -> int:
        return int(np.unique(self.campaign_ids).size)

    def campaign_sizes(self) -> IdArray:
        """The number of reports of each campaign (in campaign id order)."""
        return np.unique(self.campaign_ids, return_counts=True)[1].astype(np.int64)

    def as_dict(self) -> dict[int, int]:
        """{report id: campaign id}."""
        return dict(zip(self.report_ids.tolist(), self.campaign_ids.tolist(), strict=True))


def _id_array(values: ArrayLike, field: str) -> IdArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise InvalidInput(f"{field} must be a one-dimensional array of ids", field=field)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise InvalidInput(f"{field} must hold integer ids", field=field)
    return array.astype(np.int64, copy=False)


@dataclass(frozen=True)
class Links:
    """Distinct (report, indicator) links, sorted by indicator then report."""

    report_ids: IdArray
    indicator_ids: IdArray


@dataclass(frozen=True)
class _Bipartite:
    """The distinct links as a sparse row per indicator (reports and indicators numbered densely).

    Row `k` (indicator `indicators[k]`) holds `report_index[indicator_start[k]:
    indicator_start[k + 1]]`, sorted: positions in `reports`, which includes lone reports.
    """

    reports: IdArray
    indicators: IdArray
    indicator_start: IdArray
    indicator_index: IdArray  # per distinct link
    report_index: IdArray  # per distinct link

    @property
    def report_counts(self) -> IdArray:
        """Per indicator, the number of distinct reports that name it."""
        return np.diff(self.indicator_start)


def _dense(values: IdArray) -> tuple[IdArray, IdArray]:
    """Sorted distinct values and each value's position among them."""
    if values.size and bool(np.all(values[1:] >= values[:-1])):
        # Already sorted (links loaded by report id): one pass, no sort.
        starts = np.empty(values.size, dtype=bool)
        starts[0] = True
        np.not_equal(values[1:], values[:-1], out=starts[1:])
        return values[starts], np.cumsum(starts) - 1
    distinct, inverse = np.unique(values, return_inverse=True)
    return distinct, inverse.ravel()


def _distinct_pairs(indicators: IdArray, report_index: IdArray, n_reports: int) -> Links:
    """The distinct (indicator id, report position) pairs, sorted by indicator then report."""
    low, high = int(indicators.min()), int(indicators.max())
    if (high - low + 1) * n_reports < 2**63:
        # Indicator ids span a small enough range to key on directly: one sort instead of two.
        distinct_ids = None
        keys = (indicators - low) * n_reports + report_index
    else:
        distinct_ids, rank = np.unique(indicators, return_inverse=True)
        keys = rank.ravel() * n_reports + report_index
    keys.sort()
    distinct = np.empty(keys.size, dtype=bool)
    distinct[0] = True
    np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
    rank, positions = np.divmod(keys[distinct], n_reports)
    ids = rank + low if distinct_ids is None else distinct_ids[rank]
    return Links(report_ids=positions, indicator_ids=ids)


def _bipartite(
    report_ids: ArrayLike, indicator_ids: ArrayLike, lone_report_ids: ArrayLike = ()
) -> _Bipartite:
    reports = _id_array(report_ids, "report_ids")
    indicators = _id_array(indicator_ids, "indicator_ids")
    if reports.shape != indicators.shape:
        raise InvalidInput("report_ids and indicator_ids must have the same length")
    lone = _id_array(lone_report_ids, "lone_report_ids")
    everyone = np.concatenate([reports, lone]) if lone.size else reports
    distinct_reports, report_index = _dense(everyone)
    empty = np.zeros(0, dtype=np.int64)
    if reports.size == 0:
        return _Bipartite(distinct_reports, empty, np.zeros(1, np.int64), empty, empty)
    pairs = _distinct_pairs(indicators, report_index[: reports.size], distinct_reports.size)
    distinct_indicators, indicator_index = _dense(pairs.indicator_ids)  # sorted: one pass
    counts = np.bincount(indicator_index, minlength=distinct_indicators.size)
    indicator_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return _Bipartite(
        distinct_reports, distinct_indicators, indicator_start, indicator_index, pairs.report_ids
    )


def distinct_links(report_ids: ArrayLike, indicator_ids: ArrayLike) -> Links:
    """The links without duplicates, sorted by indicator then report."""
    graph = _bipartite(report_ids, indicator_ids)
    return Links(graph.reports[graph.report_index], graph.indicators[graph.indicator_index])


def _hub_mask(graph: _Bipartite, hub_threshold: int) -> NDArray[np.bool_]:
    """Per indicator: is it named by more than `hub_threshold` distinct reports?"""
    check_hub_threshold(hub_threshold)
    return graph.report_counts > hub_threshold


def hub_indicators(
    report_ids: ArrayLike, indicator_ids: ArrayLike, hub_threshold: int = DEFAULT_HUB_THRESHOLD
) -> IdArray:
    """Indicators named by more than `hub_threshold` distinct reports (sorted)."""
    graph = _bipartite(report_ids, indicator_ids)
    return graph.indicators[_hub_mask(graph, hub_threshold)]


def report_counts(
    report_ids: ArrayLike, indicator_ids: ArrayLike, wanted: Iterable[int]
) -> dict[int, int]:
    """How many distinct reports name each of the `wanted` indicators."""
    graph = _bipartite(report_ids, indicator_ids)
    counts = dict(zip(graph.indicators.tolist(), graph.report_counts.tolist(), strict=True))
    return {indicator: counts.get(indicator, 0) for indicator in wanted}


def _components(graph: _Bipartite, hub: NDArray[np.bool_]) -> NDArray[np.int32]:
    """Component number of each report, over the links of non-hub indicators.

    Nodes are the indicators (0..I-1) then the reports (I..I+R-1); the matrix has a row per
    indicator, built straight from the sorted links (no conversion, no duplicate to sum).
    """
    n_indicators, n_reports = graph.indicators.size, graph.reports.size
    kept_counts = np.where(hub, 0, graph.report_counts)
    indptr = np.empty(n_indicators + n_reports + 1, dtype=np.int64)
    indptr[0] = 0
    np.cumsum(kept_counts, out=indptr[1 : n_indicators + 1])
    indptr[n_indicators + 1 :] = indptr[n_indicators]
    columns = graph.report_index[~hub[graph.indicator_index]] + n_indicators
    n_nodes = n_indicators + n_reports
    matrix = csr_matrix(
        (np.ones(columns.size, dtype=np.int8), columns, indptr), shape=(n_nodes, n_nodes)
    )
    _, labels = connected_components(matrix, directed=False)
    return labels[n_indicators:]


def _smallest_member_labels(report_ids: IdArray, components: NDArray[np.int32]) -> IdArray:
    """Each report's campaign id: the smallest report id of its component."""
    label_of = np.full(int(components.max()) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(label_of, components, report_ids)
    return label_of[components]


def rebuild(
    report_ids: ArrayLike,
    indicator_ids: ArrayLike,
    *,
    hub_threshold: int = DEFAULT_HUB_THRESHOLD,
    lone_report_ids: ArrayLike = (),
) -> Partition:
    """Campaigns from scratch over all links; `lone_report_ids` adds reports without links."""
    graph = _bipartite(report_ids, indicator_ids, lone_report_ids)
    hub = _hub_mask(graph, hub_threshold)
    hubs = frozenset(graph.indicators[hub].tolist())
    if graph.reports.size == 0:
        return Partition(graph.reports, graph.reports.copy(), hubs)
    components = _components(graph, hub)
    return Partition(graph.reports, _smallest_member_labels(graph.reports, components), hubs)
