"""A small statistical Chinese NER model (trained on CLUENER2020) as a spaCy component.

The model is a separate spaCy pipeline shipped under `ingest/models/zh_stat_ner/` with its own
character-level tokenizer: CLUENER entity boundaries often fall inside jieba words (measured by
`scripts/train_ner.py --measure-tokenizers`), so the model sees one token per Han character and
one per run of ASCII letters/digits. The component runs that model on the main doc's text and
projects its spans onto the main doc's (jieba) tokens with `alignment_mode="expand"`.

Public API: `available()`, `predict_spans(text)`, `predict_many(texts)` and the factory
`innograph_stat_ner`, which writes `doc.spans["stat_ner"]` with project labels and sets
`span._.confidence`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from innograph.model import Label

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "zh_stat_ner"
SPAN_KEY = "stat_ner"
TOKENIZER_NAME = "innograph.char_tokenizer.v1"

# Model labels are the CLUENER type names; these are the in-scope ones it is trained on.
CLUENER_TYPES: tuple[str, ...] = ("name", "company", "organization", "government", "address")

# `organization` in CLUENER mixes research bodies, schools, clubs and associations; the
# project keeps research/education bodies apart as Institute, recognisable by their suffix.
_INSTITUTE_SUFFIX = re.compile(
    r"(研究院|研究所|研究中心|科学院|工程院|大学|学院|学校|中学|小学|实验室|研究会|医院)$"
)
_PARK_SUFFIX = re.compile(r"(园区|产业园|科技园|软件园|工业园|孵化园|高新区|开发区|新区|科学城)$")

# Default confidence per label when the shipped meta carries no measured precision.
_FALLBACK_CONFIDENCE = 0.7

# Chunks fed to the model: sentence-sized pieces batch well and match the training data;
# the cap keeps one unpunctuated page from becoming a single very long doc.
_MAX_CHUNK = 300
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")

if not Span.has_extension("confidence"):
    Span.set_extension("confidence", default=None)
# The model's own character offsets: the span itself is expanded to the main doc's jieba
# tokens, which moves boundaries that fall inside a word (阿诺索 + 在 -> 阿诺索在); consumers
# that work on characters (ner_merge) need the exact ones.
if not Span.has_extension("model_chars"):
    Span.set_extension("model_chars", default=None)


# --- tokenizer ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+|\s+|\S")


class CharTokenizer:
    """One token per non-space character, except that ASCII letter/digit runs stay whole.

    Whitespace follows spaCy's convention: a single space after a token becomes its
    `whitespace_`; any other whitespace run becomes a token of its own, so `doc.text == text`.
    With `bigrams`, each token's LEMMA holds it joined with the next token: Chinese NER gains
    much from character bigrams, and a hashed LEMMA embedding is the cheapest way to feed them
    to spaCy's tok2vec.
    """

    def __init__(self, vocab: Vocab, bigrams: bool = False) -> None:
        self.vocab = vocab
        self.bigrams = bigrams

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for match in _TOKEN_RE.finditer(text):
            tok = match.group()
            if tok[0].isspace():
                if words and not spaces[-1] and tok[0] == " ":
                    spaces[-1] = True
                    tok = tok[1:]
                if not tok:
                    continue
            words.append(tok)
            spaces.append(False)
        if not self.bigrams:
            return Doc(self.vocab, words=words, spaces=spaces)
        lemmas = [a + b for a, b in zip(words, words[1:], strict=False)]
        lemmas.append(words[-1] + "$" if words else "")
        return Doc(self.vocab, words=words, spaces=spaces, lemmas=lemmas[: len(words)])

    # The tokenizer is stateless; these exist so `nlp.to_disk`/`spacy.load` round-trip it.
    def to_disk(self, path: Path, **kwargs: Any) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: Path, **kwargs: Any) -> CharTokenizer:
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> CharTokenizer:
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_char_tokenizer(bigrams: bool = False) -> Callable[[Language], CharTokenizer]:
    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab, bigrams=bigrams)

    return make


# --- model loading -----------------------------------------------------------------------


def available() -> bool:
    """True when the shipped model files are present (the component can run)."""
    return (MODEL_DIR / "config.cfg").is_file() and (MODEL_DIR / "ner" / "model").is_file()


_load_lock = threading.Lock()
_loaded: tuple[Language, dict[str, float]] | None = None


def _model() -> tuple[Language, dict[str, float]]:
    """The model and its per-label confidence, loaded once per process on first use."""
    global _loaded
    if _loaded is None:
        with _load_lock:  # ingest may call from several threads; load only once
            if _loaded is None:
                _loaded = _load()
    return _loaded


def _load() -> tuple[Language, dict[str, float]]:
    if not available():
        raise FileNotFoundError(f"statistical NER model not found in {MODEL_DIR}")
    nlp = spacy.load(MODEL_DIR)
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    confidence = {k: float(v) for k, v in meta.get("innograph_confidence", {}).items()}
    return nlp, confidence


# --- label mapping -----------------------------------------------------------------------


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


# --- prediction --------------------------------------------------------------------------


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, split after sentence ends and capped in length."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        while end - start > _MAX_CHUNK:
            yield start, text[start : start + _MAX_CHUNK]
            start += _MAX_CHUNK
        if end > start:
            yield start, text[start:end]
        start = end
    while start < len(text):
        yield start, text[start : start + _MAX_CHUNK]
        start += _MAX_CHUNK


def predict_many(
    texts: Iterable[str], batch_size: int = 256
) -> list[list[tuple[int, int, str, float]]]:
    """`predict_spans` for many texts at once; batching makes this several times faster."""
    nlp, confidence = _model()
    texts = list(texts)
    pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
    for i, text in enumerate(texts):
        for offset, piece in _chunks(text):
            if piece.strip():
                pieces.append((i, offset, piece))
    results: list[list[tuple[int, int, str, float]]] = [[] for _ in texts]
    docs = nlp.pipe((p[2] for p in pieces), batch_size=batch_size)
    for (i, offset, _), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            label = project_label(ent.label_, ent.text)
            if label is None:
                continue
            score = confidence.get(ent.label_, _FALLBACK_CONFIDENCE)
            results[i].append((offset + ent.start_char, offset + ent.end_char, label.value, score))
    return results


def predict_spans(text: str) -> list[tuple[int, int, str, float]]:
    """Entity spans in `text` as (start, end, project label, confidence), end exclusive.

    Confidence is the model's measured precision for the span's CLUENER type (stored in the
    model's meta.json by the training script), since the greedy transition-based NER has no
    per-span probability.
    """
    return predict_many([text])[0]


# --- spaCy component ---------------------------------------------------------------------


class StatNer:
    """Writes `doc.spans["stat_ner"]` with the statistical model's entities on `doc`'s tokens."""

    def __init__(self, name: str, span_key: str = SPAN_KEY, batch_size: int = 256) -> None:
        self.name = name
        self.span_key = span_key
        self.batch_size = batch_size

    def _annotate(self, doc: Doc, spans: list[tuple[int, int, str, float]]) -> Doc:
        group: list[Span] = []
        for start, end, label, score in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None:  # only whitespace under the span
                continue
            span._.confidence = score
            span._.model_chars = (start, end)
            group.append(span)
        doc.spans[self.span_key] = group
        return doc

    def __call__(self, doc: Doc) -> Doc:
        if not available():
            doc.spans[self.span_key] = []
            return doc
        return self._annotate(doc, predict_spans(doc.text))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
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
        all_spans = predict_many([d.text for d in docs], batch_size=self.batch_size)
        for doc, spans in zip(docs, all_spans, strict=True):
            yield self._annotate(doc, spans)


@Language.factory(
    "innograph_stat_ner",
    default_config={"span_key": SPAN_KEY, "batch_size": 256},
)
def make_stat_ner(nlp: Language, name: str, span_key: str, batch_size: int) -> StatNer:
    return StatNer(name, span_key=span_key, batch_size=batch_size)
