"""Score the extractor against gold answers and measure its speed.

    python bench/extract_gold.py [--out OUT.jsonl] [--speed SECONDS]

Runs `Extractor.extract` on the user's seed document (`../shared/seeds`, when present) and on
the authored gold set (`tests/gold`), writes one JSON line per document in the scorer's format,
then calls the shared scorer (`../shared/eval/score.py --verbose`) once per gold directory.
`--speed S` additionally times extraction alone (S CPU-seconds per measurement) over the gold
texts one at a time and joined into article-sized documents, with the default pipeline (which
includes the statistical NER model when installed) and with the rules alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from innograph.ingest.jsonout import extraction_to_json
from innograph.ingest.normalize import detect_lang, normalize
from innograph.ingest.pipeline import Extractor, get_extractor
from innograph.model import Document, make_document_id

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SCORER = SHARED / "eval" / "score.py"
OWN_GOLD = ROOT / "tests" / "gold"


def load_document(path: Path) -> Document:
    norm = normalize(path.read_text(encoding="utf-8"))
    return Document(
        id=make_document_id(norm.text),
        text=norm.text,
        path=str(path),
        lang=detect_lang(norm.text),
        traditional=norm.traditional if norm.changed_script else "",
    )


def run_dir(extractor: Extractor, gold_dir: Path, out: Path) -> list[Document]:
    docs = []
    with out.open("w", encoding="utf-8") as fh:
        for gold in sorted(gold_dir.glob("*.json")):
            text_path = gold_dir / json.loads(gold.read_text(encoding="utf-8"))["doc"]
            if not text_path.exists():
                continue
            doc = load_document(text_path)
            docs.append(doc)
            record = extraction_to_json(extractor.extract(doc), str(text_path))
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return docs


def score(out: Path, gold_dir: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(SCORER), str(out), "--gold", str(gold_dir), "--verbose"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def speed(extractor: Extractor, docs: list[Document], seconds: float) -> tuple[float, float]:
    """(CPU-time, wall-time) characters per second of `extract` alone. CPU time is the
    one-core figure; wall time also counts waiting for a shared machine."""
    chars = 0
    cpu, wall = time.process_time(), time.perf_counter()
    while time.process_time() - cpu < seconds:
        for doc in docs:
            extractor.extract(doc)
            chars += len(doc.text)
    return chars / (time.process_time() - cpu), chars / (time.perf_counter() - wall)


def articles(docs: list[Document]) -> list[Document]:
    """News-article-sized documents: the short gold texts of one language joined together."""
    out = []
    for lang in ("zh", "en"):
        text = "\n".join(d.text for d in docs if d.lang == lang)
        if text:
            out.append(Document(id=make_document_id(text), text=text, lang=lang))
    return out


def report_speed(docs: list[Document], seconds: float) -> None:
    pipelines = {"default": get_extractor(), "rules only": Extractor(use_stat_ner=False)}
    for name, extractor in pipelines.items():
        for label, batch in (
            ("one gold doc at a time", docs),
            *((f"{d.lang} article", [d]) for d in articles(docs)),
        ):
            extractor.extract(batch[0])  # warm caches
            cpu, wall = speed(extractor, batch, seconds)
            size = sum(len(d.text) for d in batch) // len(batch)
            print(
                f"speed [{name}] {label} (~{size} chars/doc): "
                f"{cpu:,.0f} chars/s CPU, {wall:,.0f} chars/s wall"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=None, help="directory for the jsonl runs")
    parser.add_argument("--speed", type=float, default=0.0, help="seconds of speed measurement")
    args = parser.parse_args()
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="innograph-gold-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    extractor = get_extractor()
    all_docs: list[Document] = []
    for name, gold_dir in (("seed", SEEDS), ("own", OWN_GOLD)):
        if not gold_dir.is_dir():
            print(f"{name}: {gold_dir} missing, skipped")
            continue
        out = out_dir / f"{name}.jsonl"
        all_docs += run_dir(extractor, gold_dir, out)
        if SCORER.exists():
            print(f"== {name} ({out})")
            print(score(out, gold_dir))
    if args.speed and all_docs:
        report_speed(all_docs, args.speed)


if __name__ == "__main__":
    main()
