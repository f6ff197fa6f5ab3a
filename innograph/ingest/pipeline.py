"""The extraction pipeline, top to bottom. One `Extractor` per process (`get_extractor()`).

Both languages run the same components over a spaCy `Doc` (Chinese segmented by jieba):

    innograph_document        sentences (normalize.split_sentences) + jieba tokens and tags
    innograph_places          place gazetteer                          -> Place
    innograph_technologies    technology lexicon + narrow `…技术` rule   -> Technology
    innograph_organizations   suffix/head rules, known organisations,
                              declared abbreviations, anaphors          -> Institute, Firm,
                                                                           Park, Event, Organization
    innograph_people          titles, speech verbs, transliterations    -> Person, Academician
    innograph_stat_ner        (only when its CLUENER model is installed and the settings do
                              not switch it off, INNOGRAPH_STAT_NER=0) statistical spans
    innograph_ner_merge       folds those spans into the rule mentions (policy in ner_merge.py)
    innograph_references      overlaps, short forms, abbreviations, anaphors -> entities
    innograph_relations       clause structure + trigger lexicons       -> relations

Components share one working state (`doc._.innograph`, see components/state.py); each can be
run and tested on a Doc alone. `Extractor.extract` turns the final state into the model's
`Extraction` (ids, aliases, mentions, evidence).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from functools import cache, lru_cache

import jieba
import spacy
from spacy.language import Language

from innograph.gcbatch import fewer_collections

# Importing the component modules registers their factories with spaCy.
from innograph.ingest.components import (  # noqa: F401
    document,
    ner_merge,
    organizations,
    people,
    places,
    references,
    relations,
    technologies,
)
from innograph.ingest.components.state import EXTENSION, DocState
from innograph.model import (
    SYMMETRIC_TYPES,
    Document,
    Entity,
    Evidence,
    Extraction,
    Label,
    Relation,
    RelType,
    make_entity_id,
)
from innograph.names import name_key

log = logging.getLogger(__name__)
# jieba announces its dictionary loading on stderr at DEBUG level; that is noise in CLI output.
jieba.setLogLevel(logging.WARNING)

RULE_COMPONENTS: tuple[str, ...] = (
    "innograph_document",
    "innograph_places",
    "innograph_technologies",
    "innograph_organizations",
    "innograph_people",
)
RESOLUTION_COMPONENTS: tuple[str, ...] = ("innograph_references", "innograph_relations")
ZH_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}


def _stat_ner_available() -> bool:
    try:
        from innograph.ingest.components import stat_ner
    except Exception as exc:  # a broken optional model must not stop rule extraction
        log.warning("statistical NER unavailable: %s", exc)
        return False
    try:
        return bool(stat_ner.available())
    except Exception as exc:
        log.warning("statistical NER unavailable: %s", exc)
        return False


def build_nlp(lang: str, use_stat_ner: bool | None = None) -> Language:
    """The spaCy pipeline for `lang` ("zh" or "en"), components in the order above."""
    nlp = spacy.blank("zh", config=ZH_CONFIG) if lang == "zh" else spacy.blank("en")
    if lang == "zh":
        # spaCy's jieba tokenizer's tokens, segmented faster (see components/document.py)
        nlp.tokenizer = document.JiebaTokenizer(nlp.vocab)
    for name in RULE_COMPONENTS:
        nlp.add_pipe(name)
    if use_stat_ner is None:  # the default: the model when it is installed
        use_stat_ner = lang == "zh" and _stat_ner_available()
    if use_stat_ner:
        from innograph.ingest.components import stat_ner  # noqa: F401  (registers the factory)

        nlp.add_pipe("innograph_stat_ner")
        nlp.add_pipe("innograph_ner_merge")
    for name in RESOLUTION_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


# Texts that touch every component once, so lazily loaded tables load at start-up.
_WARM_UP = {
    "zh": "上海交通大学与华为技术有限公司签署合作协议，共建人工智能联合实验室。院长张伟院士表示。",
    "en": "Professor Jane Smith of the University of Oxford said Acme Robotics Ltd. invests in AI.",
}


class Extractor:
    """Entities and relations of one document. Build once per process: loading jieba's
    dictionary and the lexicons is the expensive part; `extract` itself is pure."""

    def __init__(self, use_stat_ner: bool | None = None) -> None:
        self.nlp = {"zh": build_nlp("zh", use_stat_ner), "en": build_nlp("en", False)}
        self._lock = threading.Lock()  # jieba's lazy init is not thread-safe
        with self._lock:
            # load jieba's dictionary and the model now, not on the first document
            for lang, text in _WARM_UP.items():
                self.analyse(text, lang)
        # Everything loaded so far (jieba's 350k-word dictionary, lexicons, model tables)
        # lives as long as the process: moving it out of the collector's sight makes each
        # garbage collection cheap (measured: +20% ingest throughput, bench/ingest.py).
        gc.freeze()

    @property
    def pipe_names(self) -> dict[str, list[str]]:
        return {lang: list(nlp.pipe_names) for lang, nlp in self.nlp.items()}

    def analyse(self, text: str, lang: str = "zh", traditional: str = "") -> DocState:
        """Run the pipeline on normalised text and return the working state."""
        nlp = self.nlp["en" if lang == "en" else "zh"]
        doc = nlp.make_doc(text)
        state = DocState(text=text, traditional=traditional or text, lang=str(nlp.lang))
        doc._.set(EXTENSION, state)
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
        return state

    def analyse_many(self, items: Sequence[tuple[str, str, str]]) -> list[DocState]:
        """`analyse` for many (text, lang, traditional) at once, the way `nlp.pipe` runs a
        pipeline: components that can batch (the statistical NER) see all documents of a
        language together, which amortises their per-call cost; the others run per doc."""
        states: list[DocState | None] = [None] * len(items)
        by_lang: dict[str, list[int]] = {}
        for i, (_, lang, _) in enumerate(items):
            by_lang.setdefault("en" if lang == "en" else "zh", []).append(i)
        for lang, indexes in by_lang.items():
            nlp = self.nlp[lang]
            docs = []
            for i in indexes:
                text, _, traditional = items[i]
                doc = nlp.make_doc(text)
                state = DocState(text=text, traditional=traditional or text, lang=str(nlp.lang))
                doc._.set(EXTENSION, state)
                docs.append(doc)
                states[i] = state
            for _name, proc in nlp.pipeline:
                batched = getattr(proc, "pipe", None)
                docs = list(batched(docs)) if batched is not None else [proc(d) for d in docs]
        return [s for s in states if s is not None]

    def extract(self, doc: Document) -> Extraction:
        return self.extract_many([doc])[0]

    def extract_many(self, docs: Sequence[Document]) -> list[Extraction]:
        """Extractions of several documents, computed in one batched pipeline run.

        A document longer than `SECTION_CHARS` is analysed section by section (cut at line
        breaks or sentence ends) and the sections' findings are put back together: in-text
        references rarely reach that far, and some rule steps compare every mention with
        every other, which would make one huge file take hours.
        """
        items: list[tuple[str, str, str]] = []
        owners: list[tuple[int, int]] = []  # (document, section offset) per item
        for i, d in enumerate(docs):
            traditional = d.traditional if len(d.traditional) == len(d.text) else ""
            for start, end in sections(d.text):
                items.append((d.text[start:end], d.lang, traditional[start:end]))
                owners.append((i, start))
        parts: list[list[tuple[int, DocState]]] = [[] for _ in docs]
        # spaCy tokens and mentions are short-lived objects by the hundred thousand (see
        # gcbatch; bench/ingest.py, fresh processes: median 109k -> 123k chars/s).
        with fewer_collections():
            for (i, offset), state in zip(owners, self.analyse_many(items), strict=True):
                parts[i].append((offset, state))
            return [_assemble(d, p) for d, p in zip(docs, parts, strict=True)]


SECTION_CHARS = 20_000
_SECTION_BREAKS = ("\n", "。", "！", "？", ". ", "! ", "? ")


def sections(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) sections of at most `limit` (default `SECTION_CHARS`) characters covering
    `text`, each ending at the last line break (else sentence end) before the limit."""
    limit = limit or SECTION_CHARS
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start + limit // 2 : start + limit]
        cut = -1
        for mark in _SECTION_BREAKS:
            cut = window.rfind(mark)
            if cut >= 0:
                cut += len(mark)
                break
        end = start + limit // 2 + cut if cut >= 0 else start + limit
        out.append((start, end))
        start = end
    out.append((start, len(text)))
    return out


def _assemble(doc: Document, parts: list[tuple[int, DocState]]) -> Extraction:
    """One extraction from the sections of a document (offsets back into the whole text)."""
    if len(parts) == 1 and parts[0][0] == 0:
        return to_extraction(doc, parts[0][1])
    entities: dict[str, Entity] = {}
    merged: dict[str, Relation] = {}
    for offset, state in parts:
        piece = to_extraction(doc, state)
        for e in piece.entities:
            e.mentions = [(d, s + offset, t + offset) for d, s, t in e.mentions]
            known = entities.get(e.id)
            if known is None:
                entities[e.id] = e
                continue
            known.aliases.extend(a for a in e.aliases if a not in known.aliases)
            known.mentions.extend(e.mentions)
            for k, v in e.properties.items():
                known.properties.setdefault(k, v)
        for r in piece.relations:
            r.evidence = [
                replace(ev, start=ev.start + offset, end=ev.end + offset) for ev in r.evidence
            ]
            known_rel = merged.get(r.key)
            if known_rel is None:
                merged[r.key] = r
                continue
            seen = {ev.key for ev in known_rel.evidence}
            known_rel.evidence.extend(ev for ev in r.evidence if ev.key not in seen)
            for k, v in r.properties.items():
                known_rel.properties.setdefault(k, v)
    return Extraction(
        document=doc, entities=list(entities.values()), relations=list(merged.values())
    )


@lru_cache(maxsize=1 << 15)
def _entity_id(label: Label, name: str) -> str:
    """`make_entity_id` of a draft's name, remembered: each id is a hash, and the same names
    recur across documents."""
    return make_entity_id(label, name_key(name))


def to_extraction(doc: Document, state: DocState) -> Extraction:
    """Entities with stable ids and relations with evidence, from the final working state."""
    entities: list[Entity] = []
    ids: list[str] = []
    by_id: dict[str, Entity] = {}
    doc_id = doc.id
    found = state.mentions
    anaphors: dict[int, list[tuple[str, int, int]]] = {}
    for m in found:
        if m.entity >= 0 and m.kind == "anaphor":
            anaphors.setdefault(m.entity, []).append((doc_id, m.start, m.end))
    for index, draft in enumerate(state.entities):
        eid = _entity_id(draft.label, draft.name)
        ids.append(eid)
        mentions = [(doc_id, m.start, m.end) for m in map(found.__getitem__, draft.mentions)]
        if index in anaphors:
            mentions += anaphors[index]
        if eid in by_id:  # two drafts with one key (rare): one entity
            known = by_id[eid]
            known.aliases.extend(a for a in draft.aliases if a not in known.aliases)
            known.mentions.extend(mentions)
            continue
        entity = Entity(
            id=eid,
            name=draft.name,
            label=draft.label,
            aliases=list(draft.aliases),
            properties={"confidence": round(draft.confidence, 3), **draft.props},
            # in (start, end) order: every mention is of this document
            mentions=sorted(set(mentions)),
            extractor=draft.extractor,
        )
        by_id[eid] = entity
        entities.append(entity)
    merged: dict[tuple[str, RelType, str], Relation] = {}
    # Evidence.key within one document: (start, end, extractor) identifies it
    seen: set[tuple[tuple[str, RelType, str], int, int, str]] = set()
    text = state.text
    for r in state.relations:
        src, tgt = ids[r.source], ids[r.target]
        if src == tgt:
            continue
        if r.type in SYMMETRIC_TYPES and tgt < src:
            src, tgt = tgt, src
        key = (src, r.type, tgt)
        rel = merged.get(key)
        if rel is None:
            rel = merged[key] = Relation(src, tgt, r.type, [], dict(r.props))
        else:
            for k, v in r.props.items():
                rel.properties.setdefault(k, v)
        evidence = (key, r.start, r.end, r.extractor)
        if evidence not in seen:
            seen.add(evidence)
            rel.evidence.append(
                Evidence(doc_id, text[r.start : r.end], r.start, r.end, r.extractor, r.confidence)
            )
    return Extraction(document=doc, entities=entities, relations=list(merged.values()))


_LOCK = threading.Lock()


@cache
def _cached(use_stat_ner: bool | None) -> Extractor:
    return Extractor(use_stat_ner)


def get_extractor(use_stat_ner: bool | None = None) -> Extractor:
    """The process-wide extractor (built on first use). `use_stat_ner` comes from the
    settings (`Settings.stat_ner`): None uses the statistical model when it is installed."""
    with _LOCK:
        return _cached(use_stat_ner)
