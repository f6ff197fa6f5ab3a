"""Train the small statistical Chinese NER model shipped in `innograph/ingest/models/zh_stat_ner/`.

Reproducible: fixed seed, CPU only, one thread. Data is read from the CLUENER2020 files in the
`shared` folder beside the repository (never copied into the repo)::

    python scripts/train_ner.py                       # train, calibrate, ship (about 10 minutes)
    python scripts/train_ner.py --measure-tokenizers  # only compare char vs jieba boundaries

What it does:
1. Reads `train.jsonl`, keeps the in-scope CLUENER types (name, company, organization,
   government, address) and splits off a fixed 5% of it as a validation set; spaCy uses that
   split to pick the best checkpoint and it also calibrates the per-type confidence. The dev
   split is never seen here: it is for `bench/cluener.py` only.
2. Tokenizes with the character tokenizer from `innograph.ingest.components.stat_ner` (jieba
   words cut through CLUENER entity boundaries; `--measure-tokenizers` prints how often).
3. Trains a tok2vec (MultiHashEmbed + MaxoutWindowEncoder) + transition-based NER with
   `spacy train`'s loop and the config in `CONFIG` below.
4. Writes the best model to the package, keeping only config, meta, vocab strings and
   weights, and stores the validation precision per type in meta.json as the confidence.
"""

from __future__ import annotations

import os

# One thread, set before numpy/thinc load BLAS, so training is reproducible and polite.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import spacy  # noqa: E402
from spacy.cli.train import train as spacy_train  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from innograph.ingest.components.stat_ner import (  # noqa: E402
    CLUENER_TYPES,
    MODEL_DIR,
    TOKENIZER_NAME,
)

DATA_DIR = ROOT.parent / "shared" / "benchmarks" / "cluener2020"
SEED = 0

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "zh"
pipeline = ["tok2vec","ner"]
batch_size = 256

[nlp.tokenizer]
@tokenizers = "TOKENIZER"
bigrams = BIGRAMS

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.tok2vec.model.encode.width}
attrs = ATTRS
rows = ROWS
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = WIDTH
depth = DEPTH
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = HIDDEN
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${system.seed}
gpu_allocator = null
dropout = 0.1
accumulate_gradient = 1
patience = 4000
max_epochs = 0
max_steps = STEPS
eval_frequency = 500
frozen_components = []
annotating_components = []
before_to_disk = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.002

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""

# What the shipped model needs to load; the rest of `nlp.to_disk` output is left behind.
KEEP = ("config.cfg", "meta.json", "tokenizer", "vocab", "tok2vec", "ner")


def read_jsonl(path: Path) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    """(text, [(start, end_exclusive, type)]) for each line, in-scope types only."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            spans = [
                (start, end + 1, kind)
                for kind, by_text in row.get("label", {}).items()
                if kind in CLUENER_TYPES
                for offsets in by_text.values()
                for start, end in offsets
            ]
            yield row["text"], spans


def to_docbin(nlp: spacy.language.Language, rows: list, path: Path) -> tuple[int, int]:
    """Write rows as a DocBin; returns (entities kept, entities lost to token boundaries)."""
    db = DocBin(store_user_data=False)
    kept = lost = 0
    for text, spans in rows:
        doc = nlp.make_doc(text)
        ents = []
        for start, end, kind in spans:
            span = doc.char_span(start, end, label=kind, alignment_mode="strict")
            if span is None:
                lost += 1
            else:
                ents.append(span)
        ents = filter_spans(ents)
        kept += len(ents)
        doc.ents = ents
        db.add(doc)
    db.to_disk(path)
    return kept, lost


def measure_tokenizers(rows: list) -> None:
    """How many gold entities each tokenizer can represent exactly (an upper bound on recall)."""
    char_nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    jieba_nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name, nlp in (("char", char_nlp), ("jieba", jieba_nlp)):
        total = ok = tokens = chars = 0
        started = time.perf_counter()
        for text, spans in rows:
            doc = nlp.make_doc(text)
            tokens += len(doc)
            chars += len(text)
            for start, end, _ in spans:
                total += 1
                ok += doc.char_span(start, end, alignment_mode="strict") is not None
        secs = time.perf_counter() - started
        print(
            f"{name:6s} aligned entities {ok}/{total} = {ok / total:.4f}; "
            f"{tokens / chars:.3f} tokens/char; tokenize {chars / secs:,.0f} chars/s"
        )


def calibrate(model_dir: Path, val_path: Path) -> dict[str, float]:
    """Validation precision per type, the confidence the component reports for each type."""
    nlp = spacy.load(model_dir)
    examples = [
        Example(nlp.make_doc(doc.text), doc)
        for doc in DocBin().from_disk(val_path).get_docs(nlp.vocab)
    ]
    scores = nlp.evaluate(examples)
    per_type = scores.get("ents_per_type") or {}
    print("validation:", json.dumps({k: round(v["f"], 4) for k, v in per_type.items()}))
    return {k: round(float(v["p"]), 4) for k, v in per_type.items()}


def ship(best: Path, confidence: dict[str, float], meta_extra: dict) -> None:
    if MODEL_DIR.exists():
        shutil.rmtree(MODEL_DIR)
    MODEL_DIR.mkdir(parents=True)
    for name in KEEP:
        src = best / name
        if src.is_dir():
            shutil.copytree(src, MODEL_DIR / name)
        elif src.is_file():
            shutil.copy2(src, MODEL_DIR / name)
    meta_path = MODEL_DIR / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["name"] = "zh_stat_ner"
    meta["description"] = "InnoGraph statistical Chinese NER trained on CLUENER2020 train split"
    meta["innograph_confidence"] = confidence
    meta.update(meta_extra)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    print(f"shipped {MODEL_DIR} ({size / 1e6:.2f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--val-fraction", type=float, default=0.05)
    parser.add_argument(
        "--bigrams", action="store_true", help="embed character bigrams (token LEMMA) too"
    )
    parser.add_argument("--measure-tokenizers", action="store_true")
    parser.add_argument("--no-ship", action="store_true", help="train and report only")
    parser.add_argument(
        "--ship-from",
        type=Path,
        help="calibrate and ship an already trained model dir (e.g. a run's model-best "
        "checkpoint); pass the same --steps/--bigrams that trained it, for the record",
    )
    args = parser.parse_args()

    train_file = args.data / "train.jsonl"
    if not train_file.is_file():
        sys.exit(f"CLUENER2020 train.jsonl not found under {args.data}")
    rows = list(read_jsonl(train_file))
    if args.measure_tokenizers:
        measure_tokenizers(rows)
        return

    random.Random(SEED).shuffle(rows)
    n_val = int(len(rows) * args.val_fraction)
    val_rows, train_rows = rows[:n_val], rows[n_val:]

    config = (
        CONFIG.replace("TOKENIZER", TOKENIZER_NAME)
        .replace("WIDTH", str(args.width))
        .replace("DEPTH", str(args.depth))
        .replace("HIDDEN", str(args.hidden))
        .replace("STEPS", str(args.steps))
        .replace("BIGRAMS", "true" if args.bigrams else "false")
        .replace("ATTRS", '["NORM","SHAPE","LEMMA"]' if args.bigrams else '["NORM","SHAPE"]')
        .replace("ROWS", "[6000,200,20000]" if args.bigrams else "[6000,200]")
    )
    tokenizer = {"@tokenizers": TOKENIZER_NAME, "bigrams": args.bigrams}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tokenizer}})
    with tempfile.TemporaryDirectory(prefix="innograph-ner-") as tmp_name:
        tmp = Path(tmp_name)
        to_docbin(nlp, val_rows, tmp / "val.spacy")
        minutes = 0.0
        if args.ship_from:
            best = args.ship_from
        else:
            kept, lost = to_docbin(nlp, train_rows, tmp / "train.spacy")
            print(f"train {len(train_rows)} docs, {kept} entities ({lost} lost to tokens)")
            (tmp / "config.cfg").write_text(config, encoding="utf-8")
            started = time.perf_counter()
            spacy_train(
                tmp / "config.cfg",
                tmp / "out",
                use_gpu=-1,
                overrides={
                    "paths.train": str(tmp / "train.spacy"),
                    "paths.dev": str(tmp / "val.spacy"),
                },
            )
            minutes = (time.perf_counter() - started) / 60
            print(f"training took {minutes:.1f} min")
            best = tmp / "out" / "model-best"
        confidence = calibrate(best, tmp / "val.spacy")
        if not args.no_ship:
            extra = {
                "innograph_training": {
                    "data": "CLUENER2020 train.jsonl (95% train / 5% validation, seed 0)",
                    "width": args.width,
                    "depth": args.depth,
                    "hidden": args.hidden,
                    "steps": args.steps,
                    "bigrams": args.bigrams,
                    "minutes": round(minutes, 1),
                }
            }
            ship(best, confidence, extra)


if __name__ == "__main__":
    main()
