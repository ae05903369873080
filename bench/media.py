"""Benchmarks of images: matching PDQ hashes against a bank (`match`), and faiss's binary
indexes measured beside it (`alternatives`).

`match` builds (fixed seed) a bank of `--rows` random PDQ hashes (10,000,000 by default: 320 MB
of uint8) and `--queries` queries: half near copies of a bank hash with 0 to 31 bits flipped
(planted near-duplicates), half random hashes (nothing within 31 bits, as most uploads). Then:

- **build**: `tipline.media.index.Segment` over the bank (multi-index hashing, 11 tables of
  23-bit pieces), timed; its memory (the arrays it holds) and the process's peak RSS;
- **index**: `PdqIndex.search` on the queries at distance ≤ 31, in one batch and one query at a
  time (median and p99), on one core (numpy is single-threaded here; faiss.omp_set_num_threads(1));
- **brute force**: numpy over the whole bank for each query (XOR of the four 64-bit columns,
  np.bitwise_count, sum), the figure to beat by 20×, on `--brute-queries` of the queries (all by
  default); its answers are the truth for recall;
- **faiss flat**: IndexBinaryFlat's exhaustive range search on `--flat-queries` queries (a
  second exhaustive answer, and the speed of faiss without an index).

`alternatives` measures faiss's IndexBinaryMultiHash, IndexBinaryIVF and IndexBinaryHNSW on
`--rows` (1,000,000 by default) with the same queries: build time, memory, recall at ≤ 31 against
IndexBinaryFlat, queries/s on one core (docs/media.md's table).

The machine's load average (1 min) is printed with each figure: a loaded machine runs slower.

    .venv/bin/python bench/media.py match --json bench/out/media-match.json
    .venv/bin/python bench/media.py match --rows 1000000 --brute-queries 100   # a quick look
    .venv/bin/python bench/media.py alternatives --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from tipline.media import mih
from tipline.media.index import PdqIndex, Rows, Segment

Codes = npt.NDArray[np.uint8]
RADIUS = 31
Found = list[set[int]]


def load() -> float:
    return os.getloadavg()[0]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bank_and_queries(rows: int, queries: int, seed: int) -> tuple[Codes, Codes]:
    """Random hashes, and queries: near copies (0 to 31 bits flipped) and random hashes, in
    turn (so that the first n queries hold both)."""
    rng = np.random.default_rng(seed)
    bank = rng.integers(0, 256, (rows, 32), dtype=np.uint8)
    planted = queries // 2
    bits = np.unpackbits(bank[rng.integers(0, rows, planted)], axis=1)
    for row in range(planted):
        bits[row, rng.choice(256, rng.integers(0, RADIUS + 1), replace=False)] ^= 1
    others = rng.integers(0, 256, (queries - planted, 32), dtype=np.uint8)
    mixed = np.empty((queries, 32), dtype=np.uint8)
    mixed[0 : 2 * planted : 2] = np.packbits(bits, axis=1)
    mixed[1 : 2 * planted : 2] = others[:planted]
    mixed[2 * planted :] = others[planted:]
    return bank, mixed


def brute_force(columns: mih.Columns, query: Codes) -> set[int]:
    """Positions of the bank within the radius of one query, comparing every hash."""
    q = mih.as_columns(query[None, :])
    distance = np.zeros(columns[0].shape[0], dtype=np.uint16)
    for word in range(mih.WORDS):
        distance += np.bitwise_count(columns[word] ^ q[word][0])
    return set(np.flatnonzero(distance <= RADIUS).tolist())


CPU: list[float] = [0.0]  # the process's CPU seconds of the last `timed` run


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    """The result and the wall-clock seconds of `run` (its CPU seconds in CPU[0]: on a shared
    machine, what one core would take unshared)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    CPU[0] = time.process_time() - cpu
    return result, time.perf_counter() - start


def recall(truth: Found, found: Found) -> float:
    wanted = sum(len(t) for t in truth)
    return sum(len(t & f) for t, f in zip(truth, found, strict=False)) / max(wanted, 1)


def match(args: argparse.Namespace) -> dict[str, Any]:
    faiss.omp_set_num_threads(1)
    result: dict[str, Any] = {"rows": args.rows, "queries": args.queries}
    bank, queries = bank_and_queries(args.rows, args.queries, args.seed)
    rss_before = peak_rss_mb()
    segment, build = timed(lambda: Segment(Rows.of(np.arange(args.rows), [0] * args.rows, bank)))
    result["build"] = {"seconds": round(build, 1), "cpu_seconds": round(CPU[0], 1), "load": load()}
    result["memory"] = {
        "index_mb": round(segment.nbytes / 2**20),
        "peak_rss_mb_added_by_build": round(peak_rss_mb() - rss_before),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(result))
    index = PdqIndex(segment)
    answers, batch = timed(lambda: index.search(queries, RADIUS))
    batch_cpu = CPU[0]
    found = [{ident for ident, _ in a} for a in answers]
    singles = [one_query(index, query) for query in queries]
    result["index"] = {
        "batch_queries_per_s": round(args.queries / batch),
        "batch_queries_per_cpu_s": round(args.queries / batch_cpu),
        "single_median_ms": round(statistics.median(singles) * 1000, 3),
        "single_p99_ms": round(sorted(singles)[int(len(singles) * 0.99) - 1] * 1000, 3),
        "single_queries_per_s": round(len(singles) / sum(singles)),
        "load": load(),
    }
    print(json.dumps(result["index"]))
    result["brute_force"] = brute_section(segment, queries[: args.brute_queries], found)
    print(json.dumps(result["brute_force"]))
    result["faiss_flat"] = flat_section(bank, queries[: args.flat_queries], found)
    result["speedup_batch_vs_numpy"] = round(
        result["index"]["batch_queries_per_s"] / result["brute_force"]["queries_per_s"], 1
    )
    result["speedup_batch_vs_numpy_cpu"] = round(
        result["index"]["batch_queries_per_cpu_s"] / result["brute_force"]["queries_per_cpu_s"], 1
    )
    result["speedup_single_vs_numpy"] = round(
        result["index"]["single_queries_per_s"] / result["brute_force"]["queries_per_s"], 1
    )
    result["planted_found"] = sum(1 for f in found[0 : 2 * (args.queries // 2) : 2] if f)
    return result


def one_query(index: PdqIndex, query: Codes) -> float:
    return timed(lambda: index.search(query[None, :], RADIUS))[1]


def brute_section(segment: Segment, queries: Codes, found: Found) -> dict[str, Any]:
    truth, seconds = timed(lambda: [brute_force(segment.columns, q) for q in queries])
    return {
        "queries": len(queries),
        "queries_per_s": round(len(queries) / seconds, 2),
        "queries_per_cpu_s": round(len(queries) / CPU[0], 2),
        "pairs_within": sum(len(t) for t in truth),
        "recall_of_index": recall(truth, found),
        "index_finds_only_these": all(f <= t for t, f in zip(truth, found, strict=False)),
        "load": load(),
    }


def flat_section(bank: Codes, queries: Codes, found: Found) -> dict[str, Any]:
    flat = faiss.IndexBinaryFlat(256)
    flat.add(bank)
    (limits, _, positions), seconds = timed(lambda: flat.range_search(queries, RADIUS + 1))
    truth = [set(positions[limits[i] : limits[i + 1]].tolist()) for i in range(len(queries))]
    return {
        "queries": len(queries),
        "queries_per_s": round(len(queries) / seconds, 1),
        "queries_per_cpu_s": round(len(queries) / CPU[0], 1),
        "recall_of_index": recall(truth, found),
        "load": load(),
    }


def alternative(name: str, make: Callable[[], Any], bank: Codes, queries: Codes) -> dict[str, Any]:
    rss_before = peak_rss_mb()
    index, build = timed(make)
    flat = faiss.IndexBinaryFlat(256)
    flat.add(bank)
    limits, _, positions = flat.range_search(queries, RADIUS + 1)
    truth = [set(positions[limits[i] : limits[i + 1]].tolist()) for i in range(len(queries))]
    try:
        (lims, _, pos), seconds = timed(lambda: index.range_search(queries, RADIUS + 1))
        found = [set(pos[lims[i] : lims[i + 1]].tolist()) for i in range(len(queries))]
    except RuntimeError:  # no range search (HNSW): the 10 nearest, kept within the radius
        (dist, labels), seconds = timed(lambda: index.search(queries, 10))
        found = [set(labels[i][dist[i] <= RADIUS].tolist()) for i in range(len(queries))]
    row = {
        "index": name,
        "build_s": round(build, 1),
        "peak_rss_mb_added": round(peak_rss_mb() - rss_before),
        "recall": round(recall(truth, found), 4),
        "queries_per_s": round(len(queries) / seconds),
        "queries_per_cpu_s": round(len(queries) / max(CPU[0], 1e-9)),
        "load": load(),
    }
    print(json.dumps(row))
    return row


def alternatives(args: argparse.Namespace) -> dict[str, Any]:
    faiss.omp_set_num_threads(1)
    bank, queries = bank_and_queries(args.rows, args.queries, args.seed)
    small = bank[: args.rows // 10]

    def multihash(nhash: int, bits: int, nflip: int) -> Callable[[], Any]:
        def make() -> Any:
            index = faiss.IndexBinaryMultiHash(256, nhash, bits)
            index.nflip = nflip
            index.add(bank)
            return index

        return make

    def ivf(nlist: int, nprobe: int) -> Callable[[], Any]:
        def make() -> Any:
            index = faiss.IndexBinaryIVF(faiss.IndexBinaryFlat(256), 256, nlist)
            index.train(bank[: nlist * 64])
            index.add(bank)
            index.nprobe = nprobe
            return index

        return make

    def hnsw() -> Any:
        index = faiss.IndexBinaryHNSW(256, 16)
        index.hnsw.efSearch = 64
        index.add(small)
        return index

    def mih_segment() -> Any:
        return MihAsFaiss(Segment(Rows.of(np.arange(len(bank)), [0] * len(bank), bank)))

    rows = [
        alternative("tipline mih (11 × 23 bits or 16 × 16)", mih_segment, bank, queries),
        alternative("IndexBinaryFlat", lambda: _flat(bank), bank, queries),
        alternative("IndexBinaryMultiHash 16 × 16, nflip 1", multihash(16, 16, 1), bank, queries),
        alternative("IndexBinaryMultiHash 8 × 32, nflip 3", multihash(8, 32, 3), bank, queries),
        alternative("IndexBinaryIVF 1024 lists, nprobe 32", ivf(1024, 32), bank, queries),
        alternative("IndexBinaryIVF 1024 lists, nprobe 256", ivf(1024, 256), bank, queries),
    ]
    queries_small = queries.copy()
    queries_small[0::2] = small[: len(queries_small[0::2])]  # exact copies: HNSW's best case
    rows.append(alternative(f"IndexBinaryHNSW M 16, efSearch 64 ({len(small)} rows)", hnsw,
                            small, queries_small))  # fmt: skip
    return {"rows": args.rows, "queries": args.queries, "alternatives": rows}


def _flat(bank: Codes) -> Any:
    flat = faiss.IndexBinaryFlat(256)
    flat.add(bank)
    return flat


class MihAsFaiss:
    """tipline's segment behind faiss's range_search, for the same measuring code."""

    def __init__(self, segment: Segment) -> None:
        self.segment = segment

    def range_search(self, queries: Codes, radius: int) -> tuple[Any, Any, Any]:
        hits = self.segment.search(queries, radius - 1)
        limits = np.searchsorted(hits.query, np.arange(len(queries) + 1))
        return limits, hits.distance, hits.ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("match", help="the PDQ index against numpy's brute force")
    run.add_argument("--rows", type=int, default=10_000_000)
    run.add_argument("--queries", type=int, default=1000)
    run.add_argument("--brute-queries", type=int, default=1000)
    run.add_argument("--flat-queries", type=int, default=200)
    run.add_argument("--seed", type=int, default=17)
    run.add_argument("--json", type=Path)
    run.set_defaults(bench=match)
    other = commands.add_parser("alternatives", help="faiss's binary indexes beside it")
    other.add_argument("--rows", type=int, default=1_000_000)
    other.add_argument("--queries", type=int, default=1000)
    other.add_argument("--seed", type=int, default=17)
    other.add_argument("--json", type=Path)
    other.set_defaults(bench=alternatives)
    args = parser.parse_args()
    print(f"load average {load():.2f} at start, {os.cpu_count()} cores")
    result = args.bench(args)
    result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:  # e.g. bench/out/, which git ignores
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text)


if __name__ == "__main__":
    main()
