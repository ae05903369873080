"""Every registered signal type against its own examples, and the registry's rules: a bare value
is read as the type that claims its length, any other type only when declared."""

from __future__ import annotations

import math

import pytest

from tipline.errors import InvalidInput
from tipline.indicators import extract, read_value
from tipline.indicators.signals import (
    PDQ,
    SIGNAL_TYPES,
    DistanceExample,
    ExactDigest,
    SignalExample,
    SignalType,
    register,
    signal_distance,
)
from tipline.indicators.types import Indicator, Kind

EXAMPLES = [
    pytest.param(signal, example, id=f"{name}-{example.written[:10]}-{example.canonical is None}")
    for name, signal in SIGNAL_TYPES.items()
    for example in signal.examples
]
DISTANCES = [
    pytest.param(signal, example, id=f"{name}-{example.distance}")
    for name, signal in SIGNAL_TYPES.items()
    for example in signal.distance_examples
]
PDQ_BODY = "f" * 62 + "00"


def test_md5_sha1_and_sha256_are_registered_by_their_lengths_and_pdq_by_none() -> None:
    assert {n: s.bare_length for n, s in SIGNAL_TYPES.items()} == {
        "md5": 32,
        "sha1": 40,
        "sha256": 64,
        "pdq": None,
    }


@pytest.mark.parametrize(("signal", "example"), EXAMPLES)
def test_each_type_parses_its_examples(signal: SignalType, example: SignalExample) -> None:
    assert signal.parse(example.written) == example.canonical


@pytest.mark.parametrize(("signal", "example"), DISTANCES)
def test_each_type_measures_its_example_distances(
    signal: SignalType, example: DistanceExample
) -> None:
    assert signal.distance(example.first, example.second) == example.distance
    assert signal.distance(example.second, example.first) == example.distance
    assert (example.distance <= signal.match_threshold) == example.same


@pytest.mark.parametrize(("signal", "example"), EXAMPLES)
def test_each_type_is_read_as_extraction_and_the_check_read_it(
    signal: SignalType, example: SignalExample
) -> None:
    wanted = None if example.canonical is None else f"{signal.name}:{example.canonical}"
    declared = read_value(example.written, signal_type=signal.name)
    assert (declared and declared.value) == wanted
    prefixed = read_value(f"{signal.name}:{example.written}")
    assert (prefixed and prefixed.value) == wanted
    if signal.bare_length is not None and wanted is not None:
        assert read_value(example.written) == Indicator(
            Kind.HASH, wanted, False, (0, len(example.written))
        )
        found = extract(f"tệp độc: {example.written}.")
        assert [(i.kind, i.value) for i in found] == [(Kind.HASH, wanted)]


def test_64_hex_is_a_sha256_unless_declared_otherwise() -> None:
    bare = read_value(PDQ_BODY)
    assert bare is not None
    assert bare.value == f"sha256:{PDQ_BODY}"
    prefixed = read_value(f"PDQ:{PDQ_BODY.upper()}")
    assert prefixed == Indicator(Kind.HASH, f"pdq:{PDQ_BODY}", False, (0, 68))
    declared = read_value(f"  {PDQ_BODY} ", signal_type="pdq")
    assert declared == Indicator(Kind.HASH, f"pdq:{PDQ_BODY}", False, (0, 64))
    assert [i.value for i in extract(f"ảnh {PDQ_BODY}")] == [f"sha256:{PDQ_BODY}"]


def test_distance_is_the_types_and_infinite_across_types() -> None:
    near = "f" * 62 + "0f"
    assert signal_distance(f"pdq:{PDQ_BODY}", f"pdq:{near}") == 4
    assert signal_distance(f"pdq:{PDQ_BODY}", f"sha256:{PDQ_BODY}") == math.inf
    assert signal_distance(f"md5:{'a' * 32}", f"md5:{'a' * 32}") == 0


def test_a_name_or_a_bare_length_is_registered_once() -> None:
    with pytest.raises(ValueError, match="'pdq' is registered already"):
        register(PDQ)
    with pytest.raises(ValueError, match="64 characters are read as 'sha256' already"):
        register(ExactDigest("sha3_256", 64, ()))


def test_an_unknown_declared_type_is_a_clear_error() -> None:
    with pytest.raises(
        InvalidInput, match="unknown signal type 'tlsh'; known: md5, pdq, sha1, sha256"
    ):
        read_value("abc", signal_type="tlsh")
