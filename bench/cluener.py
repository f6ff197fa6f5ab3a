"""CLUENER2020 dev benchmark: precision/recall/F1 of a pipeline on the four organisation and
person types the project keeps (name, company, organization, government), plus throughput.

    python bench/cluener.py [--pipeline full|stat] [--limit N] [--json]

Pipelines:
- `full`  (default): the project's extractor, `innograph.ingest.pipeline.get_extractor()`, run
  on each dev sentence; the predictions are its name and abbreviation mentions that belong to
  an extracted entity, labelled with that entity's label. Short forms and anaphors (a bare
  `银行` after `北京银行`, `该基地`) are references the pipeline resolves, not names, and
  CLUENER does not mark them, so they are not scored.
- `stat`: the statistical model `innograph.ingest.components.stat_ner` alone.

Matching (documented so the numbers mean one thing): a predicted span is correct when its
character offsets equal a gold span's and its label is compatible with that gold span's type:

| CLUENER type | compatible project labels |
|---|---|
| name | Person, Academician |
| company | Firm |
| organization | Institute, Organization |
| government | Organization |

Each prediction counts once, for the per-type precision of the gold type it matches; an
unmatched prediction is charged to the type its label implies (Person/Academician -> name,
Firm -> company, Institute -> organization, Organization -> government when it overlaps a gold
government span, else organization). Predictions with other labels (Place, Park, Technology,
...) are not scored, since `address` and the other CLUENER types are out of this table. The
micro-F1 pools the four types. With --json the last line is
`{"micro_f1": ..., "per_type": {TYPE: {"p", "r", "f", "tp", "fp", "fn"}}, ...}`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_DIR = ROOT.parent / "shared" / "benchmarks" / "cluener2020"
TYPES: tuple[str, ...] = ("name", "company", "organization", "government")
COMPATIBLE: dict[str, frozenset[str]] = {
    "name": frozenset({"Person", "Academician"}),
    "company": frozenset({"Firm"}),
    "organization": frozenset({"Institute", "Organization"}),
    "government": frozenset({"Organization"}),
}
NAME_KINDS = frozenset({"name", "abbrev"})
_LABEL_TYPE = {
    "Person": "name",
    "Academician": "name",
    "Firm": "company",
    "Institute": "organization",
}

Span = tuple[int, int, str]  # start, end (exclusive), label or type
Predictor = Callable[[list[str]], list[list[Span]]]


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4)} | {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def load_dev(data_dir: Path, limit: int | None) -> list[tuple[str, list[Span]]]:
    """(sentence, gold spans with exclusive ends) for the in-scope types."""
    rows: list[tuple[str, list[Span]]] = []
    with (data_dir / "dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(rows) >= limit:
                break
            row = json.loads(line)
            gold = [
                (start, end + 1, kind)
                for kind, by_text in row.get("label", {}).items()
                if kind in TYPES
                for offsets in by_text.values()
                for start, end in offsets
            ]
            rows.append((row["text"], gold))
    return rows


def score_sentence(gold: list[Span], predicted: list[Span], counts: dict[str, Counts]) -> None:
    gold_by_span: dict[tuple[int, int], str] = {(s, e): t for s, e, t in gold}
    matched: set[tuple[int, int]] = set()
    for start, end, label in set(predicted):
        gold_type = gold_by_span.get((start, end))
        if gold_type is not None and label in COMPATIBLE[gold_type]:
            if (start, end) not in matched:
                matched.add((start, end))
                counts[gold_type].tp += 1
            continue
        charged = _charge(start, end, label, gold)
        if charged is not None:
            counts[charged].fp += 1
    for start, end, kind in gold:
        if (start, end) not in matched:
            counts[kind].fn += 1


def _charge(start: int, end: int, label: str, gold: list[Span]) -> str | None:
    """The CLUENER type an unmatched prediction's false positive is charged to, if scored."""
    if label in _LABEL_TYPE:
        return _LABEL_TYPE[label]
    if label != "Organization":
        return None
    overlaps_government = any(kind == "government" and s < end and start < e for s, e, kind in gold)
    return "government" if overlaps_government else "organization"


def stat_predictor() -> Predictor:
    from innograph.ingest.components import stat_ner

    if not stat_ner.available():
        sys.exit(f"statistical NER model missing in {stat_ner.MODEL_DIR}; run scripts/train_ner.py")

    def predict(texts: list[str]) -> list[list[Span]]:
        return [
            [(s, e, label) for s, e, label, _ in spans] for spans in stat_ner.predict_many(texts)
        ]

    return predict


def full_predictor() -> Predictor:
    try:
        from innograph.ingest.pipeline import get_extractor
    except ImportError as exc:
        sys.exit(
            f"the full pipeline (innograph.ingest.pipeline.get_extractor) is not available: "
            f"{exc}; use --pipeline stat"
        )

    extractor = get_extractor()

    def predict(texts: list[str]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for text in texts:
            state = extractor.analyse(text, "zh")
            spans: list[Span] = []
            for m in state.mentions:
                # names and declared abbreviations; short forms and anaphors (该基地, a
                # later bare 银行 for 北京银行) are references, which CLUENER does not mark
                if m.entity < 0 or m.kind not in NAME_KINDS:
                    continue
                label = state.entities[m.entity].label.value
                spans.append((m.start, m.end, label))
                if label == "Academician":  # an academician is also a person
                    spans.append((m.start, m.end, "Person"))
            out.append(spans)
        return out

    return predict


def default_pipeline() -> str:
    try:
        import innograph.ingest.pipeline  # noqa: F401
    except ImportError as exc:
        print(f"note: full pipeline unavailable ({exc}); using --pipeline stat", file=sys.stderr)
        return "stat"
    return "full"


def run(pipeline: str, data_dir: Path, limit: int | None) -> dict:
    rows = load_dev(data_dir, limit)
    predictor = stat_predictor() if pipeline == "stat" else full_predictor()
    texts = [text for text, _ in rows]
    predictor(texts[:2])  # load models outside the timed run
    started = time.perf_counter()
    predictions = predictor(texts)
    seconds = time.perf_counter() - started
    counts = {kind: Counts() for kind in TYPES}
    for (_, gold), predicted in zip(rows, predictions, strict=True):
        score_sentence(gold, predicted, counts)
    total = Counts(
        tp=sum(c.tp for c in counts.values()),
        fp=sum(c.fp for c in counts.values()),
        fn=sum(c.fn for c in counts.values()),
    )
    chars = sum(len(t) for t in texts)
    return {
        "pipeline": pipeline,
        "sentences": len(rows),
        "micro_f1": total.scores()["f"],
        "micro": total.scores(),
        "per_type": {kind: counts[kind].scores() for kind in TYPES},
        "seconds": round(seconds, 3),
        "sentences_per_s": round(len(rows) / seconds, 1) if seconds else 0.0,
        "chars_per_s": round(chars / seconds, 1) if seconds else 0.0,
    }


def print_table(result: dict) -> None:
    print(f"CLUENER2020 dev, pipeline={result['pipeline']}, {result['sentences']} sentences")
    print(f"{'type':14s} {'P':>7s} {'R':>7s} {'F1':>7s} {'tp':>6s} {'fp':>6s} {'fn':>6s}")
    rows = [*result["per_type"].items(), ("micro", result["micro"])]
    for kind, s in rows:
        print(
            f"{kind:14s} {s['p']:7.4f} {s['r']:7.4f} {s['f']:7.4f} "
            f"{s['tp']:6d} {s['fp']:6d} {s['fn']:6d}"
        )
    print(
        f"throughput: {result['sentences_per_s']:,.1f} sentences/s, "
        f"{result['chars_per_s']:,.0f} chars/s ({result['seconds']:.2f} s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pipeline", choices=("full", "stat"), default=None)
    parser.add_argument("--limit", type=int, default=None, help="first N dev sentences only")
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--json", action="store_true", help="print the result as JSON last")
    args = parser.parse_args(argv)
    if not (args.data / "dev.jsonl").is_file():
        print(f"CLUENER2020 dev.jsonl not found under {args.data}", file=sys.stderr)
        return 2
    result = run(args.pipeline or default_pipeline(), args.data, args.limit)
    print_table(result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
