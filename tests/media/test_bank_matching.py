"""The brute-force PDQ matcher's pure steps: bytes, Hamming distances, the nearest first."""

from __future__ import annotations

import numpy as np
from tests.media.banks import flipped, pdq

from tipline.media.matching import PdqHit, hamming, nearest, pdq_array


def test_hamming_counts_the_differing_bits() -> None:
    base = pdq(1)
    rows = pdq_array([base, flipped(base, 5), flipped(base, 31), flipped(base, 32), "0" * 64])
    distances = hamming(rows, pdq_array([base])[0]).tolist()
    assert distances[:4] == [0, 5, 31, 32]
    assert distances[4] == bin(int(base, 16)).count("1")


def test_nearest_keeps_those_within_the_distance_nearest_first() -> None:
    base = pdq(2)
    values = [flipped(base, 20), flipped(base, 32), base, flipped(base, 3, start=1)]
    ids = np.array([10, 11, 12, 13], dtype=np.int64)
    hits = nearest(ids, pdq_array(values), pdq_array([base])[0], 31)
    assert hits == [PdqHit(12, 0), PdqHit(13, 3), PdqHit(10, 20)]
    assert nearest(ids[:0], pdq_array([]), pdq_array([base])[0], 31) == []
