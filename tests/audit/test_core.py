"""The audit hash chain: building it, and finding each kind of tampering where it happened."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tipline.audit.core import (
    GENESIS,
    GENESIS_HASH,
    AuditRecord,
    ChainPoint,
    Problem,
    canonical_details,
    next_entry,
    recomputed_hash,
    verify,
)
from tipline.errors import InvalidInput, TooLarge

T0 = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


def make_chain(length: int) -> list[AuditRecord]:
    chain: list[AuditRecord] = []
    point = GENESIS
    for k in range(length):
        record = next_entry(
            point,
            recorded_at=T0 + timedelta(seconds=k),
            actor=f"analyst-{k % 3}",
            action="report.status",
            target_type="report",
            target_id=str(100 + k),
            details={"to": "triaged", "from": "new", "n": k},
        )
        chain.append(record)
        point = ChainPoint(record.sequence, record.entry_hash)
    return chain


def rehash(record: AuditRecord, **changes: object) -> AuditRecord:
    """An entry changed by someone who also recomputed its own hash."""
    changed = dataclasses.replace(record, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(changed, entry_hash=recomputed_hash(changed))


def test_first_entry_links_to_genesis_and_hash_is_sha256_of_canonical_fields() -> None:
    first = make_chain(1)[0]
    assert first.sequence == 1
    assert first.previous_hash == GENESIS_HASH == "0" * 64
    payload = (
        '[1,"2024-05-01T08:30:00.000000Z","analyst-0","report.status","report","100",'
        '"{\\"from\\":\\"new\\",\\"n\\":0,\\"to\\":\\"triaged\\"}","' + "0" * 64 + '"]'
    )
    assert first.entry_hash == hashlib.sha256(payload.encode()).hexdigest()


def test_details_are_canonical_whatever_the_key_order() -> None:
    assert canonical_details({"b": 1, "a": {"d": "ư", "c": [1, 2]}}) == (
        '{"a":{"c":[1,2],"d":"ư"},"b":1}'
    )


def test_timestamp_in_another_zone_hashes_as_utc() -> None:
    plus7 = timezone(timedelta(hours=7))
    kwargs = {"actor": "a", "action": "x", "target_type": "case", "target_id": "1", "details": {}}
    here = next_entry(GENESIS, recorded_at=T0.astimezone(plus7), **kwargs)  # type: ignore[arg-type]
    there = next_entry(GENESIS, recorded_at=T0, **kwargs)  # type: ignore[arg-type]
    assert here.entry_hash == there.entry_hash


def test_intact_chain() -> None:
    chain = make_chain(5)
    result = verify(chain)
    assert result.intact
    assert result.checked == 5
    assert result.last == ChainPoint(5, chain[-1].entry_hash)
    assert result.problem is None


def test_empty_chain_is_intact() -> None:
    assert verify([]).intact


def test_edited_entry_is_a_hash_mismatch_at_that_entry() -> None:
    chain = make_chain(5)
    chain[2] = dataclasses.replace(chain[2], details_json='{"to":"closed"}')
    result = verify(chain)
    assert not result.intact
    assert (result.problem, result.sequence, result.checked) == (Problem.HASH_MISMATCH, 3, 2)
    assert "entry 3" in result.message


def test_edited_timestamp_is_a_hash_mismatch() -> None:
    chain = make_chain(4)
    chain[1] = dataclasses.replace(chain[1], recorded_at=T0 - timedelta(days=1))
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.HASH_MISMATCH, 2)


def test_edited_and_rehashed_entry_breaks_the_next_link() -> None:
    chain = make_chain(5)
    chain[1] = rehash(chain[1], actor="someone-else")
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.BROKEN_LINK, 3)


def test_deleted_entry_is_a_gap() -> None:
    chain = make_chain(5)
    del chain[2]
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.SEQUENCE_GAP, 4)
    assert "1 entry missing" in result.message


def test_deleted_first_entries_are_a_gap_at_the_start() -> None:
    result = verify(make_chain(5)[2:])
    assert (result.problem, result.sequence, result.checked) == (Problem.SEQUENCE_GAP, 3, 0)
    assert "2 entries missing" in result.message


def test_deleted_entry_with_renumbering_is_caught() -> None:
    chain = make_chain(5)
    del chain[2]
    chain[2:] = [dataclasses.replace(r, sequence=r.sequence - 1) for r in chain[2:]]
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.HASH_MISMATCH, 3)


def test_deleted_entry_with_renumbering_and_rehashing_breaks_the_link() -> None:
    chain = make_chain(5)
    del chain[2]
    chain[2] = rehash(chain[2], sequence=3)
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.BROKEN_LINK, 3)


def test_reordered_entries_are_out_of_order() -> None:
    chain = make_chain(5)
    chain[1], chain[3] = chain[3], chain[1]
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.SEQUENCE_GAP, 4)
    chain = make_chain(5)
    chain[2], chain[3] = chain[3], chain[2]
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.SEQUENCE_GAP, 4)


def test_swapped_contents_under_the_same_sequence_numbers_are_caught() -> None:
    chain = make_chain(4)
    second, third = chain[1], chain[2]
    chain[1] = dataclasses.replace(third, sequence=2)
    chain[2] = dataclasses.replace(second, sequence=3)
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.HASH_MISMATCH, 2)


def test_inserted_duplicate_is_out_of_order() -> None:
    chain = make_chain(4)
    forged = rehash(chain[1], actor="forger")
    chain.insert(2, forged)
    result = verify(chain)
    assert (result.problem, result.sequence) == (Problem.OUT_OF_ORDER, 2)


def test_inserted_entry_with_renumbering_breaks_the_link() -> None:
    chain = make_chain(4)
    forged = next_entry(
        ChainPoint(2, "f" * 64), recorded_at=T0, actor="forger", action="case.close",
        target_type="case", target_id="9", details={},
    )  # fmt: skip
    renumbered = [rehash(r, sequence=r.sequence + 1) for r in chain[2:]]
    result = verify([*chain[:2], forged, *renumbered])
    assert (result.problem, result.sequence) == (Problem.BROKEN_LINK, 3)


def test_truncated_tail_is_caught_only_against_a_head() -> None:
    chain = make_chain(5)
    head = ChainPoint(5, chain[-1].entry_hash)
    assert verify(chain[:3]).intact
    result = verify(chain[:3], head=head)
    assert (result.problem, result.sequence) == (Problem.TRUNCATED, 4)
    assert verify(chain, head=head).intact
    assert verify(chain, head=ChainPoint(3, chain[2].entry_hash)).intact


def test_rewritten_chain_is_caught_against_a_head() -> None:
    chain = make_chain(3)
    head = ChainPoint(3, chain[-1].entry_hash)
    rewritten = [rehash(chain[0], actor="x")]
    for record in chain[1:]:
        rewritten.append(rehash(record, previous_hash=rewritten[-1].entry_hash))
    assert verify(rewritten).intact
    result = verify(rewritten, head=head)
    assert (result.problem, result.sequence) == (Problem.HASH_MISMATCH, 3)


def test_verify_can_resume_from_a_checkpoint() -> None:
    chain = make_chain(6)
    start = ChainPoint(3, chain[2].entry_hash)
    assert verify(chain[3:], start=start).intact
    assert verify(chain[4:], start=start).problem is Problem.SEQUENCE_GAP


def test_details_that_are_not_json_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        canonical_details({"when": datetime.now(UTC)})
    assert caught.value.field == "details"
    with pytest.raises(InvalidInput):
        canonical_details({"x": float("nan")})


def test_oversized_details_and_fields_are_refused() -> None:
    with pytest.raises(TooLarge):
        canonical_details({"x": "a" * 70_000})
    with pytest.raises(TooLarge) as caught:
        next_entry(GENESIS, recorded_at=T0, actor="a" * 201, action="x", target_type="t",
                   target_id="1", details={})  # fmt: skip
    assert caught.value.field == "actor"


def test_empty_action_and_naive_time_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        next_entry(GENESIS, recorded_at=T0, actor="a", action=" ", target_type="t",
                   target_id="1", details={})  # fmt: skip
    assert caught.value.field == "action"
    with pytest.raises(InvalidInput) as caught:
        next_entry(GENESIS, recorded_at=datetime(2024, 1, 1), actor="a", action="x",
                   target_type="t", target_id="1", details={})  # fmt: skip
    assert caught.value.field == "recorded_at"
