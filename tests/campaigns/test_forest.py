"""Incremental campaigns: the forest agrees with the full rebuild, hubs included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tipline.campaigns.core import rebuild
from tipline.campaigns.forest import CampaignForest

Pair = tuple[int, int]

pairs_strategy = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 25)), max_size=120)


def _columns(pairs: list[Pair]) -> tuple[list[int], list[int]]:
    return [r for r, _ in pairs], [i for _, i in pairs]


def _feed(forest: CampaignForest, pairs: list[Pair]) -> None:
    """One link_report call per run of consecutive pairs of the same report."""
    k = 0
    while k < len(pairs):
        report = pairs[k][0]
        run: list[int] = []
        while k < len(pairs) and pairs[k][0] == report:
            run.append(pairs[k][1])
            k += 1
        forest.link_report(report, run)


def test_link_report_joins_and_labels() -> None:
    forest = CampaignForest()
    assert forest.link_report(30, [1]) == 30
    assert forest.link_report(20, [2]) == 20
    assert forest.link_report(40, [1, 2]) == 20
    assert forest.campaign_of(30) == 20
    assert forest.campaign_members(40) == [20, 30, 40]
    assert forest.campaign_size(30) == 3
    assert forest.report_count(1) == 2


def test_report_without_indicators_is_its_own_campaign() -> None:
    forest = CampaignForest()
    assert forest.link_report(7) == 7
    assert 7 in forest
    assert len(forest) == 1


def test_crossing_the_threshold_splits_what_the_hub_had_joined() -> None:
    forest = CampaignForest(hub_threshold=2)
    forest.link_report(1, [99, 5])
    forest.link_report(2, [99])
    forest.link_report(3, [5])
    assert forest.labels() == {1: 1, 2: 1, 3: 1}
    forest.link_report(4, [99])  # 99 is now named by three reports: a hub
    assert forest.hubs == {99}
    assert forest.labels() == {1: 1, 2: 2, 3: 1, 4: 4}
    forest.link_report(5, [99])
    assert forest.campaign_of(5) == 5
    assert forest.report_count(99) == 4


def test_repeated_link_is_counted_once() -> None:
    forest = CampaignForest(hub_threshold=1)
    forest.link_report(1, [9, 9])
    forest.link_report(1, [9])
    assert forest.hubs == set()
    assert forest.report_count(9) == 1


@settings(max_examples=300, deadline=None)
@given(pairs=pairs_strategy, threshold=st.integers(1, 6))
def test_incremental_equals_rebuild(pairs: list[Pair], threshold: int) -> None:
    forest = CampaignForest(hub_threshold=threshold)
    _feed(forest, pairs)
    expected = rebuild(*_columns(pairs), hub_threshold=threshold)
    assert forest.labels() == expected.as_dict()
    assert forest.hubs == set(expected.hubs)


@settings(max_examples=200, deadline=None)
@given(
    pairs=pairs_strategy,
    threshold=st.integers(1, 6),
    cut=st.integers(0, 120),
    lone=st.lists(st.integers(0, 60), max_size=5),
)
def test_seeded_forest_then_incremental_equals_rebuild(
    pairs: list[Pair], threshold: int, cut: int, lone: list[int]
) -> None:
    seed, rest = pairs[:cut], pairs[cut:]
    forest = CampaignForest.from_links(
        *_columns(seed), hub_threshold=threshold, lone_report_ids=lone
    )
    _feed(forest, rest)
    expected = rebuild(*_columns(pairs), hub_threshold=threshold, lone_report_ids=lone)
    assert forest.labels() == expected.as_dict()
    assert forest.hubs == set(expected.hubs)
    for report, campaign in expected.as_dict().items():
        members = forest.campaign_members(report)
        assert min(members) == campaign
        assert forest.campaign_size(report) == len(members)
