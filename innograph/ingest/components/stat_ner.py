"""`innograph_stat_ner`: the statistical Chinese NER model (`innograph.ingest.ner_model`,
trained on CLUENER2020 by `scripts/train_ner.py`) as a spaCy component.

The component runs the model over the document's sentences, giving it the jieba words and
dictionary tags the pipeline already has, and writes `doc.spans["stat_ner"]` with project
labels; `innograph_ner_merge` then folds those spans into the rule mentions. Spans are aligned
to the doc's jieba tokens with `alignment_mode="expand"`, and the model's exact character
offsets are kept in `span._.model_chars` (entity boundaries often fall inside a jieba word).

Public API: `available()`, `jieba_tokens(text)`, `predict_spans(text)`, `predict_many(texts)`
and the factory `innograph_stat_ner`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from innograph.ingest import ner_model
from innograph.ingest.components.state import EXTENSION
from innograph.model import Label

SPAN_KEY = "stat_ner"
MODEL_PATH = ner_model.MODEL_PATH

# `organization` in CLUENER mixes research bodies, schools, clubs and associations; the
# project keeps research/education bodies apart as Institute, recognisable by their suffix.
_INSTITUTE_SUFFIX = re.compile(
    r"(研究院|研究所|研究中心|科学院|工程院|大学|学院|学校|中学|小学|实验室|研究会|医院)$"
)
_PARK_SUFFIX = re.compile(r"(园区|产业园|科技园|软件园|工业园|孵化园|高新区|开发区|新区|科学城)$")

# Pieces fed to the model: sentence-sized, like the training data; sentences longer than
# _LONG_PIECE are cut after a clause comma, and nothing is longer than _MAX_CHUNK.
_MAX_CHUNK = 160
# Characters per model call, and per window of one document: memory stays bounded (a
# window's arrays are about 1.5 KB per character) whatever the document's size.
_ROUND_CHARS = 30_000
_WINDOW_CHARS = 10_000
_LONG_PIECE = 100
_CLAUSE_END = "，,：:"
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")

Tokens = Sequence[tuple[int, int, str]]

# Per span, the model's confidence and its own character offsets (the span itself is expanded
# to whole jieba tokens). Both are read from one per-document table the component fills:
# setting two extension values on every span cost more than building the spans.
_MODEL_DATA = "innograph_stat_ner_spans"


def _model_data(span: Span) -> tuple[float, tuple[int, int]] | None:
    return span.doc.user_data.get(_MODEL_DATA, {}).get((span.start_char, span.end_char))


if not Span.has_extension("confidence"):
    Span.set_extension("confidence", getter=lambda span: (_model_data(span) or (None,))[0])
if not Span.has_extension("model_chars"):
    Span.set_extension("model_chars", getter=lambda span: (_model_data(span) or (None, None))[1])


def available() -> bool:
    """True when the shipped model file is present (the component can run)."""
    return ner_model.available()


@cache
def _tag_table() -> dict[str, str]:
    from jieba.posseg import dt

    return dt.word_tag_tab


@cache
def _segmenter() -> Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def tokens_of(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, dictionary tag) of each jieba token of a Chinese doc, as the pipeline's
    document component tags them ("?" for words only jieba's HMM found, "w" for whitespace)."""
    tags = _tag_table()
    out: list[tuple[int, int, str]] = []
    pos = 0
    for t in doc:
        word = t.text
        out.append((pos, pos + len(word), "w" if word.isspace() else tags.get(word, "?")))
        pos += len(t.text_with_ws)
    return out


def jieba_tokens(text: str) -> list[tuple[int, int, str]]:
    """`tokens_of` for plain text (segments it with the same jieba tokenizer)."""
    return tokens_of(_segmenter().make_doc(text))


def project_label(cluener_type: str, text: str) -> Label | None:
    """The project label for a model span, or None for a type the project does not keep."""
    if cluener_type == "name":
        return Label.PERSON
    if cluener_type == "company":
        return Label.FIRM
    if cluener_type == "government":
        return Label.ORGANIZATION
    if cluener_type == "organization":
        return Label.INSTITUTE if _INSTITUTE_SUFFIX.search(text) else Label.ORGANIZATION
    if cluener_type == "address":
        return Label.PARK if _PARK_SUFFIX.search(text) else Label.PLACE
    return None


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) pieces covering `text`: sentences, and long sentences cut after a clause
    comma. The model was trained on sentences of up to about 50 characters, and decoding
    takes as many steps as the longest piece of a batch."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield from _clauses(text, start, match.end())
        start = match.end()
    if start < len(text):
        yield from _clauses(text, start, len(text))


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > _LONG_PIECE:
        window = text[start + _LONG_PIECE // 2 : start + _MAX_CHUNK]
        cut = max(window.rfind(ch) for ch in _CLAUSE_END)
        stop = start + _LONG_PIECE // 2 + cut + 1 if cut >= 0 else start + _MAX_CHUNK
        stop = min(stop, end)
        yield start, stop
        start = stop
    if end > start:
        yield start, end


_OPENERS, _CLOSERS = "(（[【<《“", ")）]】>》”"


_NEEDS_CLEANING = re.compile(r"[\s(（\[【<《“)）\]】>》”]")


def _clean(piece: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without edge whitespace or an unpaired bracket; None when it runs across
    whitespace inside (the model is trained on Chinese: on English text it tends to glue
    words and names together, and English names are the rules' job)."""
    if not _NEEDS_CLEANING.search(piece, start, end):
        return start, end  # nearly every span: nothing to trim
    while start < end and (piece[start].isspace() or piece[start] in _CLOSERS):
        start += 1
    while start < end and (piece[end - 1].isspace() or piece[end - 1] in _OPENERS):
        end -= 1
    text = piece[start:end]
    if not text or any(ch.isspace() for ch in text):
        return None
    for opener, closer in zip(_OPENERS, _CLOSERS, strict=True):
        if text.endswith(closer) and opener not in text:
            end -= 1
        elif text.startswith(opener) and closer not in text:
            start += 1
    return (start, end) if end > start else None


def predict_many(
    texts: Iterable[str], tokens: Sequence[Tokens] | None = None
) -> list[list[tuple[int, int, str, float]]]:
    """Entity spans per text as (start, end exclusive, project label, confidence).

    `tokens` (per text, as `tokens_of` gives them) saves segmenting again when the caller
    already has them. The sentences of all texts go through the model together, in rounds
    of at most `_ROUND_CHARS` characters so that memory stays bounded on huge documents.
    """
    model = ner_model.load()
    texts = list(texts)
    results: list[list[tuple[int, int, str, float]]] = [[] for _ in texts]
    windows: list[tuple[int, int, tuple[str, list[tuple[int, int, str]], list]]] = []
    for i, text in enumerate(texts):
        toks = list(tokens[i]) if tokens is not None else jieba_tokens(text)
        for offset, window in _windows(text, toks):
            windows.append((i, offset, window))
    size = 0
    start = 0
    for k, (_, _, (text, _, _)) in enumerate(windows):
        size += len(text)
        if size >= _ROUND_CHARS or k == len(windows) - 1:
            _predict_round(model, windows[start : k + 1], results)
            start, size = k + 1, 0
    return results


def _windows(
    text: str, tokens: list[tuple[int, int, str]]
) -> Iterator[tuple[int, tuple[str, list[tuple[int, int, str]], list[tuple[int, int]]]]]:
    """(offset, (text, tokens, pieces)) windows of whole pieces, each at most about
    `_WINDOW_CHARS` long, with tokens and pieces shifted into the window."""
    pieces = list(_chunks(text))
    if pieces and len(text) <= _WINDOW_CHARS:  # nearly every document: one window, no shifts
        yield 0, (text, tokens, pieces)
        return
    starts = [t[0] for t in tokens]
    first = 0
    while first < len(pieces):
        last = first
        while last + 1 < len(pieces) and pieces[last + 1][1] - pieces[first][0] <= _WINDOW_CHARS:
            last += 1
        lo, hi = pieces[first][0], pieces[last][1]
        a, b = bisect_left(starts, lo), bisect_left(starts, hi)
        local = [(s - lo, e - lo, tag) for s, e, tag in tokens[a:b] if e <= hi]
        yield lo, (text[lo:hi], local, [(x - lo, y - lo) for x, y in pieces[first : last + 1]])
        first = last + 1


def _predict_round(
    model: ner_model.NerModel,
    windows: list[tuple[int, int, tuple[str, list[tuple[int, int, str]], list]]],
    results: list[list[tuple[int, int, str, float]]],
) -> None:
    found_all = model.predict_documents([w for _, _, w in windows])
    for (i, offset, (text, _, _)), found in zip(windows, found_all, strict=True):
        for start, end, kind, score in found:
            cleaned = _clean(text, start, end)
            if cleaned is None:
                continue
            label = project_label(kind, text[cleaned[0] : cleaned[1]])
            if label is not None:
                a, b = cleaned
                results[i].append((offset + a, offset + b, label.value, round(score, 4)))


def predict_spans(text: str) -> list[tuple[int, int, str, float]]:
    """`predict_many` for one text."""
    return predict_many([text])[0]


class StatNer:
    """Writes `doc.spans["stat_ner"]` with the model's entities on `doc`'s tokens."""

    def __init__(self, name: str, span_key: str = SPAN_KEY) -> None:
        self.name = name
        self.span_key = span_key

    def _tokens(self, doc: Doc) -> list[tuple[int, int, str]]:
        state = doc._.get(EXTENSION) if doc.has_extension(EXTENSION) else None
        if state is not None and state.tokens:
            return [(t.start, t.end, t.pos) for t in state.tokens]
        return tokens_of(doc)

    @staticmethod
    def _text(doc: Doc) -> str:
        # `doc.text` joins every token again on each access; the pipeline state has it
        state = doc._.get(EXTENSION) if doc.has_extension(EXTENSION) else None
        return state.text if state is not None else doc.text

    def _annotate(self, doc: Doc, spans: list[tuple[int, int, str, float]]) -> Doc:
        state = doc._.get(EXTENSION) if doc.has_extension(EXTENSION) else None
        if state is not None:  # exact offsets for ner_merge, without going through Spans
            state.scratch[SPAN_KEY] = spans
        group: list[Span] = []
        data: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {}
        for start, end, label, score in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None:  # only whitespace under the span
                continue
            data[span.start_char, span.end_char] = (score, (start, end))
            group.append(span)
        doc.user_data[_MODEL_DATA] = data
        doc.spans[self.span_key] = group
        return doc

    def __call__(self, doc: Doc) -> Doc:
        text = self._text(doc)
        if not available() or not text.strip():
            doc.spans[self.span_key] = []
            return doc
        return self._annotate(doc, predict_many([text], [self._tokens(doc)])[0])

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, docs: list[Doc]) -> Iterator[Doc]:
        if not available():
            for doc in docs:
                doc.spans[self.span_key] = []
                yield doc
            return
        spans = predict_many([self._text(d) for d in docs], [self._tokens(d) for d in docs])
        for doc, found in zip(docs, spans, strict=True):
            yield self._annotate(doc, found)


@Language.factory("innograph_stat_ner", default_config={"span_key": SPAN_KEY})
def make_stat_ner(nlp: Language, name: str, span_key: str) -> StatNer:
    return StatNer(name, span_key=span_key)
