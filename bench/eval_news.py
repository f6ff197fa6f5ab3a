"""Extraction quality on the authored news evaluation set (`tests/eval_news/`).

    python bench/eval_news.py [--split dev|heldout|all] [--verbose] [--out RUN.jsonl] [--json]

Runs the same extraction as `innograph extract --json` (`innograph.ingest.service.extract_paths`,
readers included) over every article of the split and scores it with the shared scorer
(`../shared/eval/score.py`, imported, never copied): entity precision/recall/F1, typed-entity F1
and relation-pair precision/recall/F1, per split and per language (`zh-Hans`, `zh-Hant` with or
without inline pinyin, `en`). When `../shared` is absent the script says so and exits 0 without
scoring, since the numbers would not be comparable with the seed's.

`heldout` is for reporting only: tune on `dev` (see tests/eval_news/README.md).

`--verbose` prints the scorer's per-document misses and extras; `--out` keeps the run in the
scorer's input format, so `python ../shared/eval/score.py RUN.jsonl --gold tests/eval_news/dev`
reproduces the dev numbers. With `--json` the last line is one JSON object:
`{"splits": {SPLIT: {GROUP: {"docs", "entities", "entities+type", "relation pairs"}}}, ...}`
where each score is `{"p", "r", "f", "tp", "fp", "fn"}` and GROUP is a language or `all`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "eval_news"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
SPLITS = ("dev", "heldout")
LANGS = ("zh-Hans", "zh-Hant", "en")
MEASURES = ("entities", "entities+type", "relation pairs")


def load_scorer(path: Path = SCORER) -> ModuleType | None:
    """The shared scorer as a module, or None when ../shared is not checked out."""
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("innograph_shared_score", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Article:
    split: str
    gold_path: Path
    text_path: Path
    gold: dict[str, Any]

    @property
    def lang(self) -> str:
        return str(self.gold.get("lang", "?"))


def articles(split: str, root: Path = EVAL_DIR, limit: int | None = None) -> list[Article]:
    """Gold-annotated articles of one split (`NAME.gold.json` beside `NAME.txt|.md|.html`)."""
    out = []
    for gold_path in sorted((root / split).glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append(Article(split, gold_path, gold_path.parent / gold["doc"], gold))
    return out[:limit] if limit else out


def extract(texts: list[Path]) -> dict[str, dict[str, Any]]:
    """Run the `innograph extract --json` code path; predictions keyed by file stem."""
    from innograph.ingest.jsonout import extraction_to_json
    from innograph.ingest.service import extract_paths
    from innograph.model import Failure

    preds: dict[str, dict[str, Any]] = {}
    for path, result in extract_paths(texts):
        if isinstance(result, Failure):
            # An unreadable article scores as an empty prediction (all misses), loudly.
            print(f"failed {path}: {result.reason}", file=sys.stderr)
            continue
        preds[Path(path).stem] = extraction_to_json(result, path)
    return preds


@dataclass
class Tally:
    docs: int = 0
    counts: dict[str, list[int]] = field(default_factory=lambda: {m: [0, 0, 0] for m in MEASURES})

    def add(self, parts: tuple[Any, ...]) -> None:
        self.docs += 1
        for measure, part in zip(MEASURES, parts, strict=True):
            for k in range(3):
                self.counts[measure][k] += part[k]

    def summary(self, scorer: ModuleType) -> dict[str, Any]:
        out: dict[str, Any] = {"docs": self.docs}
        for measure, (tp, fp, fn) in self.counts.items():
            p, r, f = scorer.prf(tp, fp, fn)
            out[measure] = {
                "p": round(p, 3),
                "r": round(r, 3),
                "f": round(f, 3),
                "tp": tp,
                "fp": fp,
                "fn": fn,
            }
        return out


def score_split(
    scorer: ModuleType,
    items: list[Article],
    preds: dict[str, dict[str, Any]],
    verbose: bool = False,
) -> dict[str, dict[str, Any]]:
    """Per-language and overall scores of one split, document by document with the scorer."""
    tallies = {group: Tally() for group in ("all", *LANGS)}
    empty: dict[str, Any] = {"entities": [], "relations": []}
    for item in items:
        pred = preds.get(item.text_path.stem, empty)
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink):
            parts = scorer.score_doc(item.gold, pred, verbose)
        if verbose:
            print(sink.getvalue(), end="")
        tallies["all"].add(parts)
        tallies.setdefault(item.lang, Tally()).add(parts)
    return {group: t.summary(scorer) for group, t in tallies.items() if t.docs}


def print_table(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    header = (
        f"{'split':<8} {'group':<8} {'docs':>4} | {'ent P':>6} {'ent R':>6} {'ent F':>6} | "
        f"{'typed F':>7} | {'pair P':>6} {'pair R':>6} {'pair F':>6}"
    )
    print(header)
    print("-" * len(header))
    for split, groups in results.items():
        for group, s in groups.items():
            e, t, r = (s[m] for m in MEASURES)
            print(
                f"{split:<8} {group:<8} {s['docs']:>4} | {e['p']:>6.3f} {e['r']:>6.3f} "
                f"{e['f']:>6.3f} | {t['f']:>7.3f} | {r['p']:>6.3f} {r['r']:>6.3f} {r['f']:>6.3f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="dev")
    parser.add_argument("--root", type=Path, default=EVAL_DIR, help="evaluation set folder")
    parser.add_argument("--limit", type=int, default=None, help="first N articles per split")
    parser.add_argument("--verbose", action="store_true", help="per-document misses and extras")
    parser.add_argument("--out", type=Path, default=None, help="write the run as JSON lines")
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--scorer", type=Path, default=SCORER, help="path of the shared score.py")
    args = parser.parse_args(argv)

    scorer = load_scorer(args.scorer)
    if scorer is None:
        print(
            f"skipped: the shared scorer {args.scorer} is not present (../shared not checked out)"
        )
        return 0
    splits = SPLITS if args.split == "all" else (args.split,)
    items = {s: articles(s, args.root, args.limit) for s in splits}
    if not any(items.values()):
        print(f"error: no gold articles under {args.root} for split {args.split}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    texts = [a.text_path for s in splits for a in items[s]]
    preds = extract(texts)
    seconds = time.perf_counter() - started
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for pred in preds.values():
                fh.write(json.dumps(pred, ensure_ascii=False) + "\n")

    results = {s: score_split(scorer, items[s], preds, args.verbose) for s in splits if items[s]}
    print_table(results)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in texts)
    print(f"{len(texts)} articles, {chars:,} chars extracted in {seconds:.1f}s")
    if args.json:
        print(json.dumps({"splits": results, "articles": len(texts), "seconds": round(seconds, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
