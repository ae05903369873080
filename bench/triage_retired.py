"""Issue 12: the triage model before and after blind sets 1 and 2 joined its training data.

Blind sets 1 and 2 (`bench/blind/reports.jsonl`, `reports-2.jsonl`) are retired into the
corpus as `src/tipline/triage/corpus/retired-blind-*.jsonl`, training data only. This scores,
for a model fitted without them ("before") and with them ("after"):

- **held-out**: the corpus's held-out split, the same texts for both (the retired files are
  never held out);
- **cross-validation**: five folds of the corpus's training split (`fold_of`, as
  `bench/triage_margin.py`), each scored by a model fitted on the four others (plus, after,
  every retired report), the folds' verdicts pooled;
- **demo**: 2,000 generated demo reports: critical share, precision and recall.

It never reads blind set 3. Run: `.venv/bin/python bench/triage_retired.py [--json FILE]`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tipline.triage.training import Example, evaluate, fit, load_corpus, split

FOLDS = 5
DEMO = 2_000
DEMO_SEED = 7


def fold_of(text: str) -> int:
    return hashlib.sha256(("fold:" + text).encode("utf-8")).digest()[0] % FOLDS


def summary(metrics: dict[str, Any]) -> dict[str, float]:
    other = metrics["per_category"].get("other", {}).get("f1", 0.0)
    return {
        "macro_f1": round(metrics["macro_f1"], 4),
        "critical_recall": round(metrics["critical_recall"], 4),
        "critical_precision": round(metrics["critical_precision"], 4),
        "other_f1": round(other, 4),
        "urgency_accuracy": round(metrics["urgency_accuracy"], 4),
    }


def cross_validation(train: Sequence[Example], extra: Sequence[Example]) -> dict[str, float]:
    examples: list[Example] = []
    verdicts: list[Any] = []
    from tipline.triage.training import triage_texts

    for fold in range(FOLDS):
        model = fit([*[e for e in train if fold_of(e.text) != fold], *extra])
        scored = [e for e in train if fold_of(e.text) == fold]
        examples.extend(scored)
        verdicts.extend(triage_texts(model, scored))
    from tipline.triage.training import score

    return summary(score(examples, verdicts))


def demo_figures(model: Any, demo: Sequence[Example]) -> dict[str, float]:
    metrics = evaluate(model, demo)
    from tipline.triage.training import triage_texts

    critical = sum(1 for v in triage_texts(model, demo) if v.urgency.value == "critical")
    return {
        **summary(metrics),
        "critical_share": round(critical / len(demo), 4),
        "truly_critical_share": round(sum(e.urgency == "critical" for e in demo) / len(demo), 4),
    }


def variant(name: str, corpus: Sequence[Example], demo: Sequence[Example]) -> dict[str, Any]:
    train, test = split(corpus)
    extra = [e for e in train if e.train_only]
    base = [e for e in train if not e.train_only]
    begin = time.process_time()
    model = fit(train)
    fit_cpu = time.process_time() - begin
    figures: dict[str, Any] = {
        "train_examples": len(train),
        "held_out_examples": len(test),
        "fit_cpu_s": round(fit_cpu, 2),
        "held_out": summary(evaluate(model, test)),
        "cv": cross_validation(base, extra),
        "demo": demo_figures(model, demo),
    }
    if extra:  # training figures, not blind: these texts were fitted on
        figures["retired_sets_training_fit"] = summary(evaluate(model, extra))
    print(name, json.dumps(figures, indent=1), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from tipline.demo.narratives import generate_reports

    demo = [Example(r.text, r.category, r.urgency) for r in generate_reports(DEMO, DEMO_SEED)]
    corpus = load_corpus()
    before = [e for e in corpus if not e.train_only]
    figures: dict[str, Any] = {
        "before": variant("before", before, demo),
        "after": variant("after", corpus, demo),
    }
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
