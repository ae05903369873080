"""The rule that carries campaign identifiers over merges and splits (pure, small cases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from tipline.campaigns.identity import Former, Identities, carry_identities

T0 = datetime(2024, 3, 1, tzinfo=UTC)
A, B, C = UUID(int=0xA), UUID(int=0xB), UUID(int=0xC)


def former(uid: UUID, label: int, shares: dict[int, int], age: int = 0) -> Former:
    """A campaign labelled `label`; `age` days older than T0."""
    return Former(uid, label, T0 - timedelta(days=age), shares)


def test_an_unchanged_campaign_keeps_its_identifier_and_label() -> None:
    assert carry_identities([former(A, 5, {5: 3})], [5]) == Identities()


def test_a_grown_campaign_keeps_its_identifier_under_its_new_label() -> None:
    # A new report with a smaller id joined: the label moves, the identifier stays.
    changes = carry_identities([former(A, 5, {2: 3})], [2])
    assert changes == Identities(relabelled={A: 2})


def test_in_a_merge_the_largest_former_campaign_survives() -> None:
    changes = carry_identities([former(A, 1, {1: 2}), former(B, 7, {1: 5})], [1])
    assert changes == Identities(relabelled={B: 1}, merged={A: B})


def test_equal_sizes_keep_the_oldest_identifier_then_the_smallest_label() -> None:
    older = carry_identities([former(A, 1, {1: 3}), former(B, 7, {1: 3}, age=2)], [1])
    assert older.merged == {A: B}
    same_age = carry_identities([former(A, 1, {1: 3}), former(B, 7, {1: 3})], [1])
    assert same_age.merged == {B: A}


def test_three_campaigns_bridged_at_once() -> None:
    formers = [former(A, 1, {1: 2}), former(B, 4, {1: 9}), former(C, 9, {1: 4})]
    changes = carry_identities(formers, [1])
    assert changes == Identities(relabelled={B: 1}, merged={A: B, C: B})


def test_in_a_split_the_largest_part_keeps_the_identifier() -> None:
    # Campaign 1 (6 reports) splits into 1 (2 reports), 3 (4 reports) and 8 (lone).
    changes = carry_identities([former(A, 1, {1: 2, 3: 4, 8: 1})], [1, 3, 8])
    assert changes == Identities(relabelled={A: 3}, fresh=frozenset({1, 8}))


def test_a_split_part_tie_goes_to_the_smallest_label() -> None:
    changes = carry_identities([former(A, 4, {4: 2, 2: 2})], [2, 4])
    assert changes == Identities(relabelled={A: 2}, fresh=frozenset({4}))


def test_a_split_and_a_merge_together() -> None:
    # A's reports split between 1 and 5; B joins the part of A at 5 and is the larger there.
    changes = carry_identities([former(A, 1, {1: 3, 5: 2}), former(B, 5, {5: 4})], [1, 5])
    assert changes == Identities()
    # With A mostly at 5, A and B meet there, and A (5 reports in all) outweighs B (4).
    moved = carry_identities([former(A, 1, {1: 2, 5: 3}), former(B, 5, {5: 4})], [1, 5])
    assert moved == Identities(relabelled={A: 5}, merged={B: A}, fresh=frozenset({1}))


def test_new_campaigns_get_new_identifiers() -> None:
    assert carry_identities([], [3, 4]) == Identities(fresh=frozenset({3, 4}))


def test_a_campaign_whose_reports_are_gone_is_dissolved() -> None:
    changes = carry_identities([former(A, 2, {}), former(B, 3, {3: 1})], [3])
    assert changes == Identities(dissolved=frozenset({A}))
