"""Seeded generator of realistic innovation graphs for benches and tests.

Real co-operation graphs are dominated by a few hubs (a famous university, a national lab,
a large park) and a long tail of entities seen once or twice. The generator reproduces that
with a preferential-attachment spine (every entity links to an earlier one, biased towards
old, heavily linked ones; this also keeps the graph connected) topped up with Chung-Lu edges
drawn from a Zipf weight sequence. Labels are mixed roughly like extracted news, and the
relationship type of an edge follows from the labels of its ends, so a path looks like
"academician -AFFILIATED_WITH-> institute -COLLABORATES_WITH- firm". Names are invented
from syllables, never taken from real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from innograph.model import (
    SYMMETRIC_TYPES,
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

# Share of each label among generated entities (about what extraction yields from news).
LABEL_MIX: dict[Label, float] = {
    Label.ACADEMICIAN: 0.08,
    Label.PERSON: 0.17,
    Label.INSTITUTE: 0.16,
    Label.FIRM: 0.30,
    Label.PARK: 0.05,
    Label.TECHNOLOGY: 0.14,
    Label.ORGANIZATION: 0.05,
    Label.EVENT: 0.03,
    Label.PLACE: 0.02,
}

_SYLLABLES = "华中国科技大学研究院智能数据生物医药新能源航天材料光电量子信息海洋先进制造深圳北京上海浙江清源启明博远创新合众"
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志"
_SUFFIX: dict[Label, tuple[str, ...]] = {
    Label.INSTITUTE: ("大学", "研究院", "研究所", "实验室", "学院"),
    Label.FIRM: ("科技有限公司", "集团", "股份有限公司", "Technologies", "创新公司"),
    Label.PARK: ("产业园", "科技园", "创新基地", "高新区"),
    Label.TECHNOLOGY: ("技术", "芯片", "算法", "材料", "平台"),
    Label.ORGANIZATION: ("委员会", "局", "协会", "基金会"),
    Label.EVENT: ("峰会", "论坛", "博览会", "大会"),
    Label.PLACE: ("市", "区", "省"),
}


def _relation_type(a: Label, b: Label, rng: random.Random) -> tuple[RelType, bool]:
    """Type for an edge between labels a and b; the flag says whether to swap its ends so
    the stored direction reads naturally (person -> organisation, anything -> place)."""
    person = {Label.ACADEMICIAN, Label.PERSON}
    org = {Label.INSTITUTE, Label.FIRM, Label.PARK, Label.ORGANIZATION}
    if b == Label.PLACE or a == Label.PLACE:
        return RelType.LOCATED_IN, a == Label.PLACE
    if b == Label.TECHNOLOGY or a == Label.TECHNOLOGY:
        return RelType.FOCUSES_ON, a == Label.TECHNOLOGY
    if b == Label.EVENT or a == Label.EVENT:
        return RelType.PARTICIPATED_IN, a == Label.EVENT
    if a in person and b in org:
        return (RelType.FOUNDED if rng.random() < 0.1 else RelType.AFFILIATED_WITH), False
    if b in person and a in org:
        return (RelType.FOUNDED if rng.random() < 0.1 else RelType.AFFILIATED_WITH), True
    if a in org and b in org:
        r = rng.random()
        if r < 0.6:
            return RelType.COLLABORATES_WITH, False
        if r < 0.75:
            return RelType.PART_OF, False
        if r < 0.9:
            return RelType.INVESTS_IN, False
        return RelType.SPUN_OFF_FROM, False
    return RelType.COLLABORATES_WITH, False


@dataclass(slots=True)
class SyntheticGraph:
    entities: list[EntityRecord]
    relations: list[RelationRecord]

    def to_extractions(self, per_document: int, texts: bool = False) -> list[Extraction]:
        """The graph as Extractions the store can write: one document per `per_document`
        relationships, one evidence sentence per relationship, naming the entities it links.
        With `texts`, each document's text is its sentences (evidence offsets point into
        it), as ingested documents carry; otherwise the text is empty."""
        by_id = {record.id: record for record in self.entities}
        out: list[Extraction] = []
        for start in range(0, len(self.relations), per_document):
            used: dict[str, Entity] = {}
            sentences: list[tuple[RelationRecord, str, int]] = []
            at = 0
            for offset, rel in enumerate(self.relations[start : start + per_document]):
                for end in (rel.source, rel.target):
                    record = by_id[end]
                    used.setdefault(
                        end, Entity(end, record.name, Label(record.label), list(record.aliases))
                    )
                sentence = f"{by_id[rel.source].name}与{by_id[rel.target].name}合作。"
                if not texts:
                    at = offset * 40
                sentences.append((rel, sentence, at))
                at += len(sentence)
            text = "".join(s for _, s, _ in sentences) if texts else ""
            doc_id = make_document_id(text if texts else f"synthetic document {start}")
            relations = [
                Relation(
                    rel.source,
                    rel.target,
                    RelType(rel.type),
                    [
                        Evidence(
                            doc_id, sentence, at, at + len(sentence), "synthetic", rel.confidence
                        )
                    ],
                )
                for rel, sentence, at in sentences
            ]
            document = Document(doc_id, text, path=f"synthetic/{start}.txt", title="synthetic")
            out.append(Extraction(document, list(used.values()), relations))
        return out


def _name(label: Label, i: int, rng: random.Random) -> str:
    if label in (Label.ACADEMICIAN, Label.PERSON):
        given = "".join(rng.choices(_GIVEN, k=rng.randint(1, 2)))
        return f"{rng.choice(_SURNAMES)}{given}{i}"
    stem = "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4)))
    return f"{stem}{i}{rng.choice(_SUFFIX[label])}"


# Labels of the heaviest entities when `generate(hubs=...)` asks for realistic hubs: in
# regional innovation news the most connected names are universities and institutes,
# science parks, a few big firms and government bodies.
HUB_LABELS = (Label.INSTITUTE, Label.PARK, Label.INSTITUTE, Label.FIRM, Label.ORGANIZATION)


def generate(
    entities: int = 2_000,
    relations: int = 10_000,
    seed: int = 7,
    alpha: float = 0.75,
    hubs: int = 0,
) -> SyntheticGraph:
    """A connected graph with about `relations` distinct relationships over `entities`
    entities (`relations` >= `entities` - 1). `alpha` is the Zipf exponent of the weight
    sequence: larger means stronger hubs. `hubs`: how many of the heaviest entities are
    institutes, parks, big firms and agencies (HUB_LABELS) instead of drawn labels."""
    if entities < 2:
        raise ValueError("need at least two entities")
    rng = np.random.default_rng(seed)
    # Per-item choices use the stdlib generator: numpy's scalar calls cost ~1 us each.
    prng = random.Random(seed)
    labels_all = list(LABEL_MIX)
    probs = np.array([LABEL_MIX[x] for x in labels_all])
    label_idx = rng.choice(len(labels_all), size=entities, p=probs / probs.sum())
    # Labels are drawn independently of age, so hubs (old entities) are spread across labels
    # like real data: universities, parks, big firms and a few famous people.
    labels = [labels_all[k] for k in label_idx]
    for i in range(min(hubs, entities)):
        labels[i] = HUB_LABELS[i % len(HUB_LABELS)]
    records: list[EntityRecord] = []
    for i, label in enumerate(labels):
        name = _name(label, i, prng)
        alias = [f"ent{i}"] if i % 5 == 0 else []
        records.append(
            EntityRecord(
                id=make_entity_id(label, f"{name}#{i}"), name=name, label=label.value, aliases=alias
            )
        )

    # Spine: entity i attaches to an earlier entity, strongly biased to the oldest ones.
    idx = np.arange(1, entities)
    spine_t = np.floor(idx * rng.random(entities - 1) ** 3).astype(np.int64)
    src = [idx]
    dst = [spine_t]
    extra = max(0, relations - (entities - 1))
    if extra:
        weights = (np.arange(entities) + 1.0) ** (-alpha)
        weights /= weights.sum()
        # Oversample: duplicates and self-loops are dropped below.
        draw = int(extra * 1.15) + 16
        src.append(rng.choice(entities, size=draw, p=weights))
        dst.append(rng.choice(entities, size=draw, p=weights))
    s = np.concatenate(src)
    t = np.concatenate(dst)
    keep = s != t
    s, t = s[keep], t[keep]
    lo, hi = np.minimum(s, t), np.maximum(s, t)
    pair = lo * entities + hi
    _, first = np.unique(pair, return_index=True)
    # Keep the spine (first entities - 1 rows) whole, then as many extra pairs as asked.
    first.sort()
    spine_rows = first[first < entities - 1]
    extra_rows = first[first >= entities - 1][:extra]
    rows = np.concatenate([spine_rows, extra_rows])

    ev_counts = rng.geometric(0.55, size=len(rows))
    confs = np.round(0.5 + 0.5 * rng.beta(4, 1.5, size=len(rows)), 3)
    years = rng.integers(2015, 2027, size=len(rows))
    rels: list[RelationRecord] = []
    s_list, t_list = s.tolist(), t.tolist()
    ev_list, conf_list, year_list = ev_counts.tolist(), confs.tolist(), years.tolist()
    for j, r in enumerate(rows.tolist()):
        a, b = s_list[r], t_list[r]
        rtype, swap = _relation_type(labels[a], labels[b], prng)
        if swap:
            a, b = b, a
        sa, sb = records[a].id, records[b].id
        if rtype in SYMMETRIC_TYPES and sb < sa:
            sa, sb = sb, sa
        rels.append(
            RelationRecord(
                source=sa,
                target=sb,
                type=rtype.value,
                evidence_count=ev_list[j],
                confidence=conf_list[j],
                properties={"last_seen": f"{year_list[j]}-06-01"},
            )
        )
    return SyntheticGraph(entities=records, relations=rels)
