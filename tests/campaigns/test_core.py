"""Full rebuild: components of the report–indicator graph, hub rule, stable labels."""

from __future__ import annotations

import numpy as np
import pytest

from tipline.campaigns.core import distinct_links, hub_indicators, rebuild, report_counts
from tipline.errors import InvalidInput


def _links(pairs: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    return [r for r, _ in pairs], [i for _, i in pairs]


def test_reports_sharing_an_indicator_form_one_campaign() -> None:
    reports, indicators = _links([(10, 1), (11, 1), (11, 2), (12, 2), (20, 3), (21, 4)])
    partition = rebuild(reports, indicators)
    assert partition.as_dict() == {10: 10, 11: 10, 12: 10, 20: 20, 21: 21}
    assert partition.campaign_count == 3
    assert partition.hubs == frozenset()


def test_campaign_id_is_the_smallest_report_id_whatever_the_order() -> None:
    reports, indicators = _links([(900, 7), (5, 7), (300, 7)])
    assert rebuild(reports, indicators).as_dict() == {5: 5, 300: 5, 900: 5}


def test_ids_spanning_the_whole_int64_range_are_mapped() -> None:
    low, high = -(2**63), 2**63 - 1
    partition = rebuild([high, 1, 2, 3], [low, low, high, high], hub_threshold=5)
    assert partition.as_dict() == {1: 1, high: 1, 2: 2, 3: 2}


def test_sparse_and_huge_ids_are_mapped() -> None:
    big = 2**62
    reports, indicators = _links([(big, 2**40), (3, 2**40), (big - 1, 9)])
    assert rebuild(reports, indicators).as_dict() == {3: 3, big: 3, big - 1: big - 1}


def test_hub_is_flagged_and_does_not_merge() -> None:
    # Indicator 99 is named by four reports; with a threshold of 3 it is a hub.
    pairs = [(1, 99), (2, 99), (3, 99), (4, 99), (1, 5), (2, 5)]
    partition = rebuild(*_links(pairs), hub_threshold=3)
    assert partition.hubs == frozenset({99})
    assert partition.as_dict() == {1: 1, 2: 1, 3: 3, 4: 4}


def test_indicator_at_the_threshold_still_merges() -> None:
    pairs = [(1, 99), (2, 99), (3, 99)]
    partition = rebuild(*_links(pairs), hub_threshold=3)
    assert partition.hubs == frozenset()
    assert set(partition.as_dict().values()) == {1}


def test_duplicate_links_count_once_towards_the_hub_rule() -> None:
    pairs = [(1, 99), (1, 99), (1, 99), (2, 99)]
    partition = rebuild(*_links(pairs), hub_threshold=2)
    assert partition.hubs == frozenset()
    assert partition.as_dict() == {1: 1, 2: 1}


def test_lone_reports_get_their_own_campaign() -> None:
    partition = rebuild([1, 2], [7, 7], lone_report_ids=[5, 1])
    assert partition.as_dict() == {1: 1, 2: 1, 5: 5}


def test_empty_graph() -> None:
    partition = rebuild([], [])
    assert partition.as_dict() == {}
    assert partition.campaign_count == 0


def test_distinct_links_sorts_and_dedupes() -> None:
    links = distinct_links(np.array([3, 1, 3, 1]), np.array([2, 5, 2, 4]))
    assert links.report_ids.tolist() == [3, 1, 1]
    assert links.indicator_ids.tolist() == [2, 4, 5]


def test_hub_indicators_lists_only_those_above_the_threshold() -> None:
    reports, indicators = [1, 2, 3, 1, 2, 2], [8, 8, 8, 9, 9, 9]
    assert hub_indicators(reports, indicators, hub_threshold=2).tolist() == [8]


def test_mismatched_arrays_are_refused() -> None:
    with pytest.raises(InvalidInput, match="same length"):
        rebuild([1, 2], [3])


def test_non_integer_ids_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        rebuild([1.5], [3])
    assert caught.value.field == "report_ids"


def test_threshold_below_one_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        rebuild([1], [3], hub_threshold=0)
    assert caught.value.field == "hub_threshold"


def test_report_counts_and_campaign_sizes() -> None:
    reports, indicators = [1, 2, 2, 3, 4], [8, 8, 8, 9, 9]
    assert report_counts(reports, indicators, [8, 9, 77]) == {8: 2, 9: 2, 77: 0}
    assert rebuild(reports, indicators, lone_report_ids=[5]).campaign_sizes().tolist() == [2, 2, 1]
