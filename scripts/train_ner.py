"""Train the statistical Chinese NER model shipped as `innograph/ingest/models/zh_ner.npz`.

    pip install torch==2.13.0          # training only; inference needs numpy alone
    python scripts/train_ner.py        # about 10 minutes on one CPU core (--threads 1)

Data is read from the CLUENER2020 files in the `shared` folder beside the repository, never
copied into it. What the script does:
1. reads `train.jsonl` (all ten CLUENER types: learning book, game, movie, position and scene
   names teaches the model what is *not* a company or an organisation) and splits off a fixed
   5% as validation, used to pick the best epoch; `dev.jsonl` is never read here, it is for
   `bench/cluener.py` only;
2. builds the vocabularies (characters, bigrams seen at least twice, jieba position+tag keys)
   and encodes every sentence with `innograph.ingest.ner_model.Vocab.encode`, the function
   inference uses;
3. trains the network described in `ner_model.py` (embeddings -> dilated CNN with residuals
   -> CRF over BIO tags) with Adam, embedding dropout and feature dropout to UNK;
4. after each epoch exports the weights and scores the validation split with the numpy
   inference code itself, keeping the best export;
5. writes it to the package as float16 (`ner_model.write_model`).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from innograph.ingest import ner_model  # noqa: E402
from innograph.ingest.components.stat_ner import jieba_tokens  # noqa: E402

DATA_DIR = ROOT.parent / "shared" / "benchmarks" / "cluener2020"
SEED = 0
IN_SCOPE = ("name", "company", "organization", "government")

Row = tuple[str, list[tuple[int, int, str]]]


def read_jsonl(path: Path) -> Iterator[Row]:
    """(text, [(start, end exclusive, type)]) per line; overlapping spans keep the longest."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            spans = sorted(
                (
                    (start, end + 1, kind)
                    for kind, by_text in row.get("label", {}).items()
                    for offsets in by_text.values()
                    for start, end in offsets
                ),
                key=lambda s: (s[0] - s[1], s[0]),
            )
            taken: list[tuple[int, int, str]] = []
            for s in spans:
                if all(s[1] <= t[0] or t[1] <= s[0] for t in taken):
                    taken.append(s)
            yield row["text"], sorted(taken)


def augment(rows: list[Row], copies: int, seed: int) -> list[Row]:
    """Mention replacement: copies of each sentence with every entity swapped for a random
    mention of the same type from elsewhere in the training split. The model then has to
    recognise names by their context and shape rather than remember the ones it saw."""
    rng = random.Random(seed)
    pool: dict[str, list[str]] = {}
    for text, spans in rows:
        for start, end, kind in spans:
            pool.setdefault(kind, []).append(text[start:end])
    out: list[Row] = []
    for _ in range(copies):
        for text, spans in rows:
            if not spans:
                continue
            pieces: list[str] = []
            new_spans: list[tuple[int, int, str]] = []
            pos = 0
            length = 0
            for start, end, kind in spans:
                pieces.append(text[pos:start])
                length += start - pos
                name = rng.choice(pool[kind]) if rng.random() < 0.7 else text[start:end]
                new_spans.append((length, length + len(name), kind))
                pieces.append(name)
                length += len(name)
                pos = end
            pieces.append(text[pos:])
            out.append(("".join(pieces), new_spans))
    return out


def bio(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * length
    for start, end, kind in spans:
        tags[start] = "B-" + kind
        for i in range(start + 1, end):
            tags[i] = "I-" + kind
    return tags


def build_meta(rows: list[Row], tokens: list[list], args: argparse.Namespace) -> dict:
    chars: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    segs: Counter[str] = Counter()
    kinds: set[str] = set()
    for (text, spans), toks in zip(rows, tokens, strict=True):
        folded = ner_model.fold(text)
        chars.update(folded)
        bigrams.update(a + b for a, b in zip(folded, folded[1:] + ner_model.EOS, strict=True))
        segs.update(ner_model.seg_keys(len(text), toks))
        kinds.update(kind for _, _, kind in spans)
    specials = ["<pad>", "<unk>"]
    tags = ["O"] + [f"{p}-{k}" for k in sorted(kinds) for p in ("B", "I")]
    return {
        "chars": specials + sorted(c for c, n in chars.items() if n >= 1),
        "bigrams": specials + sorted(b for b, n in bigrams.items() if n >= args.min_bigram),
        "segs": specials + sorted(s for s, n in segs.items() if n >= 2),
        "tags": tags,
        "dims": {"char": args.char_dim, "bigram": args.bigram_dim, "seg": args.seg_dim},
        "hidden": args.hidden,
        "dilations": args.dilations,
    }


def score(model: ner_model.NerModel, rows: list[Row], tokens: list[list]) -> dict:
    """Exact-span P/R/F per in-scope type and micro over them, with the numpy inference."""
    counts = {k: [0, 0, 0] for k in IN_SCOPE}
    predicted = model.predict([(text, toks) for (text, _), toks in zip(rows, tokens, strict=True)])
    for (_, gold), found in zip(rows, predicted, strict=True):
        g = {(s, e, k) for s, e, k in gold if k in IN_SCOPE}
        p = {(s, e, k) for s, e, k, _ in found if k in IN_SCOPE}
        for s, e, k in p:
            counts[k][0 if (s, e, k) in g else 1] += 1
        for _, _, k in g - p:
            counts[k][2] += 1
    out = {}
    micro = [sum(c[i] for c in counts.values()) for i in range(3)]
    for k, (tp, fp, fn) in [*counts.items(), ("micro", micro)]:
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out[k] = round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0
    return out


def train(args: argparse.Namespace) -> None:
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rows = list(read_jsonl(args.data / "train.jsonl"))
    random.Random(SEED).shuffle(rows)
    n_val = int(len(rows) * args.val_fraction)
    val_rows, train_rows = rows[:n_val], rows[n_val:]
    started = time.perf_counter()
    if args.augment:
        train_rows = train_rows + augment(train_rows, args.augment, SEED)
    train_tokens = [jieba_tokens(text) for text, _ in train_rows]
    val_tokens = [jieba_tokens(text) for text, _ in val_rows]
    meta = build_meta(train_rows, train_tokens, args)
    vocab = ner_model.Vocab(
        chars={c: i for i, c in enumerate(meta["chars"])},
        bigrams={b: i for i, b in enumerate(meta["bigrams"])},
        segs={s: i for i, s in enumerate(meta["segs"])},
        tags=meta["tags"],
    )
    tag_id = {t: i for i, t in enumerate(meta["tags"])}
    encoded = []
    for (text, spans), toks in zip(train_rows, train_tokens, strict=True):
        c, b, s = vocab.encode(text, toks)
        encoded.append((c, b, s, [tag_id[t] for t in bio(len(text), spans)]))
    print(
        f"{len(train_rows)} train / {len(val_rows)} validation sentences; "
        f"{len(meta['chars'])} chars, {len(meta['bigrams'])} bigrams, {len(meta['segs'])} seg "
        f"keys, {len(meta['tags'])} tags; features in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    dims = meta["dims"]
    n_tags = len(meta["tags"])

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb_char = nn.Embedding(len(meta["chars"]), dims["char"], padding_idx=0)
            self.emb_bigram = nn.Embedding(len(meta["bigrams"]), dims["bigram"], padding_idx=0)
            self.emb_seg = nn.Embedding(len(meta["segs"]), dims["seg"], padding_idx=0)
            d_in = dims["char"] + dims["bigram"] + dims["seg"]
            self.convs = nn.ModuleList()
            for i, d in enumerate(meta["dilations"]):
                self.convs.append(
                    nn.Conv1d(
                        d_in if i == 0 else args.hidden, args.hidden, 3, dilation=d, padding=d
                    )
                )
            self.out = nn.Linear(args.hidden, n_tags)
            self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))
            self.start = nn.Parameter(torch.zeros(n_tags))
            self.end = nn.Parameter(torch.zeros(n_tags))
            self.drop = nn.Dropout(args.dropout)
            self.drop_hidden = nn.Dropout(args.dropout_hidden)

        def emissions(self, c: torch.Tensor, b: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
            mask = (c != 0).unsqueeze(1).float()  # (B, 1, L)
            x = torch.cat((self.emb_char(c), self.emb_bigram(b), self.emb_seg(s)), dim=-1)
            x = self.drop(x).transpose(1, 2)  # (B, D, L)
            for i, conv in enumerate(self.convs):
                y = torch.relu(conv(x)) * mask
                x = y + x if i > 0 else y
                x = self.drop_hidden(x)
            return self.out(x.transpose(1, 2))  # (B, L, T)

        def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            """CRF negative log-likelihood, summed over the batch."""
            bsz, length, _ = em.shape
            ar = torch.arange(bsz)
            gold = self.start[tags[:, 0]] + em[ar, 0, tags[:, 0]]
            alpha = self.start + em[:, 0]
            for t in range(1, length):
                m = mask[:, t]
                step = em[ar, t, tags[:, t]] + self.trans[tags[:, t - 1], tags[:, t]]
                gold = gold + step * m
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans, dim=1) + em[:, t]
                alpha = torch.where(m.bool().unsqueeze(1), nxt, alpha)
            last = tags[ar, mask.sum(1).long() - 1]
            gold = gold + self.end[last]
            log_z = torch.logsumexp(alpha + self.end, dim=1)
            return (log_z - gold).sum()

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt,
        max_lr=args.lr,
        total_steps=args.epochs * ((len(encoded) + args.batch - 1) // args.batch),
        pct_start=0.1,
    )

    def export() -> dict[str, np.ndarray]:
        sd = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}
        arrays = {
            "emb_char": sd["emb_char.weight"],
            "emb_bigram": sd["emb_bigram.weight"],
            "emb_seg": sd["emb_seg.weight"],
            "out_w": sd["out.weight"].T.copy(),
            "out_b": sd["out.bias"],
            "crf_trans": sd["trans"],
            "crf_start": sd["start"],
            "crf_end": sd["end"],
        }
        for i in range(len(meta["dilations"])):
            arrays[f"conv{i}_w"] = sd[f"convs.{i}.weight"].transpose(2, 1, 0).copy()  # (k, in, out)
            arrays[f"conv{i}_b"] = sd[f"convs.{i}.bias"]
        return arrays

    rng = random.Random(SEED)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    batches = [order[i : i + args.batch] for i in range(0, len(order), args.batch)]
    best_f, best_arrays, best_epoch = -1.0, None, -1
    for epoch in range(1, args.epochs + 1):
        net.train()
        rng.shuffle(batches)
        t0 = time.perf_counter()
        total = 0.0
        for batch in batches:
            length = max(len(encoded[i][0]) for i in batch)
            arr = np.zeros((4, len(batch), length), dtype=np.int64)
            for row, i in enumerate(batch):
                for f in range(4):
                    arr[f, row, : len(encoded[i][f])] = encoded[i][f]
            c, b, s, y = (torch.from_numpy(a) for a in arr)
            mask = (c != 0).float()
            # feature dropout to UNK: teaches the model what to do with unseen characters
            c = torch.where((torch.rand(c.shape) < args.unk_char) & (c != 0), 1, c)
            b = torch.where((torch.rand(b.shape) < args.unk_bigram) & (b != 0), 1, b)
            loss = net.nll(net.emissions(c, b, s), y, mask) / len(batch)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(batch)
        net.eval()
        arrays = export()
        scores = score(ner_model.NerModel(meta, arrays), val_rows, val_tokens)
        print(
            f"epoch {epoch:2d} loss {total / len(encoded):.3f} val {json.dumps(scores)} "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        if scores["micro"] > best_f:
            best_f, best_arrays, best_epoch = scores["micro"], arrays, epoch
    assert best_arrays is not None
    meta["trained"] = {
        "data": "CLUENER2020 train.jsonl (95%; 5% validation)",
        "best_epoch": best_epoch,
        "validation_micro_f1_in_scope": best_f,
        "args": {k: v for k, v in vars(args).items() if k not in ("data", "out")},
    }
    ner_model.write_model(args.out, meta, best_arrays)
    print(
        f"best epoch {best_epoch}, validation micro-F1 {best_f}; wrote {args.out} "
        f"({args.out.stat().st_size / 1e6:.2f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=ner_model.MODEL_PATH)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--char-dim", type=int, default=48)
    parser.add_argument("--bigram-dim", type=int, default=48)
    parser.add_argument("--seg-dim", type=int, default=16)
    parser.add_argument("--hidden", type=int, default=96)
    parser.add_argument("--dilations", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--min-bigram", type=int, default=2)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--dropout-hidden", type=float, default=0.1)
    parser.add_argument("--unk-char", type=float, default=0.02)
    parser.add_argument("--unk-bigram", type=float, default=0.1)
    parser.add_argument(
        "--augment", type=int, default=0, help="mention-replacement copies of the training split"
    )
    parser.add_argument("--val-fraction", type=float, default=0.05)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if not (args.data / "train.jsonl").is_file():
        sys.exit(f"CLUENER2020 train.jsonl not found under {args.data}")
    train(args)


if __name__ == "__main__":
    main()
