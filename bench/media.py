"""Benchmark of images (issue 17), one section a run:

    .venv/bin/python bench/media.py hashing [--images 300] [--json bench/out/media-hashing.json]

Each section is a subcommand with its own `add_<section>(subparsers)` and `run_<section>(args)`
(kept apart so that each helper of issue 17 adds one without touching the others'); `SECTIONS`
lists them. Every figure is printed with the machine's load average (1 min): a loaded machine
runs slower, and CPU seconds (`time.process_time`) leave out the time other processes held the
cores.

**hashing** (target: ≥ 100 images/s on one core at 1024 px). Generates `--images` photo-like
pictures (fixed seed: colour blobs, a gradient and fine noise, so PDQ's quality is high) of
1024×1024 and 1024×768, saved as JPEG (quality 90), and times on one thread, from the file's
bytes:
- `tipline.media.hashing.hash_image`: decode (a JPEG at reduced scale, thumbnail to 512), PDQ
  and its 8 dihedral variants in one pass, MD5, SHA-256: the figure against the target;
- its parts: decoding alone, `pdqhash.compute` on the decoded pixels;
- **baseline**: python-threatexchange's way (its `pdq_hasher`: Pillow opens the file,
  `pdqhash.compute` on the full-size pixels), the same images, no dihedral variants.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")  # one core: before numpy is imported

import numpy as np  # noqa: E402
import pdqhash  # noqa: E402
from PIL import Image  # noqa: E402
from rich.console import Console  # noqa: E402

from tipline.media.hashing import decode_for_pdq, hash_image  # noqa: E402

console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)


def load() -> float:
    return os.getloadavg()[0]


def machine() -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_1min_before": load(),
    }


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
        "load_1min": load(),
    }


# --- hashing --------------------------------------------------------------------------------


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


def threatexchange_way(content: bytes) -> None:
    """python-threatexchange's PDQ of a file: Pillow's full-size pixels into pdqhash."""
    pdqhash.compute(np.asarray(Image.open(io.BytesIO(content)).convert("RGB")))
    hashlib.md5(content, usedforsecurity=False).hexdigest()
    hashlib.sha256(content).hexdigest()


def add_hashing(subparsers: Any) -> None:
    parser = subparsers.add_parser("hashing", help="PDQ, MD5, SHA-256 of 1024-pixel photos")
    parser.add_argument("--images", type=int, default=300, help="pictures generated")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--target", type=float, default=100.0, help="images/s to reach")


def run_hashing(args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    sizes = [(1024, 1024), (1024, 768)]
    images = [photo_like(rng, *sizes[i % 2]) for i in range(args.images)]
    decoded = [decode_for_pdq(content) for content in images]
    qualities = [hash_image(content).quality for content in images[:20]]
    figures = {
        "tipline hash_image": timed_rate(hash_image, images),
        "  decoding (draft, thumbnail 512)": timed_rate(decode_for_pdq, images),
        "  pdqhash.compute on 512 px": timed_rate(pdqhash.compute, decoded),
        "baseline: threatexchange's way (full size)": timed_rate(threatexchange_way, images),
    }
    ours = figures["tipline hash_image"]
    baseline = figures["baseline: threatexchange's way (full size)"]
    return {
        "images": args.images,
        "sizes": [f"{w}x{h}" for w, h in sizes],
        "mean_jpeg_bytes": int(np.mean([len(c) for c in images])),
        "pdq_quality_min": min(qualities),
        "figures": figures,
        "speedup_over_baseline": ours["per_second"] / baseline["per_second"],
        "target_per_second": args.target,
        "meets_target": ours["per_second"] >= args.target,
    }


def print_hashing(result: dict[str, Any]) -> None:
    console.print(
        f"[bold]hashing[/bold]: {result['images']} JPEGs ({', '.join(result['sizes'])}, "
        f"mean {result['mean_jpeg_bytes']:,} bytes, PDQ quality ≥ {result['pdq_quality_min']}), "
        "one thread"
    )
    for name, figure in result["figures"].items():
        console.print(
            f"  {name:<44} {figure['per_second']:8.1f} images/s  "
            f"({figure['per_cpu_second']:7.1f} per CPU second, {figure['ms_each']:6.2f} ms each, "
            f"load {figure['load_1min']:.2f})"
        )
    verdict = "meets" if result["meets_target"] else "MISSES"
    console.print(
        f"  {result['speedup_over_baseline']:.1f}× the baseline; {verdict} the target of "
        f"{result['target_per_second']:.0f} images/s"
    )


# --- the sections ---------------------------------------------------------------------------

Section = tuple[
    Callable[[Any], None],  # add its subcommand and options
    Callable[[argparse.Namespace], dict[str, Any]],  # run it: its figures
    Callable[[dict[str, Any]], None],  # print them
]
SECTIONS: dict[str, Section] = {
    "hashing": (add_hashing, run_hashing, print_hashing),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    subparsers = parser.add_subparsers(dest="section", required=True)
    for add, _, _ in SECTIONS.values():
        add(subparsers)
    args = parser.parse_args()
    _, run, show = SECTIONS[args.section]
    context = machine()
    result = run(args)
    show(result)
    load_before = context["load_1min_before"]
    console.print(f"  {context['date']}, {context['cpus']} CPUs, load before {load_before:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"section": args.section, "machine": context, **result}
        args.json.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
