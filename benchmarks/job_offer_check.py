"""The job-offer risk check (atis.screening.job_offers) on the EMSCAD sample.

Each posting of `../shared/data/jobs/emscad_sample.csv` becomes the text a person would
paste: its title, salary line, employment type, company description, job description,
requirements and benefits, in that order. Nothing else is used: not the label, not the
location, logo, telecommuting, screening-question, industry or function columns (platform
metadata a person would not paste, and which would leak the sample's make-up into the rules).
No question is answered.

The postings are split in two halves by a hash of the description (so copies of one scam
fall in one half): the signs, their weights and the level thresholds were chosen looking at the
"dev" half only; the "held-out" half shows whether they carry over. Reported for each half and
for all rows: precision, recall, F1 and balanced accuracy of "high" and of "medium or high"
against `fraudulent`, the share of genuine postings rated low, the flag-everything baseline,
and the time per offer (median and p95, wall clock and CPU).

Usage (from the repository root):
    .venv/bin/python -m benchmarks.job_offer_check
    .venv/bin/python -m benchmarks.job_offer_check --signs   # how often each sign fires, per half and class
    .venv/bin/python -m benchmarks.job_offer_check --fit     # the weights and level cuts, fitted on dev
(run it as a module from the repository root, not as a script path).
Results are printed as Markdown and saved to benchmarks/results/job_offer_check.json.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "jobs" / "emscad_sample.csv"
TEXT_FIELDS = ("title", "salary_range", "employment_type", "company_profile", "description", "requirements", "benefits")
LABELS = {"salary_range": "Salary", "employment_type": "Employment type"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over every offer")
    parser.add_argument("--signs", action="store_true", help="also print how often each sign fires per class")
    parser.add_argument(
        "--fit", action="store_true", help="fit sign weights on the dev half and print the level cuts there"
    )
    return parser.parse_args()


def pasted_text(row: dict[str, str]) -> str:
    parts = []
    for name in TEXT_FIELDS:
        value = (row.get(name) or "").strip()
        if value:
            parts.append(f"{LABELS[name]}: {value}" if name in LABELS else value)
    return "\n\n".join(parts)


def half_of(row: dict[str, str]) -> str:
    digest = hashlib.sha256((row.get("description") or "").encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "held-out"


def scores(predicted: list[bool], actual: list[bool]) -> dict[str, float]:
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    fp = sum(p and not a for p, a in zip(predicted, actual, strict=True))
    fn = sum(a and not p for p, a in zip(predicted, actual, strict=True))
    tn = len(actual) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "balanced_accuracy": (recall + specificity) / 2}


def evaluate(actual: list[bool], levels: list[str]) -> dict[str, Any]:
    genuine = [level for level, fraudulent in zip(levels, actual, strict=True) if not fraudulent]
    return {
        "rows": len(actual),
        "fraudulent": sum(actual),
        "high": scores([level == "high" for level in levels], actual),
        "medium_or_high": scores([level in ("medium", "high") for level in levels], actual),
        "flag_all": scores([True] * len(actual), actual),
        "genuine_low": (sum(level == "low" for level in genuine) / len(genuine)) if genuine else 0.0,
    }


def fit_weights(signs: list[set[str]], actual: list[bool], codes: list[str], ridge: float = 1.0) -> dict[str, float]:
    """Logistic regression of the label on which signs fire (Newton's method, L2 penalty).

    Coefficients are kept ≥ 0: a sign whose coefficient comes out negative is dropped and the
    rest refitted, since a warning sign must never make an offer look safer. Pure Python: a
    handful of features and a few hundred rows need no numpy.
    """
    active = [code for code in codes if any(code in fired for fired in signs)]
    while True:
        rows = [[1.0] + [1.0 if code in fired else 0.0 for code in active] for fired in signs]
        beta = _newton(rows, [1.0 if a else 0.0 for a in actual], ridge)
        negative = [code for code, b in zip(active, beta[1:], strict=True) if b < 0]
        if not negative:
            break
        active = [code for code in active if code not in negative]
    fitted = dict(zip(active, beta[1:], strict=True))
    return {"intercept": beta[0], **{code: fitted.get(code, 0.0) for code in codes}}


def _newton(rows: list[list[float]], target: list[float], ridge: float, steps: int = 25) -> list[float]:
    size = len(rows[0])
    beta = [0.0] * size
    for _step in range(steps):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for x, y in zip(rows, target, strict=True):
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(size):
                gradient[i] += (y - p) * x[i]
                for j in range(size):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, size):  # the intercept is not penalised
            gradient[i] -= ridge * beta[i]
            hessian[i][i] += ridge
        beta = [b + d for b, d in zip(beta, _solve(hessian, gradient), strict=True)]
    return beta


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gauss-Jordan elimination with partial pivoting (the matrix is small and positive definite)."""
    size = len(vector)
    augmented = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(augmented[r][col]))
        augmented[col], augmented[pivot] = augmented[pivot], augmented[col]
        for r in range(size):
            if r != col and augmented[col][col]:
                factor = augmented[r][col] / augmented[col][col]
                augmented[r] = [a - factor * c for a, c in zip(augmented[r], augmented[col], strict=True)]
    return [augmented[i][size] / augmented[i][i] for i in range(size)]


def threshold_table(scores_: list[int], actual: list[bool]) -> list[dict[str, float]]:
    """For each possible cut "score ≥ t" on the given rows: P, R, F1 and genuine postings below it."""
    genuine = sum(not a for a in actual)
    table = []
    for cut in sorted(set(scores_) | {0}):
        flagged = [score >= cut for score in scores_]
        figures = scores(flagged, actual)
        below = sum(not f and not a for f, a in zip(flagged, actual, strict=True))
        table.append({"from": cut, **figures, "genuine_below": below / genuine if genuine else 0.0})
    return table


def level_cuts(table: list[dict[str, float]]) -> dict[str, float | None]:
    """The level thresholds by the documented rule: "medium" the cut with the best F1 among those
    that keep over half of the genuine postings low, "high" the lowest cut with precision ≥ 0.9."""
    kept = [line for line in table if line["genuine_below"] > 0.5]
    medium = max(kept, key=lambda line: line["f1"])["from"] if kept else None
    high = min((line["from"] for line in table if line["precision"] >= 0.9), default=None)
    return {"medium": medium, "high": high}


def main() -> int:
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ATIS_MODE", "test")
    import django

    django.setup()
    from atis.screening.job_offers import SIGN_CODES, assess_job_offer

    with args.data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [pasted_text(row) for row in rows]
    actual = [row["fraudulent"] == "1" for row in rows]
    halves = [half_of(row) for row in rows]

    assessments = [assess_job_offer(text) for text in texts]
    levels = [assessment.level for assessment in assessments]
    # Wall-clock time is what a user waits; on a shared, loaded machine it also counts the time
    # the process waits for a core, so CPU time (thread_time) is reported next to it.
    timings: list[float] = []
    cpu_timings: list[float] = []
    for _pass in tqdm(range(args.repeat), desc="timed passes", unit="pass", disable=not sys.stderr.isatty()):
        for text in texts:
            started, cpu_started = time.perf_counter(), time.thread_time()
            assess_job_offer(text)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.thread_time() - cpu_started) * 1000)
    timings.sort()
    cpu_timings.sort()

    report: dict[str, Any] = {"data": str(args.data), "python": platform.python_version(), "halves": {}}
    for name in ("dev", "held-out", "all"):
        chosen = [i for i, half in enumerate(halves) if name in ("all", half)]
        report["halves"][name] = evaluate([actual[i] for i in chosen], [levels[i] for i in chosen])
    report["ms_per_offer"] = {
        "median": timings[len(timings) // 2],
        "p95": timings[int(len(timings) * 0.95)],
        "max": timings[-1],
        "cpu_median": cpu_timings[len(cpu_timings) // 2],
        "cpu_p95": cpu_timings[int(len(cpu_timings) * 0.95)],
        "cpu_max": cpu_timings[-1],
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }

    print(
        "| rows | postings (scams) | high: P / R / F1 | medium or high: P / R / F1 "
        "| balanced accuracy (high / medium+) | genuine rated low | flag-all: P / R / F1 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, figures in report["halves"].items():
        high, either, everything = figures["high"], figures["medium_or_high"], figures["flag_all"]
        print(
            f"| {name} | {figures['rows']} ({figures['fraudulent']}) "
            f"| {high['precision']:.2f} / {high['recall']:.2f} / {high['f1']:.2f} "
            f"| {either['precision']:.2f} / {either['recall']:.2f} / {either['f1']:.2f} "
            f"| {high['balanced_accuracy']:.2f} / {either['balanced_accuracy']:.2f} "
            f"| {figures['genuine_low']:.0%} "
            f"| {everything['precision']:.2f} / {everything['recall']:.2f} / {everything['f1']:.2f} |"
        )
    timing = report["ms_per_offer"]
    print(
        f"\nTime per offer: median {timing['median']:.3f} ms, p95 {timing['p95']:.3f} ms, "
        f"max {timing['max']:.3f} ms ({len(timings)} checks); CPU time median {timing['cpu_median']:.3f} ms, "
        f"p95 {timing['cpu_p95']:.3f} ms, max {timing['cpu_max']:.3f} ms; load average "
        f"{timing['load_average']:.1f} on {timing['cpus']} CPUs."
    )
    if args.signs:
        print("\nShare of postings on which each sign fires:\n")
        print(
            "| sign | weight | dev: scams | dev: genuine | held-out: scams | held-out: genuine |\n"
            "|---|---:|---:|---:|---:|---:|"
        )
        weights = {sign.code: sign.weight for assessment in assessments for sign in assessment.signs}
        for code in SIGN_CODES:
            cells = []
            for half in ("dev", "held-out"):
                for label in (True, False):
                    chosen = [i for i in range(len(rows)) if halves[i] == half and actual[i] == label]
                    cells.append(f"{sum(code in assessments[i].codes for i in chosen) / len(chosen):.0%}")
            print(f"| {code} | {weights.get(code, '–')} | " + " | ".join(cells) + " |")
    if args.fit:
        # Only the dev half: the held-out half must not influence weights or thresholds.
        dev = [i for i, half in enumerate(halves) if half == "dev"]
        fitted = fit_weights([set(assessments[i].codes) for i in dev], [actual[i] for i in dev], list(SIGN_CODES))
        report["fit_on_dev"] = fitted
        print("\nLogistic regression on the dev half (coefficients ≥ 0, L2 = 1); weight ≈ coefficient / 0.5:\n")
        print("| sign | coefficient | suggested weight |\n|---|---:|---:|")
        for code, value in fitted.items():
            print(f"| {code} | {value:.2f} | {'' if code == 'intercept' else round(value / 0.5)} |")
        table = threshold_table([assessments[i].score for i in dev], [actual[i] for i in dev])
        report["thresholds_on_dev"] = table
        print("\nLevels on the dev half by score cut (current weights):\n")
        print("| score ≥ | P | R | F1 | balanced accuracy | genuine below the cut |\n|---:|---:|---:|---:|---:|---:|")
        for line in table:
            print(
                f"| {line['from']} | {line['precision']:.2f} | {line['recall']:.2f} | {line['f1']:.2f} "
                f"| {line['balanced_accuracy']:.2f} | {line['genuine_below']:.0%} |"
            )
        cuts = level_cuts(table)
        report["level_cuts_on_dev"] = cuts
        print(f"\nCuts by the rule in job_offers.py: MEDIUM_FROM = {cuts['medium']}, HIGH_FROM = {cuts['high']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "job_offer_check.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
