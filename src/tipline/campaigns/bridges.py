"""Why a campaign holds together: the indicators whose removal would split it (its bridges),
with the sizes of the parts, and the parts themselves.

A campaign is a connected graph of its reports and the indicators that link them (hubs and
allowlisted values left out, as linking leaves them out). An indicator is a bridge when it is a
cut vertex of that graph: without it, the campaign's reports fall into two parts or more.
Indicators named by exactly the same reports (a link and its domain, an account and the phone
always written beside it) count as one: taking out one of them alone would split nothing. One
phone number typed by victims of three unrelated scams is such an indicator; marking it a hub
separates them. Found from the biconnected components (networkx) and the block-cut tree, in
time linear in the links, so the largest campaigns cost no more than reading them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

Node = tuple[str, int]  # ("r", report id) or ("i", indicator id)


@dataclass(frozen=True, slots=True)
class Bridge:
    """Indicators named by the same reports whose removal splits the campaign (most often one):
    the report counts of the parts they leave, largest first."""

    indicator_ids: tuple[int, ...]
    parts: tuple[int, ...]

    @property
    def indicator_id(self) -> int:
        """The one that stands for the others (the smallest id)."""
        return self.indicator_ids[0]

    @property
    def smaller(self) -> int:
        """The reports that would leave with everything but the largest part."""
        return sum(self.parts[1:])


def _graph(links: Iterable[tuple[int, int]]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_edges_from((("r", report), ("i", indicator)) for report, indicator in links)
    return graph


def same_reports(links: Sequence[tuple[int, int]]) -> dict[int, tuple[int, ...]]:
    """{indicator: the indicators named by exactly its reports, itself included, sorted}."""
    reports: dict[int, set[int]] = {}
    for report, indicator in links:
        reports.setdefault(indicator, set()).add(report)
    groups: dict[frozenset[int], list[int]] = {}
    for indicator, named in reports.items():
        groups.setdefault(frozenset(named), []).append(indicator)
    return {i: tuple(sorted(group)) for group in groups.values() for i in group}


def find_bridges(links: Sequence[tuple[int, int]]) -> list[Bridge]:
    """The bridges of a campaign given its (report, indicator) links: first those whose second
    part is largest (a ring split in two halves before a leaf report shed)."""
    group = same_reports(links)
    graph = _graph({(report, group[indicator][0]) for report, indicator in links})
    if graph.number_of_nodes() == 0:
        return []
    cuts = {node for node in nx.articulation_points(graph) if node[0] == "i"}
    if not cuts:
        return []
    tree, weight = _block_cut_tree(graph)
    total = sum(weight.values())
    below = _subtree_weights(tree, weight)
    found = []
    for cut in cuts:
        parts = [below[child] for child in tree.successors(cut)]
        if tree.in_degree(cut):  # the rest of the tree, above it
            parts.append(total - below[cut])
        found.append(Bridge(group[cut[1]], tuple(sorted(parts, reverse=True))))
    return sorted(found, key=lambda b: (-b.parts[1], -b.smaller, b.indicator_id))


def _block_cut_tree(graph: nx.Graph) -> tuple[nx.DiGraph, dict[object, int]]:
    """The block-cut tree, rooted (edges point away from the root), and each tree node's
    reports: a cut vertex counts itself, a block its reports that are no cut vertex."""
    cuts = set(nx.articulation_points(graph))
    undirected = nx.Graph()
    weight: dict[object, int] = {cut: int(cut[0] == "r") for cut in cuts}
    for index, block in enumerate(nx.biconnected_components(graph)):
        name = ("block", index)
        weight[name] = sum(1 for node in block if node[0] == "r" and node not in cuts)
        undirected.add_node(name)
        undirected.add_edges_from((name, node) for node in block if node in cuts)
    if undirected.number_of_nodes() == 0:  # a single report: no block
        undirected.add_node(("block", 0))
        weight[("block", 0)] = 1
    root = next(iter(undirected.nodes))
    return nx.bfs_tree(undirected, root), weight


def _subtree_weights(tree: nx.DiGraph, weight: dict[object, int]) -> dict[object, int]:
    """Each tree node's weight plus its descendants', children before parents."""
    below = dict(weight)
    for node in reversed(list(nx.topological_sort(tree))):
        for child in tree.successors(node):
            below[node] += below[child]
    return below


def parts_without(links: Sequence[tuple[int, int]], removed: Iterable[int]) -> dict[Node, int]:
    """Each remaining node's part (numbered from 0, largest part first) once the `removed`
    indicators (and those named by the same reports) are taken out: what the graph view groups
    by."""
    graph = _graph(links)
    group = same_reports(links)
    graph.remove_nodes_from(("i", i) for indicator in removed for i in group.get(indicator, ()))
    components = sorted(
        nx.connected_components(graph),
        key=lambda c: (-sum(1 for n in c if n[0] == "r"), min(c)),
    )
    return {node: index for index, component in enumerate(components) for node in component}
