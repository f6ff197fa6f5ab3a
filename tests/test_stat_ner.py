"""The statistical NER component, run from the shipped model files only (no network)."""

from __future__ import annotations

import pytest
import spacy

from innograph.ingest.components import stat_ner

pytestmark = pytest.mark.skipif(not stat_ner.available(), reason="stat NER model files missing")

# Authored sentences (not from any dataset), each with people and a firm.
SENTENCES = [
    "百度公司首席执行官李彦宏在会上发表了演讲。",
    "记者王立军昨天在北京采访了阿里巴巴集团的首席技术官张建锋。",
]


def _labelled(text: str, spans: list[tuple[int, int, str, float]]) -> set[tuple[str, str]]:
    return {(text[s:e], label) for s, e, label, _ in spans}


def test_char_tokenizer_round_trips_text() -> None:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": stat_ner.TOKENIZER_NAME}}})
    text = "  北京 iPhone15发布，  价格 5999元\n新品"
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert "iPhone15" in [t.text for t in doc]
    words = [t.text for t in doc if not t.is_space]
    assert words[:2] == ["北", "京"]
    assert "5999" in words


def test_predict_spans_finds_person_and_firm() -> None:
    found = _labelled(SENTENCES[0], stat_ner.predict_spans(SENTENCES[0]))
    assert ("李彦宏", "Person") in found
    assert any(label == "Firm" and "百度" in name for name, label in found)
    found = _labelled(SENTENCES[1], stat_ner.predict_spans(SENTENCES[1]))
    assert ("张建锋", "Person") in found
    assert any(label == "Firm" and "阿里巴巴" in name for name, label in found)


def test_spans_have_valid_offsets_and_confidence() -> None:
    text = "".join(SENTENCES) * 3  # several sentences: exercises chunking and offset shifts
    spans = stat_ner.predict_spans(text)
    assert spans
    for start, end, label, confidence in spans:
        assert 0 <= start < end <= len(text)
        assert label in {"Person", "Firm", "Institute", "Organization", "Place", "Park"}
        assert 0.0 < confidence <= 1.0
    assert stat_ner.predict_many(SENTENCES) == [stat_ner.predict_spans(s) for s in SENTENCES]


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
