"""The Extractor as others use it: the visible pipeline, ids, aliases, evidence, JSON output,
the statistical-NER merge policy, and robustness on arbitrary text."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import ner_merge
from innograph.ingest.components.state import Mention
from innograph.ingest.jsonout import extraction_to_json
from innograph.ingest.normalize import normalize
from innograph.ingest.pipeline import Extractor, get_extractor
from innograph.model import Document, Label, make_document_id, make_entity_id
from innograph.names import name_key


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_stat_ner=False)


def document(raw: str, lang: str = "zh") -> Document:
    norm = normalize(raw)
    return Document(
        id=make_document_id(norm.text),
        text=norm.text,
        lang=lang,
        traditional=norm.traditional if norm.changed_script else "",
    )


def test_pipeline_is_visible_and_ordered(ex: Extractor) -> None:
    names = ex.pipe_names["zh"]
    assert names[0] == "innograph_document"
    assert names[-2:] == ["innograph_references", "innograph_relations"]
    assert names.index("innograph_organizations") < names.index("innograph_people")
    assert "innograph_stat_ner" not in ex.pipe_names["en"]


def test_batches_relax_the_collector_and_restore_it(ex: Extractor) -> None:
    # the collector runs less often during a batch (a process-wide setting): it must be put
    # back afterwards, also when several threads extract at once
    seen: list[tuple[int, int, int]] = []
    nlp = ex.nlp["zh"]
    nlp.add_pipe("innograph_probe_gc", last=True)
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        _PROBE.append(seen)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda i: ex.extract(document(f"华为技术有限公司{i}号")), range(8)))
        assert gc.get_threshold() == (700, 10, 10)
        assert seen and all(t[0] >= 20_000 for t in seen)
    finally:
        _PROBE.clear()
        nlp.remove_pipe("innograph_probe_gc")
        gc.set_threshold(*before)


_PROBE: list[list[tuple[int, int, int]]] = []


@Language.component("innograph_probe_gc")
def _probe_gc(doc: Doc) -> Doc:
    for seen in _PROBE:
        seen.append(gc.get_threshold())
    return doc


def test_get_extractor_is_cached() -> None:
    assert get_extractor() is get_extractor()


def test_ids_mentions_extractors_and_evidence(ex: Extractor) -> None:
    doc = document("香港科技大学校长叶志明出席了2024粤港澳大湾区科技创新峰会。")
    out = ex.extract(doc)
    for e in out.entities:
        assert e.id == make_entity_id(e.label, name_key(e.name))
        assert e.mentions and e.extractor
        for doc_id, start, end in e.mentions:
            assert doc_id == doc.id and 0 <= start < end <= len(doc.text)
    assert out.relations
    for r in out.relations:
        assert r.evidence
        for ev in r.evidence:
            assert ev.sentence == doc.text[ev.start : ev.end]
            assert ev.document_id == doc.id and ev.extractor.startswith("rel.")
            assert 0 < ev.confidence <= 1


def test_traditional_forms_become_aliases(ex: Extractor) -> None:
    out = ex.extract(document("臺灣積體電路製造股份有限公司(台積電)總部位於新竹科學園區。"))
    firm = next(e for e in out.entities if e.label == Label.FIRM)
    assert firm.name == "台湾积体电路制造股份有限公司"
    assert "臺灣積體電路製造股份有限公司" in firm.aliases
    assert "台积电" in firm.aliases and "台積電" in firm.aliases


def test_json_shape(ex: Extractor) -> None:
    out = ex.extract(document("南开大学与天津市科学技术局签署合作协议。"))
    plain = extraction_to_json(out, "a.txt")
    assert set(plain) == {"document", "entities", "relations"}
    assert plain["document"] == "a.txt"
    assert all(set(e) == {"name", "type", "aliases"} for e in plain["entities"])
    assert all(set(r) == {"source", "target", "type", "evidence"} for r in plain["relations"])
    assert plain["relations"][0]["evidence"] == "南开大学与天津市科学技术局签署合作协议。"
    explained = extraction_to_json(out, "a.txt", explain=True)
    rel = explained["relations"][0]
    assert {"extractor", "confidence", "offsets"} <= set(rel)
    assert {"id", "extractor", "confidence", "offsets"} <= set(explained["entities"][0])


# ---- merge policy for statistical spans ------------------------------------------------------


def rule_state(ex: Extractor, text: str):  # type: ignore[no-untyped-def]
    """State after the rule components only, before references."""
    nlp = ex.nlp["zh"]
    state = ex.analyse(text)
    state.mentions = [m for m in state.mentions if m.kind == "name"]
    state.entities, state.relations = [], []
    assert nlp is not None
    return state


def test_rules_win_over_an_overlapping_model_span(ex: Extractor) -> None:
    state = rule_state(ex, "南开大学教授刘卫东表示")
    before = [(m.start, m.end) for m in state.mentions]
    ner_merge.merge_span(state, 2, 6, Label.ORGANIZATION, 0.9)  # 大学教授: crosses a rule span
    assert [(m.start, m.end) for m in state.mentions] == before


def test_wider_compatible_model_span_replaces_rule_span(ex: Extractor) -> None:
    text = "据悉，北京字节跳动科技有限公司发布新品。"
    state = rule_state(ex, text)
    start = text.index("北京")
    end = text.index("公司") + 2
    state.mentions = [m for m in state.mentions if m.end != end]
    state.add(Mention(start + 2, end, Label.FIRM, "org.suffix", 0.85))  # narrower rule span
    ner_merge.merge_span(state, start, end, Label.FIRM, 0.9)
    widened = [m for m in state.mentions if m.extractor == ner_merge.MODEL_WIDENED]
    assert [(m.start, m.end) for m in widened] == [(start, end)]
    assert widened[0].props["replaced"]


def test_model_only_spans_are_filtered_and_discounted(ex: Extractor) -> None:
    text = "新发展格局下，高端智力资源汇聚，李华强来到合肥。"
    state = rule_state(ex, text)
    for word, label in (("新发展格局", Label.FIRM), ("高端智力", Label.PERSON)):
        s = text.index(word)
        ner_merge.merge_span(state, s, s + len(word), label, 0.9)
    s = text.index("李华强")
    ner_merge.merge_span(state, s, s + 3, Label.PERSON, 0.9)
    model = [m for m in state.mentions if m.extractor == ner_merge.MODEL_RULE]
    assert [text[m.start : m.end] for m in model] == ["李华强"]
    assert model[0].confidence < 0.9


def test_glued_model_span_is_rejected(ex: Extractor) -> None:
    text = "俄罗斯院士创新基地(中国)应大会组委会邀请出席。"
    state = rule_state(ex, text)
    ner_merge.merge_span(state, 0, text.index("邀请"), Label.ORGANIZATION, 0.9)
    assert not any(m.extractor.startswith("ner.") for m in state.mentions)


# ---- robustness --------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("中国科学院大学有限公司基地(中国)（）院士教授张王李·、，。；：“”与和及在的了")
    + list("AIRVCUniversity of Inc. Ltd Park Prof. Dr. ,.;:()-0123456789 \n\t")
    + ["峰會(huì)", "該基地", "此次盛会", "人工智能", "the institute", "\u200b", "\ufeff"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.sampled_from(["zh", "en"]))
def test_extract_never_crashes(ex: Extractor, raw: str, lang: str) -> None:
    doc = document(raw, lang)
    out = ex.extract(doc)
    for e in out.entities:
        assert e.name
        for _, start, end in e.mentions:
            assert 0 <= start < end <= len(doc.text)
    ids = {e.id for e in out.entities}
    for r in out.relations:
        assert r.source in ids and r.target in ids and r.evidence


def test_long_documents_are_read_in_sections_with_whole_text_offsets(
    ex: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from innograph.ingest import pipeline

    paragraph = (
        "合肥本源量子计算科技有限责任公司落户合肥高新区。\n"
        "中国科学技术大学教授郭国平团队创办了该公司，专注于量子计算。\n"
    )
    text = paragraph * 12
    doc = Document(id=make_document_id(text), text=text, lang="zh")
    whole = ex.extract(doc)
    monkeypatch.setattr(pipeline, "SECTION_CHARS", 100)
    assert len(pipeline.sections(text, 100)) > 5
    cut = ex.extract(doc)
    assert {e.id for e in cut.entities} == {e.id for e in whole.entities}
    assert {r.key for r in cut.relations} == {r.key for r in whole.relations}
    # sections lose only references that reach across a cut; every mention they find is one
    # the whole-text run finds, at the same offsets
    found = {e.id: set(e.mentions) for e in whole.entities}
    for e in cut.entities:
        assert set(e.mentions) <= found[e.id]
    assert sum(len(e.mentions) for e in cut.entities) > 0.8 * sum(
        len(e.mentions) for e in whole.entities
    )
    for r in cut.relations:
        for ev in r.evidence:
            assert text[ev.start : ev.end] == ev.sentence
