"""Everything extraction and the check's reading give, written out to compare two checkouts.

For speed work on `tipline.indicators` that must change no result: writes one JSON line per text
(every indicator with all its fields: kind, value, allowlisted, span) for the 50,000 generated
texts of `bench/extract.py` (seed 20240), the hand-written corpus, the transfer rings of
`bench/campaign_rings.py` (2,000 rings, seed 20240) and 20,000 values as people type them
into the check (`bench/check.py`'s shapes, read by `read_value_in_full`). Run it once per
checkout and compare the files:

    PYTHONPATH=<before>/src .venv/bin/python bench/extract_same.py --out /tmp/before.jsonl
    PYTHONPATH=src .venv/bin/python bench/extract_same.py --out /tmp/after.jsonl
    cmp /tmp/before.jsonl /tmp/after.jsonl && echo same
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HAND_CORPUS = REPO / "tests" / "indicators" / "corpus" / "messages.jsonl"


def texts(generated: int, rings: int, seed: int) -> Iterator[tuple[str, str]]:
    """(source, text) of every text that is extracted."""
    from tipline.demo.narratives import generate_reports
    from tipline.demo.transfer_rings import ring_reports

    for report in generate_reports(generated, seed):
        yield "generated", report.text
    for line in HAND_CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield "hand", json.loads(line)["text"]
    for ring_report in ring_reports(rings, seed):
        yield "rings", ring_report.text


def typed_values(count: int, seed: int) -> Iterator[str]:
    """Values as people type them into the check, every kind (`bench/check.py`'s shapes)."""
    from check import indicator  # bench/ is the script's folder

    rng = random.Random(seed)
    for index in range(count):
        yield indicator(rng, rng.randint(0, 60_000_000) if index % 2 else index)[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=50_000, help="generated texts")
    parser.add_argument("--rings", type=int, default=2_000)
    parser.add_argument("--values", type=int, default=20_000, help="typed values read")
    parser.add_argument("--seed", type=int, default=20_240)
    args = parser.parse_args(argv)

    from tipline.indicators import extract
    from tipline.indicators.defaults import default_allowlist
    from tipline.indicators.read import read_value_in_full

    def line(source: str, text: str, found: Any) -> str:
        return json.dumps({"source": source, "text": text, "found": found}, ensure_ascii=False)

    allowlist = default_allowlist()
    with args.out.open("w", encoding="utf-8") as out:
        for source, text in texts(args.n, args.rings, args.seed):
            found = [indicator.to_json() for indicator in extract(text)]
            out.write(line(source, text, found) + "\n")
        for value in typed_values(args.values, args.seed):
            read, every = read_value_in_full(value, allowlist)
            answer = None if read is None else read.to_json()
            every_json = [i.to_json() for i in every]
            out.write(line("typed", value, [answer, every_json]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
