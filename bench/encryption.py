"""CPU cost of encryption at rest (tipline.keyring), per submission and per queue page.

What a submission adds: sealing its narrative and contact, and hashing the narrative's words
into its search terms. What a queue page adds: opening its 50 narratives (read whole, then cut
to the snippet). What a search adds: hashing its words under each key. Evidence: sealing and
opening a 5 MiB file. Narratives are the demo generator's (tipline.demo.narratives). CPU time
(time.process_time), median of `--runs` runs, so that a loaded machine changes little.

    .venv/bin/python bench/encryption.py
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from tipline.demo.narratives import generate_reports
from tipline.keyring import KeyRing, new_secret

PAGE = 50


def cpu_us(action: Callable[[], object], repeat: int, runs: int) -> float:
    """Median CPU µs of one `action`, over `runs` runs of `repeat` calls."""
    samples = []
    for _ in range(runs):
        start = time.process_time()
        for _ in range(repeat):
            action()
        samples.append((time.process_time() - start) / repeat * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ring = KeyRing([new_secret()])
    rotating = KeyRing([new_secret(), *(k.secret for k in ring.keys)])
    narratives = [r.text for r in generate_reports(200, seed=7)]
    contact = "Nguyễn Thị Lan, lan.nguyen@example.vn, 0912 345 678"
    sealed = [ring.seal(n, "report.narrative") for n in narratives[:PAGE]]
    mean = sum(map(len, narratives)) / len(narratives)
    counter = iter(range(10**9))

    def submission() -> None:
        narrative = narratives[next(counter) % len(narratives)]
        ring.seal(narrative, "report.narrative")
        ring.seal(contact, "report.reporter_contact")
        ring.search_terms(narrative)

    def page() -> None:
        for value in sealed:
            ring.open(value, "report.narrative")

    content = bytes(range(256)) * (5 * 4096)
    stored = b"".join(ring.seal_file([content]))

    def seal_file() -> bytes:
        return b"".join(ring.seal_file([content]))

    def open_file() -> bytes:
        return b"".join(ring.open_file(io.BytesIO(stored)))

    words = "lừa zalo usdt"
    rows = [
        ("submission: seal narrative + contact, search terms", cpu_us(submission, 200, args.runs)),
        ("queue page: open 50 narratives", cpu_us(page, 20, args.runs)),
        ("search of 3 words, one key", cpu_us(lambda: ring.query_terms(words), 500, args.runs)),
        ("search, 3 words, 2 keys", cpu_us(lambda: rotating.query_terms(words), 500, args.runs)),
        ("evidence 5 MiB: seal", cpu_us(seal_file, 3, args.runs)),
        ("evidence 5 MiB: open", cpu_us(open_file, 3, args.runs)),
    ]  # fmt: skip
    print(f"narratives: {len(narratives)}, mean {mean:.0f} characters; CPU µs, median")
    print("| operation | CPU µs |\n|---|---|")
    for name, micros in rows:
        print(f"| {name} | {micros:,.0f} |")


if __name__ == "__main__":
    main()
