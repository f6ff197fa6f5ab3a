"""Ingest end to end through real parts: readers, normaliser, the extraction pipeline, the
resolver and a real store, embedded FalkorDB and Neo4j (`innograph.ingest.service.Ingestor`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import Graphs

from innograph.ingest.readers import BINARY_FAILURE, EMPTY_FAILURE
from innograph.ingest.service import Ingestor
from innograph.model import EntityRecord, GraphStats, IngestReport
from innograph.names import name_key

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# 12 files plus a three-line feed; README.md is skipped when the folder is walked
EXAMPLE_DOCUMENTS = 15


def counts(stats: GraphStats) -> tuple[Any, ...]:
    return (
        stats.entities_by_label,
        stats.relations_by_type,
        stats.documents,
        stats.evidence,
    )


def one_entity(store: Any, *names: str) -> EntityRecord:
    """The single entity that every one of `names` (as name or alias) leads to."""
    keys = [name_key(n) for n in names]
    found = store.find_entities_by_keys(keys)
    ids = {key: sorted({r.id for r in found.get(key, [])}) for key in keys}
    assert all(len(v) == 1 for v in ids.values()), ids
    assert len({v[0] for v in ids.values()}) == 1, ids
    return next(iter(found.values()))[0]


@dataclass(slots=True)
class Ingested:
    store: Any
    report: IngestReport
    stats: GraphStats


def _ingest_examples(graphs: Graphs, backend: str, workers: int) -> Iterator[Ingested]:
    with graphs.open(backend) as (_, store):
        report = Ingestor(store, workers=workers).ingest_paths([EXAMPLES])
        yield Ingested(store, report, store.stats())


@pytest.fixture(scope="module")
def examples_graph(graphs: Graphs, module_backend: str) -> Iterator[Ingested]:
    yield from _ingest_examples(graphs, module_backend, workers=1)


# ---- the example corpus ----------------------------------------------------------------------


def test_examples_ingest_without_failures(examples_graph: Ingested) -> None:
    report = examples_graph.report
    assert report.failed == []
    assert report.read == EXAMPLE_DOCUMENTS
    assert report.unchanged == 0
    stats = examples_graph.stats
    assert stats.documents == EXAMPLE_DOCUMENTS
    assert report.entities_added == stats.entities > 0
    assert report.relations_added == stats.relations > 0
    assert report.evidence_added == stats.evidence >= stats.relations
    assert report.chars > 0
    assert report.seconds > 0


# Forms of one real entity across the corpus (examples/README.md, "Cross-document connections").
SAME_ENTITY = [
    # 01/09 vs 10/11/12
    pytest.param(("上海量子材料研究院", "Shanghai Institute of Quantum Materials"), id="institute"),
    # 01, 09, 06
    pytest.param(("中国科学院上海分院", "中國科學院上海分院", "中科院上海分院"), id="cas-branch"),
    # 08 (Traditional with pinyin), feed L2
    pytest.param(("晶準半導體股份有限公司", "晶准半导体"), id="jingzhun"),
    pytest.param(("蓝湾创投", "Bluebay Ventures"), id="bluebay"),  # 02 and 11
    pytest.param(("周立衡", "Zhou Liheng"), id="zhou"),  # 01 and 10/12
    pytest.param(("量衡科技有限公司", "量衡科技"), id="liangheng"),  # 02, 03
]


@pytest.mark.parametrize("names", SAME_ENTITY)
def test_examples_one_node_per_real_entity(examples_graph: Ingested, names: tuple[str]) -> None:
    entity = one_entity(examples_graph.store, *names)
    assert len(entity.doc_ids) >= 2


def test_examples_institute_is_connected_across_documents(examples_graph: Ingested) -> None:
    store = examples_graph.store
    institute = one_entity(store, "上海量子材料研究院")
    assert institute.name == "上海量子材料研究院"
    assert institute.label == "Institute"
    assert len(institute.doc_ids) >= 5  # 01, 02, 06, 09, 10, 11, 12 mention it
    zhou = one_entity(store, "周立衡")
    assert zhou.label == "Academician"
    assert any(
        {r.source, r.target} == {zhou.id, institute.id} for r in store.entity_relations(zhou.id)
    )


def test_examples_entity_names_never_span_lines(examples_graph: Ingested) -> None:
    bad = [e.name for e in examples_graph.store.iter_entities() if "\n" in e.name]
    assert bad == []


def test_reingest_changes_nothing(examples_graph: Ingested) -> None:
    store = examples_graph.store
    version = store.version()
    again = Ingestor(store).ingest_paths([EXAMPLES])
    assert again.failed == []
    assert again.read == EXAMPLE_DOCUMENTS
    assert again.unchanged == again.read
    assert (again.entities_added, again.relations_added, again.evidence_added) == (0, 0, 0)
    assert counts(store.stats()) == counts(examples_graph.stats)
    assert store.version() == version


@pytest.mark.slow
def test_two_workers_build_the_same_graph(
    examples_graph: Ingested, graphs: Graphs, module_backend: str
) -> None:
    for parallel in _ingest_examples(graphs, module_backend, workers=2):
        assert parallel.report.failed == []
        assert parallel.report.read == EXAMPLE_DOCUMENTS
        assert counts(parallel.stats) == counts(examples_graph.stats)
        ids = {e.id for e in parallel.store.iter_entities()}
        assert ids == {e.id for e in examples_graph.store.iter_entities()}


# ---- bad input -------------------------------------------------------------------------------

GBK_TEXT = "清华大学与华为技术有限公司签署战略合作协议，共建人工智能联合实验室。"
BIG5_TEXT = "香港科技大學與騰訊公司簽署合作協議，共建人工智能聯合實驗室。"
UTF8_TEXT = "复旦大学与上海交通大学签署合作协议，共同研究生物医药。"


def test_bad_files_fail_with_reasons_and_the_rest_is_ingested(store: Any, tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "c_gbk.txt").write_bytes(GBK_TEXT.encode("gbk"))
    (tmp_path / "d_big5.txt").write_bytes(BIG5_TEXT.encode("big5"))
    (tmp_path / "e_good.txt").write_text(UTF8_TEXT, encoding="utf-8")
    report = Ingestor(store).ingest_paths([tmp_path])
    reasons = {Path(f.path).name: f.reason for f in report.failed}
    assert reasons == {"a_empty.txt": EMPTY_FAILURE, "b_binary.txt": BINARY_FAILURE}
    assert report.read == 3
    assert store.stats().documents == 3
    # each readable encoding reached the graph with its organisations
    one_entity(store, "清华大学")  # GBK
    one_entity(store, "香港科技大学", "香港科技大學")  # Big5
    one_entity(store, "上海交通大学")  # UTF-8


# ---- one fact in three scripts ---------------------------------------------------------------

SIMPLIFIED_DOC = "苏州纳米药物研究院与复旦大学签署战略合作协议，共建纳米药物联合实验室。"
TRADITIONAL_PINYIN_DOC = (
    "蘇(sū)州(zhōu)納(nà)米(mǐ)藥(yào)物(wù)研(yán)究(jiū)院(yuàn)與(yǔ)復(fù)旦大學(xué)"
    "簽(qiān)署(shǔ)戰(zhàn)略(lüè)合作協(xié)議(yì)。"
)
ENGLISH_DOC = (
    "The Suzhou Institute of Nano-Medicine (苏州纳米药物研究院) signed a strategic "
    "cooperation agreement with Fudan University on Monday."
)


def test_one_fact_in_three_scripts_makes_one_node(store: Any, tmp_path: Path) -> None:
    for name, text in [
        ("simplified.txt", SIMPLIFIED_DOC),
        ("traditional.txt", TRADITIONAL_PINYIN_DOC),
        ("english.txt", ENGLISH_DOC),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = Ingestor(store).ingest_paths([tmp_path])
    assert (report.read, report.failed) == (3, [])
    institute = one_entity(
        store, "苏州纳米药物研究院", "蘇州納米藥物研究院", "Suzhou Institute of Nano-Medicine"
    )
    assert institute.name == "苏州纳米药物研究院"
    assert len(institute.doc_ids) == 3
    fudan = one_entity(store, "复旦大学", "復旦大學", "Fudan University")
    [collab] = [
        r
        for r in store.entity_relations(institute.id)
        if {r.source, r.target} == {institute.id, fudan.id}
    ]
    assert collab.type == "COLLABORATES_WITH"
    assert len(collab.doc_ids) == 3
    assert collab.evidence_count >= 3
