"""Benchmarks of images: hashing images (`hashing`), matching PDQ hashes against a bank
(`match`), and faiss's binary indexes measured beside it (`alternatives`). Each is a subcommand
whose functions stand apart from the others'.

`hashing` (target: ≥ 100 images/s on one core at 1024 px) generates `--images` photo-like
pictures (fixed seed: colour blobs, a gradient and fine noise, so PDQ's quality is high) of
1024×1024 and 1024×768, saved as JPEG (quality 90), and times on one thread, from the file's
bytes: `tipline.media.hashing.hash_image` (decoding at reduced scale to the 512-pixel thumbnail's
size, PDQ and its 8 dihedral variants in one pass, MD5, SHA-256: the figure against the target)
and the previous way (before h17p: the JPEG drafted into a 512×512 box, then `thumbnail`), in
turn, `--rounds` times, in images per CPU second of this process (which leaves out the time other
processes held the cores) and per wall second; then its parts (decoding alone, pdqhash's
luminance, PDQ with its variants on the decoded pixels, MD5 + SHA-256) and a **baseline**,
python-threatexchange's way (its `pdq_hasher`: Pillow's full-size pixels into `pdqhash.compute`,
with MD5 and SHA-256); then the bits between `hash_image`'s PDQ and the other two ways' on
`--agreement` of the images.

`match` builds (fixed seed) a bank of `--rows` random PDQ hashes (10,000,000 by default: 320 MB
of uint8) and `--queries` queries: half near copies of a bank hash with 0 to 31 bits flipped
(planted near-duplicates), half random hashes (nothing within 31 bits, as most uploads). Then:

- **build**: `tipline.media.index.Segment` over the bank (multi-index hashing, 11 tables of
  23-bit pieces), timed; its memory (the arrays it holds) and the process's peak RSS;
- **index**: `PdqIndex.search` on the queries at distance ≤ 31, in one batch and one query at a
  time (median and p99), on one core (numpy is single-threaded here; faiss.omp_set_num_threads(1));
- **disk**: the segment saved (as after a rebuild) and loaded back with its checksums checked
  (as at a restart), in a temporary folder;
- **brute force**: numpy over the whole bank for each query (XOR of the four 64-bit columns,
  np.bitwise_count, sum), the figure to beat by 20×, on `--brute-queries` of the queries (all by
  default); its answers are the truth for recall;
- **faiss flat**: IndexBinaryFlat's exhaustive range search on `--flat-queries` queries (a
  second exhaustive answer, and the speed of faiss without an index);
- **byte table**: the brute-force matcher's comparison (tipline.media.matching.hamming: a
  popcount table over the XOR's 32 bytes) on `--table-queries` queries.

`alternatives` measures faiss's IndexBinaryMultiHash, IndexBinaryIVF and IndexBinaryHNSW on
`--rows` (1,000,000 by default) with the same queries: build time, memory, recall at ≤ 31 against
IndexBinaryFlat, queries/s on one core (docs/media.md's table).

`browser` times the victim's page (`/protect-my-photo`) in Debian's Chromium at 360x800: a
12-megapixel JPEG picked, from the picker's change to the PDQ and MD5 shown (target ≤ 2 s), and
each step apart (decoding and shrinking, PDQ, MD5).

The machine's load average (1 min) is printed with each figure: a loaded machine runs slower.

    .venv/bin/python bench/media.py hashing --json bench/out/media-hashing.json
    .venv/bin/python bench/media.py match --json bench/out/media-match.json
    .venv/bin/python bench/media.py match --rows 1000000 --brute-queries 100   # a quick look
    .venv/bin/python bench/media.py alternatives --rows 1000000
    .venv/bin/python bench/media.py browser --runs 9
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import json
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import faiss
import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image

from tipline.indicators.signals import PDQ
from tipline.media import index_files, mih
from tipline.media.hashing import HASHED_SIDE, decode_for_pdq, hash_image, pdq_hashes, pdq_hex
from tipline.media.index import PdqIndex, Rows, Segment

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize
from tipline.media.matching import hamming

Codes = npt.NDArray[np.uint8]
RADIUS = 31
Found = list[set[int]]


def load() -> float:
    return os.getloadavg()[0]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """The process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


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
    if not args.no_disk:
        result["disk"] = disk_section(segment)
        print(json.dumps(result["disk"]))
    result["brute_force"] = brute_section(segment, queries[: args.brute_queries], found)
    print(json.dumps(result["brute_force"]))
    result["faiss_flat"] = flat_section(bank, queries[: args.flat_queries], found)
    result["brute_force_byte_table"] = table_section(bank, queries[: args.table_queries], found)
    print(json.dumps(result["brute_force_byte_table"]))
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


def disk_section(segment: Segment) -> dict[str, Any]:
    """Save the segment (as a rebuild does) and load it back (as a restart does)."""
    with tempfile.TemporaryDirectory(prefix="pdq-index-") as folder:
        _, saved = timed(lambda: index_files.save(segment, Path(folder)))
        saved_cpu = CPU[0]
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        loaded, seconds = timed(lambda: index_files.load(Path(folder)))
    return {
        "bytes_mb": round(size / 2**20),
        "save_s": round(saved, 1),
        "save_cpu_s": round(saved_cpu, 1),
        "load_s": round(seconds, 1),
        "load_cpu_s": round(CPU[0], 1),
        "loaded_whole": loaded is not None and len(loaded) == len(segment),
        "load": load(),
    }


def table_section(bank: Codes, queries: Codes, found: Found) -> dict[str, Any]:
    """The brute-force matcher's own comparison (a popcount table over the XOR's bytes)."""

    def run() -> list[set[int]]:
        return [set(np.flatnonzero(hamming(bank, q) <= RADIUS).tolist()) for q in queries]

    truth, seconds = timed(run)
    return {
        "queries": len(queries),
        "queries_per_s": round(len(queries) / seconds, 2),
        "queries_per_cpu_s": round(len(queries) / CPU[0], 2),
        "recall_of_index": recall(truth, found),
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
    rss_before = rss_mb()
    index, build = timed(make)
    held = rss_mb() - rss_before
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
        "rss_mb_held": round(held),
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


# hashing: images/s of tipline's hashing and of a baseline ------------------------------------


def timed_rate(work: Callable[[Any], Any], items: Sequence[Any]) -> dict[str, float]:
    """Items a second of `work` over `items`, by wall time and by this process's CPU time."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    for item in items:
        work(item)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return {
        "per_second": len(items) / wall,
        "per_cpu_second": len(items) / cpu,
        "ms_each": wall / len(items) * 1000,
        "cpu_ms_each": cpu / len(items) * 1000,
        "load_1min": load(),
    }


def alternated(
    contenders: dict[str, Callable[[Any], Any]], items: Sequence[Any], rounds: int
) -> dict[str, dict[str, Any]]:
    """Each contender timed over all `items`, in turn, `rounds` times (so that a change of load
    falls on all of them): the median round, and the slowest and fastest, per CPU second."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, work in contenders.items():
            runs[name].append(timed_rate(work, items))
    return {name: rate_summary(rows) for name, rows in runs.items()}


def rate_summary(rows: list[dict[str, float]]) -> dict[str, Any]:
    cpu = sorted(row["per_cpu_second"] for row in rows)
    return {
        "per_cpu_second_median": round(statistics.median(cpu), 1),
        "per_cpu_second_range": [round(cpu[0], 1), round(cpu[-1], 1)],
        "cpu_ms_each_median": round(statistics.median(r["cpu_ms_each"] for r in rows), 2),
        "per_second_median": round(statistics.median(r["per_second"] for r in rows), 1),
        "load_1min": [min(r["load_1min"] for r in rows), max(r["load_1min"] for r in rows)],
    }


def photo_like(rng: np.random.Generator, width: int, height: int) -> bytes:
    """A JPEG (quality 90) of blobs of colour, a light gradient and fine noise."""
    blobs = Image.fromarray(rng.integers(0, 256, (12, 16, 3), dtype=np.uint8))
    pixels = np.asarray(blobs.resize((width, height), Image.Resampling.BICUBIC), dtype=np.int16)
    gradient = np.linspace(-30, 30, width, dtype=np.int16)[None, :, None]
    noise = rng.integers(-12, 13, (height, width, 3), dtype=np.int16)
    image = Image.fromarray(np.clip(pixels + gradient + noise, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def threatexchange_way(content: bytes) -> str:
    """python-threatexchange's PDQ of a file: Pillow's full-size pixels into pdqhash."""
    vector, _ = pdqhash.compute(np.asarray(Image.open(io.BytesIO(content)).convert("RGB")))
    file_digests(content)
    return pdq_hex(vector)


def previous_way(content: bytes) -> str:
    """`hash_image` as it was before h17p: a JPEG drafted into a 512×512 box (which a 1024×768
    photo cannot fill at half scale, so it was decoded whole and then resized), Pillow's
    thumbnail, a copy converted to RGB; the same PDQ, dihedral variants, MD5 and SHA-256."""
    image = Image.open(io.BytesIO(content))
    image.draft("RGB", (HASHED_SIDE, HASHED_SIDE))
    image.thumbnail((HASHED_SIDE, HASHED_SIDE))
    dihedral, _ = pdq_hashes(np.asarray(image.convert("RGB")))
    file_digests(content)
    return dihedral[0]


def pdqhash_luminance(pixels: np.ndarray) -> np.ndarray:
    """What pdqhash does first, in numpy, before its C++ (Jarosz filter, DCT, quality)."""
    luma = pixels[:, :, 0] * 0.299 + pixels[:, :, 1] * 0.587 + pixels[:, :, 2] * 0.114
    return luma.astype("float32")


def file_digests(content: bytes) -> None:
    hashlib.md5(content, usedforsecurity=False).hexdigest()
    hashlib.sha256(content).hexdigest()


def agreement(images: Sequence[bytes]) -> dict[str, Any]:
    """Bits between `hash_image`'s PDQ and the same image's PDQ made the other ways."""

    def apart(other: Callable[[bytes], str]) -> dict[str, Any]:
        bits = [PDQ.distance(hash_image(c).pdq, other(c)) for c in images]
        return {"mean": round(statistics.fmean(bits), 2), "max": max(bits),
                "over_16": sum(1 for b in bits if b > 16)}  # fmt: skip

    return {
        "previous_way": apart(previous_way),
        "threatexchange_full_size": apart(threatexchange_way),
    }


def run_hashing(args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    sizes = [(1024, 1024), (1024, 768)]
    images = [photo_like(rng, *sizes[i % 2]) for i in range(args.images)]
    decoded = [decode_for_pdq(content) for content in images]
    qualities = [hash_image(content).quality for content in images[:20]]
    contenders: dict[str, Callable[[Any], Any]] = {
        "hash_image": hash_image,
        "previous_way": previous_way,
    }
    figures = alternated(contenders, images, args.rounds)
    parts = {
        "decoding": timed_rate(decode_for_pdq, images),
        "pdqhash_luminance_in_numpy": timed_rate(pdqhash_luminance, decoded),
        "pdq_with_dihedral": timed_rate(pdq_hashes, decoded),
        "md5_sha256": timed_rate(file_digests, images),
        "baseline_threatexchange_full_size": timed_rate(threatexchange_way, images),
    }
    ours = figures["hash_image"]["per_cpu_second_median"]
    return {
        "images": args.images,
        "sizes": [f"{w}x{h}" for w, h in sizes],
        "mean_jpeg_bytes": int(np.mean([len(c) for c in images])),
        "pdq_quality_min": min(qualities),
        "alternated_rounds": args.rounds,
        "figures": figures,
        "parts_cpu_ms_each": {name: round(p["cpu_ms_each"], 2) for name, p in parts.items()},
        "speedup_over_previous_cpu": round(
            ours / figures["previous_way"]["per_cpu_second_median"], 2
        ),
        "speedup_over_threatexchange_cpu": round(
            ours / parts["baseline_threatexchange_full_size"]["per_cpu_second"], 2
        ),
        "pdq_bits_apart": agreement(images[: args.agreement]),
        "target_per_cpu_second": args.target,
        "meets_target_per_cpu_second": ours >= args.target,
    }


# --- in-browser hashing on the victim's page (h17j) ------------------------------------------

PHONE: ViewportSize = {"width": 360, "height": 800}
BROWSER_ORIGIN = "http://tipline.test"
# In the page: the milliseconds from the picker's change to the hashes shown (what she waits),
# timed by the page's own clock (Playwright's file transfer is not hers).
TIME_PICK = """() => { window.tiplinePicked = new Promise((done) => {
  const picker = document.getElementById("photo");
  const shown = document.getElementById("hashes");
  let start = 0;
  picker.addEventListener("change", () => { start = performance.now(); }, { capture: true });
  new MutationObserver(() => { if (!shown.hidden) done(performance.now() - start); })
    .observe(shown, { attributes: true });
}); }"""
# The steps apart, on the same bytes: decoding and shrinking, PDQ of the pixels, MD5.
TIME_STEPS = """async (size) => {
  const { pixelsOf, pdqFromPixels } = await import("/static/pdq.js");
  const { md5Hex } = await import("/static/md5.js");
  const picker = document.getElementById("photo");
  const bytes = new Uint8Array(await picker.files[0].arrayBuffer());
  let t = performance.now();
  const { rgba, width, height } = await pixelsOf(bytes);
  const decode = performance.now() - t;
  t = performance.now();
  pdqFromPixels(rgba, width, height);
  const pdq = performance.now() - t;
  t = performance.now();
  md5Hex(bytes);
  return { decode_ms: decode, pdq_ms: pdq, md5_ms: performance.now() - t, bytes: bytes.length };
}"""


def twelve_megapixel_jpeg(path: Path, seed: int) -> None:
    """A 4000x3000 photo-like JPEG (gradients, shapes and sensor-like noise: some 3 MB, as a
    phone's photo)."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:3000, 0:4000].astype(np.float32)
    base = np.stack([x / 16, y / 12, (x + y) / 28], axis=-1) % 256
    noise = rng.normal(0, 14, base.shape).astype(np.float32)
    picture = Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, 3600)), int(rng.integers(0, 2600))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        draw.ellipse(
            (x0, y0, x0 + int(rng.integers(80, 900)), y0 + int(rng.integers(80, 700))), fill=colour
        )
    picture.save(path, "JPEG", quality=90)


def protect_page_html(folder: Path) -> str:
    """The victim's page as tipline renders it (in-process, on an empty data folder)."""
    from fastapi.testclient import TestClient

    from tipline.app import create_app
    from tipline.settings import Settings

    app = create_app(Settings(data_dir=folder, database_url=None, secret_key="bench"))
    return TestClient(app).get("/protect-my-photo?lang=vi").text


def browser(args: argparse.Namespace) -> dict[str, Any]:
    """The victim's page in Debian's Chromium at 360x800: a 12 MP photo picked, hashed."""
    import tempfile

    from playwright.sync_api import Route, sync_playwright

    static = Path(__file__).resolve().parents[1] / "src/tipline/html/static"
    html = ""

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(BROWSER_ORIGIN).split("?")[0]
        if path.startswith("/static/"):
            kind = "text/css" if path.endswith(".css") else "text/javascript"
            route.fulfill(
                body=(static / path.removeprefix("/static/")).read_bytes(), content_type=kind
            )
        else:
            route.fulfill(body=html, content_type="text/html")

    runs: list[float] = []
    steps: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        html = protect_page_html(Path(folder))
        photo = Path(folder) / "photo.jpg"
        twelve_megapixel_jpeg(photo, args.seed)
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for _ in range(args.runs):
                page = chromium.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
                page.route(f"{BROWSER_ORIGIN}/**", serve)
                page.goto(f"{BROWSER_ORIGIN}/protect-my-photo")
                page.evaluate(TIME_PICK)
                page.set_input_files("#photo", str(photo))
                runs.append(float(page.evaluate("window.tiplinePicked")))
                steps.append(page.evaluate(TIME_STEPS))
                page.close()
        finally:
            chromium.close()
        size = photo.stat().st_size
    return {
        "photo": {"pixels": "4000x3000", "jpeg_bytes": size},
        "viewport": PHONE,
        "pick_to_hashes_ms": {"median": round(statistics.median(runs)), "max": round(max(runs))},
        "steps_median_ms": {
            key: round(statistics.median(s[key] for s in steps))
            for key in ("decode_ms", "pdq_ms", "md5_ms")
        },
        "runs": args.runs,
        "load": load(),
        "target_ms": 2000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("match", help="the PDQ index against numpy's brute force")
    run.add_argument("--rows", type=int, default=10_000_000)
    run.add_argument("--queries", type=int, default=1000)
    run.add_argument("--brute-queries", type=int, default=1000)
    run.add_argument("--flat-queries", type=int, default=200)
    run.add_argument("--table-queries", type=int, default=20)
    run.add_argument("--no-disk", action="store_true", help="skip saving and loading the index")
    run.add_argument("--seed", type=int, default=17)
    run.add_argument("--json", type=Path)
    run.set_defaults(bench=match)
    other = commands.add_parser("alternatives", help="faiss's binary indexes beside it")
    other.add_argument("--rows", type=int, default=1_000_000)
    other.add_argument("--queries", type=int, default=1000)
    other.add_argument("--seed", type=int, default=17)
    other.add_argument("--json", type=Path)
    other.set_defaults(bench=alternatives)
    hashing = commands.add_parser("hashing", help="PDQ, MD5, SHA-256 of 1024-pixel photos")
    hashing.add_argument("--images", type=int, default=300, help="pictures generated")
    hashing.add_argument("--seed", type=int, default=17)
    hashing.add_argument("--rounds", type=int, default=5, help="turns of ours and the previous")
    hashing.add_argument("--agreement", type=int, default=100, help="images compared bit by bit")
    hashing.add_argument("--target", type=float, default=100.0, help="images/s to reach")
    hashing.add_argument("--json", type=Path)
    hashing.set_defaults(bench=run_hashing)

    page = commands.add_parser("browser", help="a 12 MP photo hashed on the victim's page")
    page.add_argument("--runs", type=int, default=5)
    page.add_argument("--seed", type=int, default=17)
    page.add_argument("--json", type=Path)
    page.set_defaults(bench=browser)
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
