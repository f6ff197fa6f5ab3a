"""Lookup by id, name, alias, script, case, prefix and near miss; ambiguity is reported with
ranked candidates, never guessed."""

from __future__ import annotations

import pytest

from innograph.graph.analytics.lookup import AmbiguousEntity, EntityNotFound, LookupIndex
from innograph.graph.analytics.projection import Projection
from innograph.model import EntityRecord, RelationRecord


def build() -> Projection:
    ents = [
        EntityRecord("i1", "清华大学", "Institute", ["Tsinghua University", "清華大學"]),
        EntityRecord("f1", "华为技术有限公司", "Firm", ["华为", "Huawei"]),
        EntityRecord("f2", "华大基因", "Firm", ["BGI"]),
        EntityRecord("i2", "Royal Veterinary College", "Institute", ["RVC"]),
        EntityRecord("p1", "长城", "Person"),
        EntityRecord("f3", "长城", "Firm", ["長城汽車"]),
        EntityRecord("t1", "量子计算", "Technology", ["quantum computing"]),
    ]
    rels = [
        RelationRecord("f3", "i1", "COLLABORATES_WITH", 1, 0.9),
        RelationRecord("f3", "f1", "COLLABORATES_WITH", 1, 0.9),
        RelationRecord("p1", "i1", "AFFILIATED_WITH", 1, 0.9),
    ]
    return Projection.build(ents, rels, version="v1")


@pytest.fixture
def index() -> LookupIndex:
    return LookupIndex(build())


@pytest.mark.parametrize(
    ("query", "expected", "kind"),
    [
        ("i1", "i1", "id"),
        ("清华大学", "i1", "exact"),
        ("清華大學", "i1", "exact"),  # Traditional alias and converted key alike
        ("tsinghua university", "i1", "exact"),
        ("  TSINGHUA   University ", "i1", "exact"),
        ("HUAWEI", "f1", "exact"),
        ("華為", "f1", "exact"),  # Traditional form of an alias only stored in Simplified
        ("rvc", "i2", "exact"),
        ("royal vet", "i2", "prefix"),
        ("量子", "t1", "prefix"),
        ("Quantum Comp", "t1", "prefix"),
    ],
)
def test_resolves(index: LookupIndex, query: str, expected: str, kind: str) -> None:
    result = index.lookup(query)
    assert result.match is not None and result.match.id == expected
    assert result.kind == kind
    assert index.resolve(query).id == expected


def test_same_name_of_two_entities_is_ambiguous_ranked_by_degree(index: LookupIndex) -> None:
    result = index.lookup("长城")
    assert result.match is None and result.ambiguous
    assert [c.id for c in result.candidates] == ["f3", "p1"]  # the firm has more relations
    assert all(c.kind == "exact" for c in result.candidates)
    with pytest.raises(AmbiguousEntity) as err:
        index.resolve("長城")
    assert [c.id for c in err.value.candidates] == ["f3", "p1"]


def test_prefix_of_several_entities_is_ambiguous(index: LookupIndex) -> None:
    result = index.lookup("华")
    assert result.match is None and result.kind == "ambiguous"
    assert {"f1", "f2"} <= {c.id for c in result.candidates}
    with pytest.raises(AmbiguousEntity):
        index.resolve("华")


def test_near_miss_is_not_found_but_suggested(index: LookupIndex) -> None:
    result = index.lookup("Royal Veterinery Colege")
    assert result.match is None and result.kind == "none"
    assert result.candidates[0].id == "i2" and result.candidates[0].kind == "fuzzy"
    with pytest.raises(EntityNotFound) as err:
        index.resolve("Royal Veterinery Colege")
    assert err.value.candidates[0].id == "i2"
    assert "Royal Veterinary College" in str(err.value)
    chinese = index.lookup("清华大")  # a prefix still resolves
    assert chinese.match is not None and chinese.match.id == "i1"
    typo = index.lookup("青华大学")
    assert typo.match is None and typo.candidates[0].id == "i1"


def test_unknown_and_empty_queries(index: LookupIndex) -> None:
    assert index.lookup("zzzzqqq").candidates == []
    with pytest.raises(EntityNotFound):
        index.resolve("zzzzqqq")
    empty = index.lookup("   ")
    assert empty.match is None and empty.candidates == []


def test_index_follows_projection_changes() -> None:
    proj = build()
    index = LookupIndex(proj)
    assert index.lookup("中国科学院").match is None
    proj.add([EntityRecord("i3", "中国科学院", "Institute", ["中科院"])], [])
    assert index.resolve("中國科學院").id == "i3"
    assert index.resolve("中科院").id == "i3"
