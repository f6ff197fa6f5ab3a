"""The statistical Chinese NER model: character features, a small dilated CNN and CRF decoding,
run with numpy alone from one weights file (`models/zh_ner.npz`).

Why this shape (measured on CLUENER2020 dev and the generated ingest corpus, see
`scripts/train_ner.py` and `bench/cluener.py`):
- one position per character: CLUENER entity boundaries often fall inside jieba words;
- features per character are the character, the bigram it starts (Chinese NER gains much from
  bigrams) and where it sits in its jieba word together with that word's dictionary tag (a
  cheap stand-in for a lexicon: jieba's dictionary knows many person, place and organisation
  words), so the model sees word boundaries without being bound to them;
- a few dilated convolutions instead of an LSTM: every layer is one matrix product over all
  the sentences of a document at once, which keeps the model within the ingest speed budget;
- a CRF over BIO tags for consistent spans (Viterbi in numpy, batched over sentences).

Training (PyTorch, `scripts/train_ner.py`) and inference share `encode()` below, so the
features cannot drift apart. Sentences are laid end to end, and a convolution tap that would
reach from one sentence into the next contributes nothing, exactly as the zero padding of
training does; the result for a sentence is therefore independent of what it is batched with.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

MODEL_PATH = Path(__file__).resolve().parent / "models" / "zh_ner.npz"

PAD, UNK = 0, 1
BOS, EOS = "\x02", "\x03"  # bigram context at sentence edges
SEG_POSITIONS = "BMES"
# Code points get array lookups below this (all of CJK, including extension B); any higher
# character is unknown to the model anyway.
_CODE_SPACE = 0x30000
# Positions per network pass (see `NerModel.scores`).
_BLOCK_ROWS = 1536
# Pieces per Viterbi pass (see `NerModel.decode`).
_DECODE_PIECES = 512


def _fold_table() -> dict[int, str]:
    """Length-preserving character folding: full-width ASCII to ASCII, letters to lower case,
    digits to 0 (numbers differ, their role in a name does not)."""
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for ch in "0123456789":
        table[ord(ch)] = "0"
        table[ord(ch) + 0xFEE0] = "0"
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(ch)] = ch.lower()
        table[ord(ch) + 0xFEE0] = ch.lower()
    for ch in "abcdefghijklmnopqrstuvwxyz":
        table[ord(ch) + 0xFEE0] = ch
    return table


FOLD = _fold_table()


def fold(text: str) -> str:
    return text.translate(FOLD)


def seg_keys(length: int, tokens: Sequence[tuple[int, int, str]]) -> list[str]:
    """Per character, its position in its word and the word's tag (`B:nt`, `S:?`).

    `tokens` are (start, end, tag) covering the text; characters outside any token get `S:w`.
    """
    keys = ["S:w"] * length
    for start, end, tag in tokens:
        if end - start == 1:
            keys[start] = "S:" + tag
            continue
        keys[start] = "B:" + tag
        middle = "M:" + tag
        for i in range(start + 1, end - 1):
            keys[i] = middle
        keys[end - 1] = "E:" + tag
    return keys


@dataclass(slots=True)
class Vocab:
    chars: dict[str, int]
    bigrams: dict[str, int]
    segs: dict[str, int]
    tags: list[str]  # BIO tags, index = tag id

    def encode(
        self, text: str, tokens: Sequence[tuple[int, int, str]]
    ) -> tuple[list[int], list[int], list[int]]:
        """Feature ids (char, bigram, segment) for each character of one sentence."""
        folded = fold(text)
        chars = self.chars
        bigrams = self.bigrams
        segs = self.segs
        c_ids = [chars.get(ch, UNK) for ch in folded]
        nxt = folded[1:] + EOS
        b_ids = [bigrams.get(a + b, UNK) for a, b in zip(folded, nxt, strict=True)]
        s_ids = [segs.get(k, UNK) for k in seg_keys(len(text), tokens)]
        return c_ids, b_ids, s_ids


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, type) from BIO tags; a stray I- opens a span."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag[2:] != kind):
            if start >= 0:
                spans.append((start, i, kind))
                start, kind = -1, ""
            if tag != "O":
                start, kind = i, tag[2:]
    return spans


class NerModel:
    """Weights plus the numpy forward pass and Viterbi decoding."""

    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        self.vocab = Vocab(
            chars={c: i for i, c in enumerate(meta["chars"])},
            bigrams={b: i for i, b in enumerate(meta["bigrams"])},
            segs={s: i for i, s in enumerate(meta["segs"])},
            tags=list(meta["tags"]),
        )
        self.meta = meta
        self._build_lookups()
        self.dilations: list[int] = [int(d) for d in meta["dilations"]]
        f32 = np.float32
        self.emb_char = arrays["emb_char"].astype(f32)
        self.emb_bigram = arrays["emb_bigram"].astype(f32)
        self.emb_seg = arrays["emb_seg"].astype(f32)
        # Per layer: the three kernel taps (left, centre, right) as separate contiguous
        # matrices, its bias and dilation; three products on contiguous arrays beat one
        # product plus strided slices. Weights are stored as (3, in, out).
        self.layers: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]] = []
        for i, dilation in enumerate(self.dilations):
            w = arrays[f"conv{i}_w"].astype(f32)
            left, centre, right = (np.ascontiguousarray(w[j]) for j in range(3))
            self.layers.append((left, centre, right, arrays[f"conv{i}_b"].astype(f32), dilation))
        # The first layer is linear in the embeddings, so for the small vocabularies
        # (characters, segment keys) its product with each entry is computed once here and
        # gathered at run time. Bigrams stay embeddings times weights: their table of
        # products would be tens of MB, and gathering from it misses the cache.
        first = np.concatenate(self.layers[0][:3], axis=1)  # (in, 3*out): left|centre|right
        dc, db = self.emb_char.shape[1], self.emb_bigram.shape[1]
        self.first_char = self.emb_char @ first[:dc]
        self.first_bigram_w = np.ascontiguousarray(first[dc : dc + db])
        self.first_seg = self.emb_seg @ first[dc + db :]
        self.out_w = arrays["out_w"].astype(f32)
        self.out_b = arrays["out_b"].astype(f32)
        self.trans = arrays["crf_trans"].astype(f32).copy()
        self.start = arrays["crf_start"].astype(f32).copy()
        self.end = arrays["crf_end"].astype(f32).copy()
        self._constrain()
        # keeps the products on one BLAS thread (see `predict_documents`)
        self._blas = ThreadpoolController()

    def _build_lookups(self) -> None:
        """Array forms of the vocabularies, so a whole document is encoded with numpy
        (`encode_document`); `Vocab.encode` stays the reference the tests compare with."""
        size = _CODE_SPACE
        # `fold` as a code point table (it maps one character to one character)
        self.fold_codes = np.arange(size, dtype=np.int64)
        for code, folded in FOLD.items():
            self.fold_codes[code] = ord(folded)
        self.char_table = np.full(size, UNK, dtype=np.intp)
        for ch, i in self.vocab.chars.items():
            if len(ch) == 1 and ord(ch) < size - 1:
                self.char_table[ord(ch)] = i
        keys, ids = [], []
        for pair, i in self.vocab.bigrams.items():
            if len(pair) == 2 and ord(pair[0]) < size - 1 and ord(pair[1]) < size - 1:
                keys.append(ord(pair[0]) * size + ord(pair[1]))
                ids.append(i)
        order = np.argsort(np.asarray(keys, dtype=np.int64))
        self.bigram_keys = np.asarray(keys, dtype=np.int64)[order]
        self.bigram_ids = np.asarray(ids, dtype=np.intp)[order]
        tags = sorted({key[2:] for key in self.vocab.segs if key[1:2] == ":"})
        self.seg_tag_index = _Index({tag: i for i, tag in enumerate(tags)})
        # rows: B, M, E, S; last column: a tag the vocabulary does not know
        self.seg_table = np.full((4, len(tags) + 1), UNK, dtype=np.intp)
        for r, position in enumerate(SEG_POSITIONS):
            for tag, col in self.seg_tag_index.items():
                self.seg_table[r, col] = self.vocab.segs.get(f"{position}:{tag}", UNK)
        self.seg_default = self.vocab.segs.get("S:w", UNK)

    def _bigram_ids(self, keys: np.ndarray) -> np.ndarray:
        where = np.minimum(np.searchsorted(self.bigram_keys, keys), len(self.bigram_keys) - 1)
        return np.where(self.bigram_keys[where] == keys, self.bigram_ids[where], UNK)

    def encode_document(
        self, text: str, tokens: Sequence[tuple[int, int, str]], pieces: Sequence[tuple[int, int]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Feature ids for the `pieces` of one document, laid end to end (the layout
        `emissions` takes).

        Equal, piece by piece, to `Vocab.encode(piece, tokens inside it)`: a bigram never
        reaches across a piece end (EOS there), as in training.
        """
        size = _CODE_SPACE
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
            np.int64
        )
        np.minimum(codes, size - 1, out=codes)
        codes = self.fold_codes[codes]
        chars = self.char_table[codes]
        nxt = np.empty_like(codes)
        nxt[:-1] = codes[1:]
        if len(codes):
            nxt[-1] = ord(EOS)
        ends = np.asarray([e for _, e in pieces], dtype=np.intp)
        nxt[ends[ends > 0] - 1] = ord(EOS)
        bigrams = self._bigram_ids(codes * size + nxt)
        segs = np.full(len(text), self.seg_default, dtype=np.intp)
        if tokens:
            n = len(tokens)
            starts = np.fromiter(map(itemgetter(0), tokens), dtype=np.intp, count=n)
            stops = np.fromiter(map(itemgetter(1), tokens), dtype=np.intp, count=n)
            cols = np.fromiter(
                map(self.seg_tag_index.__getitem__, map(itemgetter(2), tokens)),
                dtype=np.intp,
                count=n,
            )
            lengths = stops - starts
            first = np.repeat(starts, lengths)
            offset = np.arange(len(first)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            span = np.repeat(lengths, lengths)
            row = np.where(
                span == 1, 3, np.where(offset == 0, 0, np.where(offset == span - 1, 2, 1))
            )
            segs[first + offset] = self.seg_table[row, np.repeat(cols, lengths)]
            # a word cut by a piece boundary belongs to neither piece, as in training
            cuts = np.unique(np.asarray(pieces, dtype=np.intp))
            word = np.searchsorted(starts, cuts, side="right") - 1
            inside = word >= 0
            cuts, word = cuts[inside], word[inside]
            for i in word[(starts[word] < cuts) & (cuts < stops[word])].tolist():
                segs[starts[i] : stops[i]] = self.seg_default
        if _covers(pieces, len(text)):  # the usual case: the pieces are the whole text
            return chars, bigrams, segs
        where = np.concatenate([np.arange(a, z, dtype=np.intp) for a, z in pieces])
        return chars[where], bigrams[where], segs[where]

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> NerModel:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        return cls(_read_meta(arrays.pop("meta")), arrays)

    def _constrain(self) -> None:
        """Forbid BIO-invalid moves (O -> I-x, B-x -> I-y) outright at decoding time."""
        tags = self.vocab.tags
        # per tag id: its entity kind (0 for O) and whether it is a B- tag
        self.kind_names = ["", *sorted({t[2:] for t in tags if t != "O"})]
        self._tag_kind = np.asarray(
            [0 if t == "O" else self.kind_names.index(t[2:]) for t in tags], dtype=np.intp
        )
        self._tag_opens = np.asarray([t.startswith("B-") for t in tags], dtype=bool)
        free = np.asarray([i for i, t in enumerate(tags) if not t.startswith("I-")])
        inner = np.asarray([i for i, t in enumerate(tags) if t.startswith("I-")])
        opener = np.asarray([tags.index("B-" + tags[i][2:]) for i in inner])
        self._free, self._inner, self._opener = free, inner, opener
        # backtracking: per tag, its slot among the O/B- or the I- tags, and its B- tag
        self._free_slot = np.zeros(len(tags), dtype=np.intp)
        self._free_slot[free] = np.arange(len(free))
        self._inner_slot = np.zeros(len(tags), dtype=np.intp)
        self._inner_slot[inner] = np.arange(len(inner))
        self._is_inner = np.zeros(len(tags), dtype=bool)
        self._is_inner[inner] = True
        self._opener_of = np.zeros(len(tags), dtype=np.intp)
        self._opener_of[inner] = opener
        for j, tag in enumerate(tags):
            if not tag.startswith("I-"):
                continue
            self.start[j] = -1e4
            for i, prev in enumerate(tags):
                if prev[2:] != tag[2:]:
                    self.trans[i, j] = -1e4
        # the slices of the constrained transitions Viterbi reads at every step
        self._into_free = np.ascontiguousarray(self.trans[:, free].T)  # (target, predecessor)
        self._from_opener = self.trans[opener, inner]
        self._from_inner = self.trans[inner, inner]

    # -- forward ---------------------------------------------------------------------------
    def emissions(
        self, c: np.ndarray, bigram: np.ndarray, seg: np.ndarray, lengths: Sequence[int]
    ) -> np.ndarray:
        """Tag scores for every position of pieces laid end to end (see `encode_document`);
        `lengths` are the pieces' lengths in order."""
        ends = np.cumsum(np.asarray(lengths, dtype=np.intp))
        piece_end = np.repeat(ends, lengths)
        rows = np.arange(len(c))
        x = np.empty(0, dtype=np.float32)
        for index, (left, centre, right, b, d) in enumerate(self.layers):
            # Through the left tap row j feeds row j+d, through the right tap row j+d feeds
            # row j: only when both lie in one piece (j+d before the end of j's piece). The
            # other products are zeroed, as zero padding does in training.
            paired = len(c) - d  # rows j that have a row j+d at all
            cut = np.flatnonzero(rows[:paired] + d >= piece_end[:paired]) if paired > 0 else rows
            if index == 0:
                h = centre.shape[1]
                z = self.emb_bigram[bigram] @ self.first_bigram_w
                z += self.first_char[c]
                z += self.first_seg[seg]
                y = z[:, h : 2 * h] + b
                if paired > 0:
                    z[cut, :h] = 0.0
                    z[cut + d, 2 * h :] = 0.0
                    y[d:] += z[:paired, :h]
                    y[:paired] += z[d:, 2 * h :]
            else:
                y = x @ centre
                y += b
                if paired > 0:
                    tap = x[:paired] @ left
                    tap[cut] = 0.0
                    y[d:] += tap
                    tap = x[d:] @ right
                    tap[cut] = 0.0
                    y[:paired] += tap
            np.maximum(y, 0.0, out=y)
            if index > 0:
                y += x
            x = y
        return x @ self.out_w + self.out_b

    def scores(
        self, c: np.ndarray, bigram: np.ndarray, seg: np.ndarray, lengths: Sequence[int]
    ) -> np.ndarray:
        """`emissions` over blocks of whole pieces of about `_BLOCK_ROWS` positions: the
        activations of a block stay in the CPU cache (40% faster than one pass over a
        30k-position round, whose arrays are tens of MB)."""
        out = np.empty((len(c), len(self.vocab.tags)), dtype=np.float32)
        first = start = rows = 0
        for k, length in enumerate(lengths):
            rows += length
            if rows >= _BLOCK_ROWS or k == len(lengths) - 1:
                end = start + rows
                out[start:end] = self.emissions(
                    c[start:end], bigram[start:end], seg[start:end], lengths[first : k + 1]
                )
                first, start, rows = k + 1, end, 0
        return out

    def decode(self, scores: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """The best tag id at every row of `scores` (pieces of `lengths` end to end), each
        piece decoded on its own (Viterbi, batched over pieces)."""
        out = np.empty(len(scores), dtype=np.intp)
        if len(lengths) == 0:
            return out
        lens = np.asarray(lengths, dtype=np.intp)
        starts = np.cumsum(lens) - lens
        # Pieces sorted longest first (the live ones at any step are then a prefix), in
        # blocks of `_DECODE_PIECES` pieces: a block's arrays stay in the CPU cache.
        order = np.argsort(-lens, kind="stable")
        lens_sorted = lens[order]
        before = np.cumsum(lens_sorted) - lens_sorted
        step_of = np.arange(int(lens.sum())) - np.repeat(before, lens_sorted)
        source = np.repeat(starts[order], lens_sorted) + step_of  # row in `scores`
        for first in range(0, len(lens), _DECODE_PIECES):
            last = min(first + _DECODE_PIECES, len(lens))
            a = int(before[first])
            b = a + int(lens_sorted[first:last].sum())
            out[source[a:b]] = self._viterbi(
                scores[source[a:b]], lens_sorted[first:last], step_of[a:b]
            )
        return out

    def _viterbi(self, scores: np.ndarray, lens: np.ndarray, step_of: np.ndarray) -> np.ndarray:
        """Best tags for pieces of `lens` (longest first) whose score rows are given one
        piece after another; `step_of` is each row's position in its piece."""
        n = len(lens)
        n_tags = scores.shape[1]
        longest = int(lens[0])
        piece_of = np.repeat(np.arange(n), lens)
        # steps are the outer axis, so each step reads one contiguous block
        batch = np.zeros((longest, n, n_tags), dtype=np.float32)
        batch[step_of, piece_of] = scores
        # BIO makes the transitions sparse: I-x follows only B-x or I-x, so only O and B-*
        # targets need the full max over predecessors (about half the work of dense).
        free, inner, opener = self._free, self._inner, self._opener
        into_free, from_opener, from_inner = self._into_free, self._from_opener, self._from_inner
        best = self.start + batch[0]
        back_free = np.zeros((longest, n, len(free)), dtype=np.int8)  # predecessor tag
        back_opener = np.zeros((longest, n, len(inner)), dtype=bool)  # I-x came from B-x
        cand_buffer = np.empty((n, len(free), n_tags), dtype=np.float32)
        live = n
        for t in range(1, longest):
            while lens[live - 1] <= t:
                live -= 1
            prev = best[:live]
            cand = cand_buffer[:live]
            np.add(prev[:, None, :], into_free, out=cand)
            # argmax over the contiguous last axis, then gather: faster than max + argmax
            arg = cand.argmax(axis=2)
            back_free[t, :live] = arg
            step = batch[t, :live]
            nxt = np.empty_like(prev)
            nxt[:, free] = np.take_along_axis(cand, arg[:, :, None], axis=2)[:, :, 0]
            nxt[:, free] += step[:, free]
            via_opener = prev[:, opener] + from_opener
            via_inner = prev[:, inner] + from_inner
            chose_opener = via_opener >= via_inner
            back_opener[t, :live] = chose_opener
            nxt[:, inner] = np.where(chose_opener, via_opener, via_inner) + step[:, inner]
            best[:live] = nxt
        best = best + self.end
        # Backtrack all pieces together; a finished piece's row keeps its last tag until its
        # own end is reached.
        free_slot, inner_slot = self._free_slot, self._inner_slot
        is_inner, opener_of = self._is_inner, self._opener_of
        tags = np.empty((n, longest), dtype=np.intp)
        current = best.argmax(axis=1)
        rows = np.arange(n)
        last = lens - 1
        for t in range(longest - 1, -1, -1):
            tags[:, t] = current
            if t == 0:
                break
            from_free = back_free[t, rows, free_slot[current]]
            from_opener_here = back_opener[t, rows, inner_slot[current]]
            step = np.where(
                is_inner[current],
                np.where(from_opener_here, opener_of[current], current),
                from_free,
            )
            current = np.where(t <= last, step, current)
        return tags[piece_of, step_of]

    def predict(
        self, sentences: Sequence[tuple[str, Sequence[tuple[int, int, str]]]]
    ) -> list[list[tuple[int, int, str, float]]]:
        """Spans (start, end exclusive, CLUENER type, confidence) per (text, tokens) sentence."""
        return self.predict_documents([(text, toks, [(0, len(text))]) for text, toks in sentences])

    def predict_documents(
        self,
        documents: Sequence[tuple[str, Sequence[tuple[int, int, str]], Sequence[tuple[int, int]]]],
    ) -> list[list[tuple[int, int, str, float]]]:
        """Spans (start, end exclusive, CLUENER type, confidence) per (text, tokens, pieces)
        document, offsets into its text; each piece (a sentence) is tagged on its own, and
        all pieces of all documents go through the network together.

        Confidence is the lowest per-character probability of the chosen tag under the
        emission scores alone: cheap, and low wherever the model hesitated about a boundary.
        """
        # One BLAS thread: the products are cache-sized blocks that gain nothing from more,
        # and spare BLAS threads spin on the cores other ingest workers use.
        with self._blas.limit(limits=1, user_api="blas"):
            return self._predict_documents(documents)

    def _predict_documents(
        self,
        documents: Sequence[tuple[str, Sequence[tuple[int, int, str]], Sequence[tuple[int, int]]]],
    ) -> list[list[tuple[int, int, str, float]]]:
        out: list[list[tuple[int, int, str, float]]] = [[] for _ in documents]
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        where: list[tuple[int, int, int]] = []  # (document, piece start, piece length)
        for i, (text, tokens, pieces) in enumerate(documents):
            live = [(a, b) for a, b in pieces if b > a]
            if not live:
                continue
            parts.append(self.encode_document(text, tokens, live))
            where.extend((i, a, b - a) for a, b in live)
        if not parts:
            return out
        c = np.concatenate([p[0] for p in parts])
        b = np.concatenate([p[1] for p in parts])
        s = np.concatenate([p[2] for p in parts])
        lengths = [length for _, _, length in where]
        scores = self.scores(c, b, s, lengths)
        tag_ids = self.decode(scores, lengths)
        spans = self.spans(tag_ids, lengths)
        if len(spans) == 0:
            return out
        starts, ends, kinds = spans[:, 0], spans[:, 1], spans[:, 2]
        # confidence: the span's lowest per-character probability of its tag under the
        # emissions alone, computed for all spans at once
        sizes = ends - starts
        firsts = np.cumsum(sizes) - sizes
        rows = np.repeat(starts - firsts, sizes) + np.arange(int(sizes.sum()))
        picked = scores[rows]
        picked = np.exp(picked - picked.max(axis=1, keepdims=True))
        chosen = tag_ids[rows]
        prob = picked[np.arange(len(rows)), chosen] / picked.sum(axis=1)
        lowest = np.minimum.reduceat(prob, firsts).tolist()
        piece_starts = np.cumsum(lengths) - np.asarray(lengths)
        pieces = (np.searchsorted(piece_starts, starts, side="right") - 1).tolist()
        laid_at = piece_starts.tolist()
        names = self.kind_names
        for p, start, end, kind, conf in zip(
            pieces, starts.tolist(), ends.tolist(), kinds.tolist(), lowest, strict=True
        ):
            doc, offset, _ = where[p]
            shift = offset - laid_at[p]  # from the laid-out rows to the document's text
            out[doc].append((start + shift, end + shift, names[kind], conf))
        return out

    def spans(self, tag_ids: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """(start, end exclusive, kind) rows of the spans in decoded tag ids of pieces laid
        end to end; the same spans as `spans_from_tags` piece by piece (a stray I- opens a
        span). A span runs from a boundary to the next one: a piece start, a B- tag, or a
        change of entity kind."""
        kind = self._tag_kind[tag_ids]
        boundary = np.empty(len(kind), dtype=bool)
        if len(kind):
            boundary[0] = True
            np.not_equal(kind[1:], kind[:-1], out=boundary[1:])
        boundary |= self._tag_opens[tag_ids]
        boundary[(np.cumsum(lengths) - np.asarray(lengths))] = True
        at = np.flatnonzero(boundary)
        opened = at[kind[at] > 0]
        closes = np.append(at, len(kind))[np.searchsorted(at, opened, side="right")]
        return np.stack([opened, closes, kind[opened]], axis=1)


class _Index(dict[str, int]):
    """Segment tag -> column; a tag the vocabulary does not know gets the last column."""

    def __missing__(self, key: str) -> int:
        return len(self)


def _covers(pieces: Sequence[tuple[int, int]], length: int) -> bool:
    """True when the pieces are [0, length) cut into consecutive parts."""
    at = 0
    for start, end in pieces:
        if start != at:
            return False
        at = end
    return at == length


def _read_meta(raw: np.ndarray) -> dict:
    import json

    return json.loads(bytes(raw).decode("utf-8"))


def write_model(path: Path, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    """Store weights as float16 (half the size, no measurable loss) plus the JSON meta."""
    import json

    packed = {k: (v.astype(np.float16) if v.dtype.kind == "f" else v) for k, v in arrays.items()}
    for k in ("crf_trans", "crf_start", "crf_end"):
        packed[k] = arrays[k].astype(np.float32)
    blob = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, meta=blob, **packed)  # type: ignore[arg-type]  # numpy's stub


_lock = threading.Lock()
_model: NerModel | None = None


def available() -> bool:
    return MODEL_PATH.is_file()


def load() -> NerModel:
    """The shipped model, loaded once per process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = NerModel.from_file()
    return _model
