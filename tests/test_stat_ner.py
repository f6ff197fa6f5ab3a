"""The statistical NER component, run from the shipped model files only (no network)."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from innograph.ingest import ner_model
from innograph.ingest.components import stat_ner

needs_model = pytest.mark.skipif(not stat_ner.available(), reason="stat NER model file missing")

# Authored sentences (not from any dataset), each with people and a firm.
SENTENCES = [
    "百度公司首席执行官李彦宏在会上发表了演讲。",
    "记者王立军昨天在北京采访了阿里巴巴集团的首席技术官张建锋。",
]


def _labelled(text: str, spans: list[tuple[int, int, str, float]]) -> set[tuple[str, str]]:
    return {(text[s:e], label) for s, e, label, _ in spans}


def test_fold_keeps_length_and_normalises_digits_and_case() -> None:
    text = "ＡＢＣ公司2023年Ｑ３营收"
    folded = ner_model.fold(text)
    assert len(folded) == len(text)
    assert folded == "abc公司0000年q0营收"


def test_seg_keys_mark_word_positions_and_tags() -> None:
    keys = ner_model.seg_keys(6, [(0, 2, "ns"), (2, 3, "v"), (3, 6, "?")])
    assert keys == ["B:ns", "E:ns", "S:v", "B:?", "M:?", "E:?"]
    assert ner_model.seg_keys(3, [(0, 1, "x")]) == ["S:x", "S:w", "S:w"]


def test_spans_from_bio_tags() -> None:
    tags = ["B-name", "I-name", "O", "I-company", "I-company", "B-name", "B-name"]
    assert ner_model.spans_from_tags(tags) == [
        (0, 2, "name"),
        (3, 5, "company"),
        (5, 6, "name"),
        (6, 7, "name"),
    ]


@needs_model
@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 20), min_size=1, max_size=12), min_size=1, max_size=6))
def test_vectorised_spans_equal_the_reference_piece_by_piece(pieces: list[list[int]]) -> None:
    # the model finds spans over all pieces at once; any tag sequence (also BIO-invalid ones,
    # a stray I- opens a span) must give the spans of `spans_from_tags`, piece by piece
    model = ner_model.load()
    tags = model.vocab.tags
    ids = [i % len(tags) for piece in pieces for i in piece]
    lengths = [len(piece) for piece in pieces]
    got = model.spans(np.asarray(ids, dtype=np.intp), lengths).tolist()
    expected, at = [], 0
    for piece in pieces:
        for start, end, kind in ner_model.spans_from_tags([tags[i % len(tags)] for i in piece]):
            expected.append([at + start, at + end, model.kind_names.index(kind)])
        at += len(piece)
    assert got == expected


@needs_model
def test_sentence_result_does_not_depend_on_its_batch() -> None:
    # sentences are laid end to end, and no convolution tap reaches across a sentence end:
    # a batch must not leak between them
    model = ner_model.load()
    batch = [(s, stat_ner.jieba_tokens(s)) for s in SENTENCES]
    together = model.predict(batch)
    alone = [model.predict([item])[0] for item in batch]
    assert together == alone
    assert model.predict([("", [])]) == [[]]


@needs_model
def test_pieces_shorter_than_the_convolutions_reach() -> None:
    # the widest tap reaches 4 positions: texts of 1-6 characters alone, and mixed in a
    # batch, must work and agree (a one-document call has no other rows to lean on)
    model = ner_model.load()
    texts = ["王", "王伟", "王伟说", "百度公司", "李彦宏说。", "阿里巴巴集团"]
    batch = [(t, stat_ner.jieba_tokens(t)) for t in texts]
    alone = [model.predict([item])[0] for item in batch]
    assert model.predict(batch) == alone
    assert [stat_ner.predict_spans(t) for t in texts] == stat_ner.predict_many(texts)


@needs_model
def test_predict_spans_finds_person_and_firm() -> None:
    found = _labelled(SENTENCES[0], stat_ner.predict_spans(SENTENCES[0]))
    assert ("李彦宏", "Person") in found
    assert any(label == "Firm" and "百度" in name for name, label in found)
    found = _labelled(SENTENCES[1], stat_ner.predict_spans(SENTENCES[1]))
    assert ("张建锋", "Person") in found
    assert any(label == "Firm" and "阿里巴巴" in name for name, label in found)


@needs_model
def test_spans_have_valid_offsets_and_confidence() -> None:
    text = "".join(SENTENCES) * 3  # several sentences: exercises chunking and offset shifts
    spans = stat_ner.predict_spans(text)
    assert spans
    for start, end, label, confidence in spans:
        assert 0 <= start < end <= len(text)
        assert label in {"Person", "Firm", "Institute", "Organization", "Place", "Park"}
        assert 0.0 < confidence <= 1.0
    assert stat_ner.predict_many(SENTENCES) == [stat_ner.predict_spans(s) for s in SENTENCES]


@needs_model
def test_component_writes_spans_aligned_to_jieba_tokens() -> None:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("innograph_stat_ner")
    docs = list(nlp.pipe(SENTENCES)) + [nlp(SENTENCES[0])]
    for doc in docs:
        group = doc.spans[stat_ner.SPAN_KEY]
        assert len(group) > 0
        for span in group:
            # `expand` alignment: the span covers whole jieba tokens and contains the entity
            assert span.start_char == span[0].idx
            assert span.end_char == span[-1].idx + len(span[-1].text)
            assert span._.confidence is not None
        assert any(span.label_ == "Person" for span in group)
    assert "李彦宏" in {s.text for s in docs[0].spans["stat_ner"] if s.label_ == "Person"}


@needs_model
def test_document_encoding_equals_the_training_encoding_piece_by_piece() -> None:
    # inference encodes whole documents with numpy; training encodes sentence by sentence
    model = ner_model.load()
    text = "深圳ＡＢＣ科技有限公司2024年发布新品。  王小明表示：“合作顺利”！\n𠀀奇字与Ω符号"
    tokens = stat_ner.jieba_tokens(text)
    pieces = [(0, 22), (22, 39), (39, len(text))]
    c, b, s = model.encode_document(text, tokens, pieces)
    assert len(c) == len(b) == len(s) == len(text)
    pos = 0
    for start, end in pieces:
        local = [(a - start, z - start, t) for a, z, t in tokens if start <= a and z <= end]
        expected = model.vocab.encode(text[start:end], local)
        got = (c[pos : pos + end - start], b[pos : pos + end - start], s[pos : pos + end - start])
        assert [list(map(int, g)) for g in got] == [list(e) for e in expected]
        pos += end - start


@needs_model
def test_windows_and_rounds_do_not_change_the_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    # huge documents are cut into windows and model calls of bounded size; the spans found
    # must be the ones found in one call
    text = "".join(SENTENCES) * 6
    whole = stat_ner.predict_spans(text)
    monkeypatch.setattr(stat_ner, "_WINDOW_CHARS", 40)
    monkeypatch.setattr(stat_ner, "_ROUND_CHARS", 90)
    assert stat_ner.predict_many([text, SENTENCES[0]]) == [
        whole,
        stat_ner.predict_spans(SENTENCES[0]),
    ]
    assert whole
