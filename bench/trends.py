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

`--scripts N,M…` measures the scripts instead (`tipline.trends.scripts`: clusters of similar
narratives) on the first N, M… generated reports of `--seed`: their quality against the script
the generator told (its category's story templates, in the report's language: `category/lang`;
and against the category alone), as report purity and B-cubed precision, recall and F1; the
rising rule's false alarms on the scripts' weekly series (stationary by construction, as the
categories'); and the cost in CPU seconds (time.process_time) of masking (extraction's spans),
clustering, and placing the last 1 % into the scripts of the rest (`place`, members sampled as
the hourly job does). Run with OPENBLAS_NUM_THREADS=1 so that CPU time is one core's.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/trends.py --scripts 3000,20000,100000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from tipline.demo.narratives import DEMO_MIX, GeneratedReport, generate_reports
from tipline.trends.clustering import SAMPLE, masked_narrative
from tipline.trends.core import RULE, Rule, assess, week_of
from tipline.trends.scripts import SCRIPT_RULE, cluster, place

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


def quality(found: list[int], truth: list[str]) -> dict[str, float]:
    """Report purity and B-cubed precision, recall and F1 of `found` against `truth`."""
    n = len(found)
    size, kind = Counter(found), Counter(truth)
    both = Counter(zip(found, truth, strict=True))
    purity = sum(max(c for (f, _), c in both.items() if f == k) for k in size) / n
    precision = sum(both[(f, t)] / size[f] for f, t in zip(found, truth, strict=True)) / n
    recall = sum(both[(f, t)] / kind[t] for f, t in zip(found, truth, strict=True)) / n
    f1 = 2 * precision * recall / (precision + recall)
    scores = {"purity": purity, "precision": precision, "recall": recall, "f1": f1}
    return {k: round(v, 3) for k, v in scores.items()}


def script_series(reports: list[GeneratedReport], labels: list[int]) -> dict[str, list[int]]:
    """Weekly counts per script over whole weeks (the partial first and last left out)."""
    mondays = [week_of(r.received_at.date()) for r in reports]
    weeks = sorted(set(mondays))[1:-1]
    index = {w: k for k, w in enumerate(weeks)}
    series: dict[str, list[int]] = {}
    for monday, label in zip(mondays, labels, strict=True):
        if (k := index.get(monday)) is not None:
            series.setdefault(str(label), [0] * len(weeks))[k] += 1
    return series


def placed_cost(texts: list[str], labels: list[int], truth: list[str]) -> dict[str, float]:
    """CPU seconds to place the last 1 % into the scripts of the rest (SAMPLE members each),
    and where they went: a new script, or a script whose most common true script is theirs."""
    cut = len(texts) - max(1, len(texts) // 100)
    members: dict[int, list[str]] = {}
    told: dict[int, Counter[str]] = defaultdict(Counter)
    for text, label, true in zip(texts[:cut], labels[:cut], truth[:cut], strict=True):
        members.setdefault(label, []).append(text)
        told[label][true] += 1
    known = [(label, t) for label, ts in members.items() for t in ts[-SAMPLE:]]
    started = time.process_time()
    placed = place([t for _, t in known], [label for label, _ in known], texts[cut:])
    seconds = time.process_time() - started
    right = sum(p in told and told[p].most_common(1)[0][0] == t
                for p, t in zip(placed, truth[cut:], strict=True))  # fmt: skip
    return {
        "reports": len(placed), "cpu_s": round(seconds, 2),
        "new_script": sum(p not in told for p in placed) / len(placed),
        "script_of_its_kind": round(right / len(placed), 3),
        "same_script_as_full_run": round(
            sum(p == w for p, w in zip(placed, labels[cut:], strict=True)) / len(placed), 3),
    }  # fmt: skip


def measure_scripts(size: int, seed: int) -> dict[str, object]:
    reports = list(generate_reports(size, seed, None, DEMO_MIX))
    truth = [f"{r.category}/{r.language}" for r in reports]
    started = time.process_time()
    texts = [masked_narrative(r.text) for r in reports]
    masked_s = time.process_time() - started
    labels = cluster(texts, SCRIPT_RULE)
    cluster_s = time.process_time() - started - masked_s
    series = script_series(reports, labels)
    alarms = false_alarms({"scripts": series}, RULE)
    sizes = sorted(Counter(labels).values(), reverse=True)
    return {
        "reports": size, "seed": seed, "scripts": len(sizes), "largest": sizes[:12],
        "scripts_of_5_or_more": sum(s >= 5 for s in sizes),
        "against_category_and_language": quality(labels, truth),
        "against_category": quality(labels, [r.category for r in reports]),
        "false_alarms": alarms,
        "cpu_s": {"mask": round(masked_s, 2), "cluster": round(cluster_s, 2)},
        "reports_per_cpu_s": round(size / (masked_s + cluster_s), 1),
        "place_last_1_percent": placed_cost(texts, labels, truth),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--sizes", default="3000,20000", help="first N reports measured")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--choose-seed", type=int, default=1)
    parser.add_argument("--target", type=float, default=0.001)
    parser.add_argument("--scripts", default="", help="measure the scripts on the first N,M…")
    args = parser.parse_args()
    if args.scripts:
        found = [measure_scripts(int(n), args.seed) for n in args.scripts.split(",")]
        print(json.dumps({"load": os.getloadavg(), "runs": found}, indent=1))
        return
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
