"""Cross-document identity (`innograph.ingest.resolve.Resolver`) on hand-built extractions.

Each behaviour runs twice: with the resolver's in-memory alias table only (`store=None`, all
documents in one run) and against a real store, where the earlier documents were written in
an earlier run and must be found again through `find_entities_by_keys`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from innograph.ingest.resolve import Resolver
from innograph.model import (
    Document,
    Entity,
    Evidence,
    Extraction,
    Label,
    Relation,
    RelType,
    make_document_id,
    make_entity_id,
)
from innograph.names import name_key

# ---- builders -----------------------------------------------------------------------------


def doc(text: str) -> Document:
    return Document(id=make_document_id(text), text=text)


def ent(name: str, label: Label, *aliases: str, local_id: str | None = None) -> Entity:
    """An entity as the pipeline proposes it. `local_id` stands in for an id the pipeline
    gave before resolution (e.g. from a Traditional or English surface form)."""
    return Entity(
        id=local_id or make_entity_id(label, name_key(name)),
        name=name,
        label=label,
        aliases=list(aliases),
    )


def rel(source: Entity, rel_type: RelType, target: Entity, document: Document) -> Relation:
    evidence = Evidence(document.id, document.text, 0, len(document.text), "test.rule")
    return Relation(source.id, target.id, rel_type, [evidence])


def ex(
    text: str, entities: list[Entity], relations: Callable[[Document], list[Relation]] | None = None
) -> Extraction:
    d = doc(text)
    return Extraction(d, entities, relations(d) if relations else [])


Resolve = Callable[[Sequence[Extraction]], list[Extraction]]


@pytest.fixture(
    params=["memory", "falkor_store", pytest.param("neo4j_store", marks=pytest.mark.neo4j)]
)
def resolve_docs(request: pytest.FixtureRequest) -> Resolve:
    """Resolve documents one at a time, the way ingest batches do.

    "memory": one Resolver without a store sees every document.
    "*_store": every document is resolved by a fresh Resolver over a real store and written
    before the next one, so identity must come back from the database."""
    if request.param == "memory":
        resolver = Resolver(None)

        def in_memory(extractions: Sequence[Extraction]) -> list[Extraction]:
            return [resolver.resolve([e])[0] for e in extractions]

        return in_memory
    store = request.getfixturevalue(request.param)

    def through_store(extractions: Sequence[Extraction]) -> list[Extraction]:
        out = []
        for e in extractions:
            [resolved] = Resolver(store).resolve([e])
            store.write([resolved])
            out.append(resolved)
        return out

    return through_store


def only(extraction: Extraction, name: str) -> Entity:
    found = [e for e in extraction.entities if e.name == name]
    assert len(found) == 1, [e.name for e in extraction.entities]
    return found[0]


# ---- scripts and languages ------------------------------------------------------------------

SIMPLIFIED = "中国科学院上海分院"
TRADITIONAL = "中國科學院上海分院"
ENGLISH = "Shanghai Branch of the Chinese Academy of Sciences"


def test_traditional_simplified_and_english_forms_resolve_to_one_id(resolve_docs: Resolve) -> None:
    first = ent(SIMPLIFIED, Label.INSTITUTE)
    out = resolve_docs(
        [
            ex("中国科学院上海分院成立于1950年。", [first]),
            # a pipeline that kept the Traditional surface form and gave it its own id
            ex(
                "中國科學院上海分院成立於1950年。",
                [ent(TRADITIONAL, Label.INSTITUTE, local_id="otrad")],
            ),
            # English name with the Chinese name in brackets; proposed as a generic organisation
            ex(
                f"The {ENGLISH} ({SIMPLIFIED}) was founded in 1950.",
                [ent(ENGLISH, Label.ORGANIZATION, SIMPLIFIED)],
            ),
        ]
    )
    ids = {e.id for x in out for e in x.entities}
    assert ids == {first.id}
    # the first name seen stays canonical; the other forms become aliases
    assert [x.entities[0].name for x in out] == [SIMPLIFIED] * 3
    assert TRADITIONAL in out[1].entities[0].aliases
    english = out[2].entities[0]
    assert ENGLISH in english.aliases
    # a generic label never overrides the more specific one already known
    assert english.label == Label.INSTITUTE


def test_store_keeps_one_node_for_all_forms(store: Any) -> None:
    first = ent(SIMPLIFIED, Label.INSTITUTE)
    for extraction in [
        ex("中国科学院上海分院成立于1950年。", [first]),
        ex(
            "中國科學院上海分院成立於1950年。",
            [ent(TRADITIONAL, Label.INSTITUTE, local_id="otrad")],
        ),
        ex(f"The {ENGLISH} ({SIMPLIFIED}).", [ent(ENGLISH, Label.ORGANIZATION, SIMPLIFIED)]),
    ]:
        store.write(Resolver(store).resolve([extraction]))
    stats = store.stats()
    assert (stats.entities, stats.documents) == (1, 3)
    [record] = store.get_entities([first.id])
    assert record.name == SIMPLIFIED
    assert record.label == Label.INSTITUTE
    assert {TRADITIONAL, ENGLISH} <= set(record.aliases)
    assert len(record.doc_ids) == 3
    for key in (name_key(TRADITIONAL), name_key(ENGLISH)):
        assert [e.id for e in store.find_entities_by_keys([key])[key]] == [first.id]


# ---- families --------------------------------------------------------------------------------


def test_person_never_merges_into_organisation_with_same_name(resolve_docs: Resolve) -> None:
    org = ent("周立衡", Label.FIRM, "立衡")
    person = ent("周立衡", Label.ACADEMICIAN, "立衡", "Zhou Liheng")
    out = resolve_docs(
        [
            ex("周立衡是一家公司。", [org]),
            ex("院士周立衡出席会议。", [person]),
        ]
    )
    resolved = out[1].entities[0]
    assert resolved.id == person.id != org.id
    assert resolved.label == Label.ACADEMICIAN
    assert "merges" not in resolved.properties


def test_person_alias_equal_to_organisation_name_does_not_merge(resolve_docs: Resolve) -> None:
    org = ent("量衡科技有限公司", Label.FIRM, "量衡科技")
    # a person whose alias (wrongly) collides with the firm's name and alias
    person = ent("陈国栋", Label.PERSON, "量衡科技", local_id="pchen")
    out = resolve_docs([ex("量衡科技有限公司成立。", [org]), ex("陈国栋创办量衡科技。", [person])])
    assert out[1].entities[0].id == "pchen"
    assert out[1].entities[0].name == "陈国栋"


# ---- shared aliases --------------------------------------------------------------------------


def test_alias_shared_by_two_entities_merges_nothing(resolve_docs: Resolve) -> None:
    tech = ent("华为技术有限公司", Label.FIRM, "华为")
    holding = ent("华为投资控股有限公司", Label.FIRM)
    mention = ent("华为", Label.FIRM, local_id="fhuawei")
    out = resolve_docs(
        [
            ex("华为技术有限公司发布新品。", [tech, holding]),
            # the holding company is later also called 华为: now two entities share the alias
            ex(
                "华为投资控股有限公司(华为)发布年报。",
                [ent("华为投资控股有限公司", Label.FIRM, "华为")],
            ),
            ex("华为宣布一项合作。", [mention]),
        ]
    )
    assert out[1].entities[0].id == holding.id
    resolved = out[2].entities[0]
    assert resolved.id == "fhuawei"
    assert resolved.name == "华为"
    assert "merges" not in resolved.properties


def test_alias_of_one_entity_merges(resolve_docs: Resolve) -> None:
    # the positive control of the test above: one owner of the alias, so it merges
    firm = ent("华为技术有限公司", Label.FIRM, "华为")
    out = resolve_docs(
        [
            ex("华为技术有限公司发布新品。", [firm]),
            ex("华为宣布一项合作。", [ent("华为", Label.FIRM, local_id="fhw")]),
        ]
    )
    assert out[1].entities[0].id == firm.id
    assert out[1].entities[0].name == "华为技术有限公司"


# ---- merge records ---------------------------------------------------------------------------


def test_merges_are_recorded_on_the_surviving_entity() -> None:
    resolver = Resolver(None)
    first = ent(SIMPLIFIED, Label.INSTITUTE)
    english = ex(f"The {ENGLISH} ({SIMPLIFIED}).", [ent(ENGLISH, Label.ORGANIZATION, SIMPLIFIED)])
    resolver.resolve([ex("中国科学院上海分院成立。", [first])])
    [out] = resolver.resolve([english])
    [merge] = out.entities[0].properties["merges"]
    assert merge == {
        "from_id": make_entity_id(Label.ORGANIZATION, name_key(ENGLISH)),
        "name": ENGLISH,
        "matched_on": name_key(SIMPLIFIED),
        "reason": "shared alias",
        "document": english.document.id,
        "aliases": [ENGLISH],
        "label": "Organization",
    }
    [logged] = resolver.merges
    assert (logged.into_id, logged.from_id, logged.document_id) == (
        first.id,
        merge["from_id"],
        english.document.id,
    )


def test_merge_history_survives_later_merges_in_the_store(store: Any) -> None:
    first = ent(SIMPLIFIED, Label.INSTITUTE)
    docs = [
        ex("中国科学院上海分院成立。", [first]),
        ex(
            "中國科學院上海分院成立於1950年。",
            [ent(TRADITIONAL, Label.INSTITUTE, local_id="otrad")],
        ),
        ex(f"The {ENGLISH} ({SIMPLIFIED}).", [ent(ENGLISH, Label.ORGANIZATION, SIMPLIFIED)]),
    ]
    for extraction in docs:
        store.write(Resolver(store).resolve([extraction]))
    [record] = store.get_entities([first.id])
    merged_from = sorted(m["document"] for m in record.properties.get("merges", []))
    assert merged_from == sorted(x.document.id for x in docs[1:])


# ---- relations -------------------------------------------------------------------------------


def test_relation_endpoints_are_remapped_and_symmetric_pairs_stay_ordered(
    resolve_docs: Resolve,
) -> None:
    liangheng = ent("量衡科技有限公司", Label.FIRM, "量衡科技")
    xinyuan = ent("芯源集成电路有限公司", Label.FIRM, "芯源集成电路")
    short_l = ent("量衡科技", Label.FIRM, local_id="f-local-l")
    short_x = ent("芯源集成电路", Label.FIRM, local_id="f-local-x")
    # after remapping, `high` is the endpoint with the larger id
    high, low = (short_l, short_x) if liangheng.id > xinyuan.id else (short_x, short_l)

    def relations(d: Document) -> list[Relation]:
        return [
            rel(high, RelType.COLLABORATES_WITH, low, d),
            rel(low, RelType.COLLABORATES_WITH, high, d),  # the same fact, other way round
            rel(high, RelType.INVESTS_IN, low, d),
        ]

    out = resolve_docs(
        [
            ex("量衡科技有限公司与芯源集成电路有限公司。", [liangheng, xinyuan]),
            ex("芯源集成电路与量衡科技签署战略合作协议并投资。", [short_l, short_x], relations),
        ]
    )
    resolved = out[1]
    assert {e.id for e in resolved.entities} == {liangheng.id, xinyuan.id}
    by_type = {r.type: r for r in resolved.relations}
    assert len(resolved.relations) == 2
    collab = by_type[RelType.COLLABORATES_WITH]
    assert collab.source < collab.target
    assert {collab.source, collab.target} == {liangheng.id, xinyuan.id}
    assert len(collab.evidence) == 1  # one sentence, not two copies
    invest = by_type[RelType.INVESTS_IN]
    high_id = max(liangheng.id, xinyuan.id)
    assert (invest.source, invest.target) == (high_id, min(liangheng.id, xinyuan.id))


def test_self_loop_created_by_merging_is_dropped(resolve_docs: Resolve) -> None:
    liangheng = ent("量衡科技有限公司", Label.FIRM, "量衡科技")
    full = ent("量衡科技有限公司", Label.FIRM)
    short = ent("量衡科技", Label.FIRM, local_id="f-local")
    other = ent("蓝湾创投", Label.FIRM)

    def relations(d: Document) -> list[Relation]:
        return [
            rel(short, RelType.SPUN_OFF_FROM, full, d),  # turns into a loop
            rel(other, RelType.INVESTS_IN, short, d),
        ]

    out = resolve_docs(
        [
            ex("量衡科技有限公司成立。", [liangheng]),
            ex("量衡科技有限公司(量衡科技)获蓝湾创投投资。", [full, short, other], relations),
        ]
    )
    resolved = out[1]
    assert sorted(e.id for e in resolved.entities) == sorted([liangheng.id, other.id])
    assert [(r.source, r.type, r.target) for r in resolved.relations] == [
        (other.id, RelType.INVESTS_IN, liangheng.id)
    ]
    merged = resolved.entity(liangheng.id)
    assert merged is not None
    assert merged.name == "量衡科技有限公司"
    assert "量衡科技" in merged.aliases
