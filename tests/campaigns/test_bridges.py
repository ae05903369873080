"""Bridges: the indicators whose removal splits a campaign, against taking each one out."""

from __future__ import annotations

from collections import Counter

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from tipline.campaigns.bridges import Bridge, find_bridges, parts_without


def brute_force(links: list[tuple[int, int]]) -> dict[tuple[int, ...], tuple[int, ...]]:
    """Each set of indicators named by the same reports taken out in turn: the report counts of
    the parts, when more than one."""
    graph = nx.Graph((("r", r), ("i", i)) for r, i in links)
    named: dict[int, set[int]] = {}
    for report, indicator in links:
        named.setdefault(indicator, set()).add(report)
    groups = {tuple(sorted(i for i in named if named[i] == reports)) for reports in named.values()}
    found = {}
    for group in groups:
        rest = graph.copy()
        rest.remove_nodes_from(("i", indicator) for indicator in group)
        sizes = sorted(
            (sum(1 for n in c if n[0] == "r") for c in nx.connected_components(rest)),
            reverse=True,
        )
        if len(sizes) > 1:
            found[group] = tuple(sizes)
    return found


def test_two_rings_joined_by_one_number() -> None:
    # Reports 1-3 name account 10, reports 4-5 name phone 20, and 3 and 4 both name link 100.
    links = [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (3, 100), (4, 100)]
    bridges = find_bridges(links)
    assert bridges[0] == Bridge((100,), (3, 2))  # the one that splits the campaign in halves first
    assert {b.indicator_id: b.parts for b in bridges} == {100: (3, 2), 10: (3, 1, 1), 20: (4, 1)}


def test_a_link_and_its_domain_are_one_bridge() -> None:
    # Link 100 and its domain 101 are named by reports 3 and 4 alike.
    links = [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (3, 100), (4, 100), (3, 101), (4, 101)]
    bridges = {b.indicator_ids: b.parts for b in find_bridges(links)}
    assert bridges[(100, 101)] == (3, 2)
    assert ("i", 101) not in parts_without(links, [100])
    parts = parts_without(links, [100])
    assert parts[("r", 1)] == parts[("r", 3)] == 0
    assert parts[("r", 4)] == parts[("r", 5)] == 1
    assert ("i", 100) not in parts


def test_a_ring_held_in_a_loop_has_no_bridge() -> None:
    links = [(1, 10), (1, 20), (2, 10), (2, 30), (3, 20), (3, 30)]
    assert find_bridges(links) == []
    # The same phone and account in every report: one bridge, and all reports fall apart.
    both = [(r, i) for r in (1, 2, 3) for i in (10, 20)]
    assert find_bridges(both) == [Bridge((10, 20), (1, 1, 1))]
    assert find_bridges([]) == []
    assert find_bridges([(1, 10)]) == []


@st.composite
def connected_campaigns(draw: st.DrawFn) -> list[tuple[int, int]]:
    """A connected campaign: each new report names an indicator already named, and more."""
    reports = draw(st.integers(min_value=2, max_value=14))
    links = [(0, 0)]
    indicators = 1
    for report in range(1, reports):
        links.append((report, draw(st.integers(0, indicators - 1))))
        for _ in range(draw(st.integers(0, 2))):
            if draw(st.booleans()):
                links.append((report, indicators))
                indicators += 1
            else:
                links.append((report, draw(st.integers(0, indicators - 1))))
    return sorted(set(links))


@settings(max_examples=300, deadline=None)
@given(connected_campaigns())
def test_bridges_are_those_whose_removal_splits_the_reports(links: list[tuple[int, int]]) -> None:
    found = {b.indicator_ids: b.parts for b in find_bridges(links)}
    assert found == brute_force(links)
    reports = len({r for r, _ in links})
    assert all(sum(parts) == reports for parts in found.values())


@settings(max_examples=100, deadline=None)
@given(connected_campaigns())
def test_parts_without_every_bridge_number_each_report_once(links: list[tuple[int, int]]) -> None:
    bridges = [b.indicator_id for b in find_bridges(links)]
    parts = parts_without(links, bridges)
    reports = {r for r, _ in links}
    assert {n[1] for n in parts if n[0] == "r"} == reports
    sizes = Counter(parts[("r", r)] for r in reports)
    assert [sizes[k] for k in sorted(sizes)] == sorted(sizes.values(), reverse=True)
