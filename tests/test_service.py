"""GraphService over a real store (embedded FalkorDB; Neo4j too when NEO4J_URI is set):
evidence attached to answers, the projection following store changes, cached connectors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from innograph.config import Settings
from innograph.graph.service import AmbiguousEntity, EntityNotFound, GraphService
from innograph.model import (
    Document,
    Entity,
    EntityRecord,
    Evidence,
    Extraction,
    Label,
    Relation,
    RelationRecord,
    RelType,
    make_document_id,
    make_entity_id,
)
from innograph.names import name_key


def ent(name: str, label: Label, *aliases: str) -> Entity:
    return Entity(make_entity_id(label, name_key(name)), name, label, list(aliases))


def doc(text: str, title: str, path: str) -> Document:
    return Document(id=make_document_id(text), text=text, title=title, path=path)


def rel(
    a: Entity, t: RelType, b: Entity, d: Document, sentence: str, confidence: float = 0.9
) -> Relation:
    start = d.text.index(sentence)
    ev = Evidence(d.id, sentence, start, start + len(sentence), "test.rule", confidence)
    return Relation(a.id, b.id, t, [ev])


ZHANG = ent("张院士", Label.ACADEMICIAN, "張院士")
CAS = ent("中国科学院", Label.INSTITUTE, "中國科學院", "CAS")
HUAWEI = ent("华为技术有限公司", Label.FIRM, "华为", "Huawei")
PARK = ent("中关村科技园", Label.PARK)
LI = ent("李工程师", Label.PERSON)
WANG = ent("王教授", Label.ACADEMICIAN)


def first_corpus() -> list[Extraction]:
    d1 = doc(
        "张院士任职于中国科学院。中国科学院与华为技术有限公司开展合作。", "合作新闻", "news/a.txt"
    )
    d2 = doc("华为技术有限公司入驻中关村科技园。李工程师就职于华为。", "园区新闻", "news/b.txt")
    return [
        Extraction(
            d1,
            [ZHANG, CAS, HUAWEI],
            [
                rel(ZHANG, RelType.AFFILIATED_WITH, CAS, d1, "张院士任职于中国科学院。"),
                rel(
                    CAS,
                    RelType.COLLABORATES_WITH,
                    HUAWEI,
                    d1,
                    "中国科学院与华为技术有限公司开展合作。",
                    0.8,
                ),
            ],
        ),
        Extraction(
            d2,
            [HUAWEI, PARK, LI],
            [
                rel(HUAWEI, RelType.PART_OF, PARK, d2, "华为技术有限公司入驻中关村科技园。"),
                rel(LI, RelType.AFFILIATED_WITH, HUAWEI, d2, "李工程师就职于华为。"),
            ],
        ),
    ]


@pytest.fixture
def loaded(store: Any) -> Any:
    store.ensure_schema()
    store.write(first_corpus())
    return store


def test_paths_carry_evidence_from_the_store(loaded: Any) -> None:
    service = GraphService(loaded)
    paths = service.paths("張院士", "李工程师")
    assert len(paths) == 1
    path = paths[0]
    assert [n.name for n in path.nodes] == ["张院士", "中国科学院", "华为技术有限公司", "李工程师"]
    hops = path.hops
    assert [(h.type, h.direction) for h in hops] == [
        ("AFFILIATED_WITH", "forward"),
        ("COLLABORATES_WITH", "undirected"),
        ("AFFILIATED_WITH", "backward"),
    ]
    assert hops[0].evidence is not None
    assert hops[0].evidence.sentence == "张院士任职于中国科学院。"
    assert hops[0].evidence.document_title == "合作新闻"
    assert hops[0].evidence.document_path == "news/a.txt"
    assert hops[2].evidence is not None and hops[2].evidence.document_path == "news/b.txt"
    assert hops[1].confidence == pytest.approx(0.8)
    assert all(h.evidence_count == 1 for h in hops)
    assert service.paths("张院士", "李工程师", max_hops=2) == []


def test_lookup_and_resolve_through_the_service(loaded: Any) -> None:
    service = GraphService(loaded)
    assert service.resolve("中國科學院").id == CAS.id
    assert service.resolve("cas").id == CAS.id
    assert service.lookup("中关村").match is not None
    with pytest.raises(EntityNotFound):
        service.paths("张院士", "没有这个人")


def test_projection_follows_store_writes(loaded: Any) -> None:
    service = GraphService(loaded)
    before = service.projection()
    assert service.projection() is before  # unchanged store: no rebuild
    d3 = doc("王教授与张院士合作。", "第三篇", "news/c.txt")
    loaded.write(
        [
            Extraction(
                d3,
                [WANG, ZHANG],
                [rel(WANG, RelType.COLLABORATES_WITH, ZHANG, d3, "王教授与张院士合作。")],
            )
        ]
    )
    after = service.projection()
    # Caught up in place from the store's change records, not reloaded.
    assert after is before and after.version == loaded.version()
    assert [n.name for n in service.paths("王教授", "华为")[0].nodes] == [
        "王教授",
        "张院士",
        "中国科学院",
        "华为技术有限公司",
    ]


def test_ingest_time_refresh_extends_without_rebuild(loaded: Any) -> None:
    service = GraphService(loaded)
    proj = service.projection()
    d3 = doc("王教授与张院士合作。", "第三篇", "news/c.txt")
    loaded.write(
        [
            Extraction(
                d3,
                [WANG, ZHANG],
                [rel(WANG, RelType.COLLABORATES_WITH, ZHANG, d3, "王教授与张院士合作。")],
            )
        ]
    )
    a, b = sorted([WANG.id, ZHANG.id])
    service.refresh(
        [EntityRecord(WANG.id, WANG.name, WANG.label.value)],
        [RelationRecord(a, b, "COLLABORATES_WITH", 1, 0.9)],
    )
    assert service.projection() is proj
    intro = service.introduce("王教授", "中国科学院")
    assert [i.entity.name for i in intro] == ["张院士"]
    assert {h.evidence.sentence for h in intro[0].evidence if h.evidence} == {
        "王教授与张院士合作。",
        "张院士任职于中国科学院。",
    }


def test_connectors_cached_until_the_store_changes(loaded: Any, tmp_path: Path) -> None:
    settings = Settings(backend="falkordb", home=tmp_path)
    service = GraphService.from_settings(loaded, settings)
    rows = service.connectors(top=3)
    assert rows[0].entity.name == "华为技术有限公司"
    metrics = service.connector_metrics()
    assert service.connector_metrics() is metrics
    assert list((tmp_path / "cache" / "analytics").glob("connectors-*.json"))
    d3 = doc("王教授与张院士合作。", "第三篇", "news/c.txt")
    loaded.write(
        [
            Extraction(
                d3,
                [WANG, ZHANG],
                [rel(WANG, RelType.COLLABORATES_WITH, ZHANG, d3, "王教授与张院士合作。")],
            )
        ]
    )
    assert service.connector_metrics() is not metrics


def test_entity_detail_and_neighbourhood(loaded: Any) -> None:
    service = GraphService(loaded)
    detail = service.entity("华为")
    assert detail.entity.id == HUAWEI.id and detail.degree == 3
    assert {r.type for r in detail.relations} == {"COLLABORATES_WITH", "PART_OF", "AFFILIATED_WITH"}
    assert all(r.evidence for r in detail.relations)
    assert {n.name for n in detail.neighbours.values()} == {
        "中国科学院",
        "中关村科技园",
        "李工程师",
    }
    sub = service.neighbors(HUAWEI.id, depth=2, labels=["Institute", "Academician"])
    assert {n.name for n in sub.nodes} == {"华为技术有限公司", "中国科学院", "张院士"}
    assert sub.depth[ZHANG.id] == 2


def test_ambiguous_names_raise_with_candidates(loaded: Any) -> None:
    # Ids are per family, so a same-named person and firm are two entities.
    d = doc("长城公司与长城研究所合作。", "同名", "news/d.txt")
    firm, person = ent("长城", Label.FIRM), ent("长城", Label.PERSON)
    loaded.write(
        [
            Extraction(
                d,
                [firm, person],
                [rel(firm, RelType.COLLABORATES_WITH, person, d, "长城公司与长城研究所合作。")],
            )
        ]
    )
    service = GraphService(loaded)
    with pytest.raises(AmbiguousEntity) as err:
        service.resolve("长城")
    assert {c.id for c in err.value.candidates} == {firm.id, person.id}
