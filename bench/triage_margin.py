"""The `critical` margin of triage (`rules.CRITICAL_MARGIN`), measured on every set at once.

A report whose learned `critical` score is within the margin of the urgency model's best is
called critical. For each margin given, in one run:

- **cross-validation** on the training split (`training.split`), five folds by a hash of each
  text: `critical` recall and precision, macro-F1 — the only figures a margin is chosen on;
- **held-out**: the model fitted on the training split, scored on the held-out fifth;
- **blind sets** named by `--blind-sets` (files of `bench/blind/`), the model fitted on the
  whole corpus, as `tipline triage train` keeps it;
- **demo**: the demo data set's reports (`tipline.demo.service`: `DEMO_MIX`, seed `DEMO_SEED`,
  `DEMO_COUNT`, their stated ages and losses), triaged by the whole-corpus model: the share
  called `critical`, its precision against the generator's urgency, and its recall.

Only aggregate figures are printed.

    .venv/bin/python bench/triage_margin.py --margins 0 0.1 0.25 \
        --blind-sets reports.jsonl reports-2.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

BLIND_DIR = Path(__file__).resolve().parent / "blind"
FOLDS = 5


def fold_of(text: str) -> int:
    """A text's cross-validation fold, by a hash of it (not the held-out split's bytes)."""
    return hashlib.sha256(("fold:" + text).encode("utf-8")).digest()[0] % FOLDS


def _verdicts(model: Any, rows: Sequence[tuple[str, int | None, float | None]]) -> list[Any]:
    from tipline.indicators import default_allowlist
    from tipline.triage.engine import triage_with

    allowlist = default_allowlist()
    return [triage_with(model, allowlist, text, age, loss) for text, age, loss in rows]


def _critical(truth: Sequence[str], given: Sequence[str]) -> dict[str, float]:
    hits = sum(1 for t, g in zip(truth, given, strict=True) if t == g == "critical")
    called = sum(1 for g in given if g == "critical")
    support = sum(1 for t in truth if t == "critical")
    return {
        "recall": hits / support if support else 0.0,
        "precision": hits / called if called else 0.0,
        "share": called / len(given) if given else 0.0,
        "missed": support - hits,
        "called": called,
    }


def figures(examples: Sequence[Any], verdicts: Sequence[Any]) -> dict[str, float]:
    """Macro-F1, `other` F1 and the `critical` figures of `verdicts` against `examples`."""
    from tipline.triage.training import score

    scored = score(examples, verdicts)
    given = [v.urgency.value for v in verdicts]
    other = scored["per_category"].get("other", {}).get("f1", 0.0)
    return {
        "macro_f1": scored["macro_f1"],
        "other_f1": other,
        **_critical([e.urgency for e in examples], given),
    }


def at_margins(margins: Sequence[float], run: Any) -> dict[float, Any]:
    """`run()` under each margin."""
    from tipline.triage import rules

    kept = rules.CRITICAL_MARGIN
    results = {}
    try:
        for margin in margins:
            rules.CRITICAL_MARGIN = margin
            results[margin] = run()
    finally:
        rules.CRITICAL_MARGIN = kept
    return results


def cross_validation(train: Sequence[Any], margins: Sequence[float]) -> dict[float, Any]:
    """Five folds of the training split: each fold scored by a model fitted on the four others,
    the folds' verdicts pooled."""
    from tipline.triage.training import fit

    models = []
    for fold in range(FOLDS):
        fitted = fit([e for e in train if fold_of(e.text) != fold])
        models.append((fitted, [e for e in train if fold_of(e.text) == fold]))
    pooled = [e for _, held in models for e in held]

    def run() -> dict[str, float]:
        verdicts = []
        for fitted, held in models:
            verdicts += _verdicts(fitted, [(e.text, None, None) for e in held])
        return figures(pooled, verdicts)

    return at_margins(margins, run)


def demo(model: Any, margins: Sequence[float]) -> dict[float, Any]:
    """The demo data set's reports, as `tipline demo` imports them (ages and losses stated)."""
    from tipline.demo.narratives import DEMO_MIX, generate_reports
    from tipline.demo.service import DEMO_COUNT, DEMO_SEED

    reports = list(generate_reports(DEMO_COUNT, DEMO_SEED, None, DEMO_MIX))
    rows = [
        (r.text, r.victim_age, float(r.loss_amount) if r.loss_amount else None) for r in reports
    ]
    truth = [r.urgency for r in reports]

    def run() -> dict[str, float]:
        return _critical(truth, [v.urgency.value for v in _verdicts(model, rows)])

    return at_margins(margins, run)


def blind_set(model: Any, name: str, margins: Sequence[float]) -> dict[float, Any]:
    from tipline.triage.training import Example

    lines = (BLIND_DIR / name).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    examples = [Example(r["text"], r["category"], r["urgency"], r["victim_age"]) for r in records]

    def run() -> dict[str, float]:
        return figures(examples, _verdicts(model, [(e.text, None, None) for e in examples]))

    return at_margins(margins, run)


def held_out(train: Sequence[Any], test: Sequence[Any], margins: Sequence[float]) -> Any:
    from tipline.triage.training import fit

    model = fit(train)
    return at_margins(
        margins, lambda: figures(test, _verdicts(model, [(e.text, None, None) for e in test]))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.1, 0.25])
    parser.add_argument("--blind-sets", nargs="*", default=[], help="files of bench/blind/")
    parser.add_argument("--skip", nargs="*", default=[], choices=["cv", "held_out", "demo"])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    from tipline.triage.training import fit, load_corpus, split

    corpus = load_corpus()
    train, test = split(corpus)
    results: dict[str, Any] = {"load_average": os.getloadavg()[0]}
    if "cv" not in args.skip:
        results["cross_validation"] = cross_validation(train, args.margins)
    if "held_out" not in args.skip:
        results["held_out"] = held_out(train, test, args.margins)
    whole = fit(corpus)
    for name in args.blind_sets:
        results[name] = blind_set(whole, name, args.margins)
    if "demo" not in args.skip:
        results["demo"] = demo(whole, args.margins)
    for part, by_margin in results.items():
        if not isinstance(by_margin, dict):
            continue
        for margin, shown in by_margin.items():
            cells = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                              for k, v in shown.items())  # fmt: skip
            print(f"{part:>18} margin {margin:<5} {cells}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
