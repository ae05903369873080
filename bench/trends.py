"""False alarms and detections of the trends' rising rule (`tipline.trends.core.assess`).

Generates the demo data with the demo's own generator (`tipline.demo.narratives.generate_reports`,
`DEMO_MIX`: the categories of a real tipline; `tipline demo` loads the first 3,000 of seed 0) and
folds the reports into weekly counts by the week they came in (`received_at`, Vietnam time): one
series per category and one per indicator kind the perfect extractor would find (`expected`).
The generator draws every report's time uniformly over three years and its category
independently: the series are stationary by construction, so every alarm is a false one.

Then, for each rule of a small grid (alpha × minimum count; 8 weeks of history, λ floored at
0.5), on the generator's seed `--choose-seed`:
- false-alarm rate: alarms / (series × weeks) over every week that has 8 whole weeks before it;
- detection: the same weeks of each category with a rise planted: the week's count plus a
  Poisson((f - 1) λ) draw, λ the category's weekly mean over the three years, f in 1.5, 2, 3.
The rule chosen is the one with the best detection at f = 2 among those whose false-alarm rate
is at most `--target` (0.1 % of series-weeks by default); it is then measured on `--seed`.

    .venv/bin/python bench/trends.py --reports 20000 --seed 2 --choose-seed 1
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from tipline.demo.narratives import DEMO_MIX, generate_reports
from tipline.trends.core import Rule, assess, week_of

FACTORS = (1.5, 2.0, 3.0)
ALPHAS = (0.01, 0.005, 0.001, 0.0005, 0.0001)
MIN_COUNTS = (3, 5, 8)


@dataclass(frozen=True)
class Reports:
    """Per report: the Monday of the week it came in, its category, its indicator kinds."""

    rows: list[tuple[date, str, frozenset[str]]]


def generated(count: int, seed: int) -> Reports:
    rows = [
        (week_of(r.received_at.date()), r.category, frozenset(kind for kind, _ in r.expected))
        for r in generate_reports(count, seed, None, DEMO_MIX)
    ]
    return Reports(rows)


def weekly(reports: Reports, first: int) -> dict[str, dict[str, list[int]]]:
    """{"categories": {key: counts}, "kinds": {...}} over whole weeks (the first and last weeks
    of the span are partial and left out), for the first `first` reports."""
    rows = reports.rows[:first]
    weeks = sorted({w for w, _, _ in rows})[1:-1]
    index = {w: k for k, w in enumerate(weeks)}
    series: dict[str, dict[str, list[int]]] = {"categories": {}, "kinds": {}}
    for week, category, kinds in rows:
        if (k := index.get(week)) is None:
            continue
        series["categories"].setdefault(category, [0] * len(weeks))[k] += 1
        for kind in kinds:
            series["kinds"].setdefault(kind, [0] * len(weeks))[k] += 1
    return series


def tested_weeks(counts: list[int], rule: Rule) -> Iterable[list[int]]:
    for t in range(rule.weeks, len(counts)):
        yield counts[t - rule.weeks : t + 1]


def false_alarms(series: dict[str, dict[str, list[int]]], rule: Rule) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, by_key in series.items():
        alarms = tests = 0
        for key, counts in by_key.items():
            for window in tested_weeks(counts, rule):
                tests += 1
                alarms += assess(key, window, rule).rising
        found[name] = alarms / tests if tests else 0.0
        found[f"{name}_tests"] = tests
    return found


def detections(
    series: dict[str, list[int]], rule: Rule, factor: float, seed: int
) -> dict[str, float]:
    """Share of planted weeks alarmed, per category and over all of them."""
    rng = np.random.default_rng(seed)
    hits: dict[str, list[int]] = defaultdict(list)
    for key, counts in sorted(series.items()):
        rate = sum(counts) / len(counts)
        for window in tested_weeks(counts, rule):
            planted = window[:-1] + [window[-1] + int(rng.poisson((factor - 1) * rate))]
            hits[key].append(assess(key, planted, rule).rising)
    found = {key: sum(h) / len(h) for key, h in hits.items()}
    found["all"] = sum(sum(h) for h in hits.values()) / sum(len(h) for h in hits.values())
    return found


def measure(series: dict[str, dict[str, list[int]]], rule: Rule, seed: int) -> dict[str, object]:
    return {
        "rule": {"weeks": rule.weeks, "alpha": rule.alpha, "min_count": rule.min_count},
        "false_alarms": false_alarms(series, rule),
        "detection": {str(f): detections(series["categories"], rule, f, seed) for f in FACTORS},
        "weekly_mean": {k: round(sum(c) / len(c), 2) for k, c in series["categories"].items()},
    }


def choose(series: dict[str, dict[str, list[int]]], target: float, seed: int) -> Rule:
    """The rule with the best detection of a doubling whose false-alarm rate is within target."""
    best: tuple[float, Rule] | None = None
    for alpha in ALPHAS:
        for min_count in MIN_COUNTS:
            rule = Rule(alpha=alpha, min_count=min_count)
            rates = false_alarms(series, rule)
            if max(rates["categories"], rates["kinds"]) > target:
                continue
            found = detections(series["categories"], rule, 2.0, seed)["all"]
            if best is None or found > best[0]:
                best = (found, rule)
    if best is None:
        raise SystemExit("no rule meets the target")
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--sizes", default="3000,20000", help="first N reports measured")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--choose-seed", type=int, default=1)
    parser.add_argument("--target", type=float, default=0.001)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    choosing, measured = (
        generated(args.reports, args.choose_seed),
        generated(args.reports, args.seed),
    )
    out: dict[str, object] = {}
    for size in sizes:
        rule = choose(weekly(choosing, size), args.target, args.choose_seed)
        series = weekly(measured, size)
        out[str(size)] = {
            "chosen_on_seed": args.choose_seed,
            "measured_on_seed": args.seed,
            "weeks": len(next(iter(series["categories"].values()))),
            "chosen": measure(series, rule, args.seed),
            "default": measure(series, Rule(), args.seed),
        }
    print(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
