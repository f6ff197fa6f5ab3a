"""`innograph_references`: from overlapping candidate mentions to one entity per real thing.

Steps, in order:
1. generic names (`产业创新大会`, built from common words only) survive only as short forms
   of a specific name in the same document with the same head (`青企峰会2020产业创新大会`);
2. nesting: a name that starts another, longer name of a different head is its parent
   (`俄罗斯科学院` in `俄罗斯科学院远东分院`, kept for PART_OF); an event name starting a
   longer event name is a short form of it (`青企峰会`);
3. overlaps: longer names win, then organisations over people over technologies over places,
   so `上海` inside `上海张江高科技园区` is not a separate place;
4. clustering: mentions with one name key, one lexicon canonical name, a declared or known
   abbreviation, or a same-head substring of a longer name (`G60科创走廊`, `远东分院`, `Zoetis`)
   join one entity, whose canonical name is the lexicon name or the longest full name;
5. anaphors (`该基地`, `研究所`, `此次盛会`, `the company`) link to the nearest preceding entity
   of a compatible label whose name ends with the same head.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import lexicon
from innograph.ingest.components.state import (
    ANAPHOR,
    NAME,
    SHORT,
    DocState,
    EntityDraft,
    Mention,
    state_of,
)
from innograph.model import FAMILY_OF, Family, Label
from innograph.names import name_key

_LABEL_RANK = {
    Label.INSTITUTE: 0,
    Label.FIRM: 0,
    Label.PARK: 0,
    Label.EVENT: 0,
    Label.ORGANIZATION: 1,
    Label.ACADEMICIAN: 2,
    Label.PERSON: 2,
    Label.TECHNOLOGY: 3,
    Label.PLACE: 4,
}
_ORGS = (Label.INSTITUTE, Label.FIRM, Label.PARK, Label.ORGANIZATION)
_PARENT_CHILD = (Label.INSTITUTE, Label.ORGANIZATION)
_PEOPLE = (Label.PERSON, Label.ACADEMICIAN)
_QUALIFIER = re.compile(r"[(（][^()（）]{1,8}[)）]$")
# Anaphor heads that point at any entity of their label, not only names ending with them.
_ANY_OF_LABEL = frozenset(
    ["公司", "企业", "集团", "盛会", "会议", "峰会", "大会", "论坛", "博览会", "company", "firm"]
    + ["startup", "group", "summit", "conference", "forum", "expo", "institute", "university"]
    + ["college", "academy", "park", "ministry", "department", "agency", "campus", "lab"]
    + ["laboratory", "centre", "center", "commission", "council"]
)
_EN_COMMON = frozenset(
    ["The", "This", "That", "New", "National", "International", "World", "China", "Chinese"]
    + ["Royal", "University", "Institute", "Global", "First", "Science", "Technology", "It"]
    + ["Department", "Ministry", "Academy", "Professor", "Dr", "Academician", "Mr", "Ms"]
)


@Language.component("innograph_references")
def references_component(doc: Doc) -> Doc:
    state = state_of(doc)
    names = [m for m in state.mentions if m.kind != ANAPHOR]
    names = _drop_unsupported_generics(names, state.text)
    _nesting(names)
    kept = _resolve_overlaps(names)
    if state.lang == "en" or any(m.label in _ORGS for m in kept):
        kept = _english_short_forms(state, kept)
        kept = _chinese_short_forms(state, kept)
    _cluster(state, kept)
    _parents(state, kept)
    _anaphors(state, kept)
    return doc


def surface(state: DocState, m: Mention) -> str:
    return state.text[m.start : m.end]


def strip_qualifier(name: str) -> str:
    return _QUALIFIER.sub("", name)


def _head(m: Mention) -> str:
    return str(m.props.get("head", ""))


def _drop_unsupported_generics(mentions: list[Mention], text: str) -> list[Mention]:
    specific = [m for m in mentions if not m.generic and m.label != Label.PLACE]
    out = []
    for m in mentions:
        if m.generic:
            key = name_key(text[m.start : m.end])
            support = [
                s
                for s in specific
                if s.label == m.label
                and key in name_key(text[s.start : s.end])
                and (m.label == Label.EVENT or _head(s) == _head(m))
            ]
            if not support:
                continue
            m.kind = SHORT
        out.append(m)
    return out


def _nesting(mentions: list[Mention]) -> None:
    by_start: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.label in (*_ORGS, Label.EVENT) and m.kind == NAME:
            by_start.setdefault(m.start, []).append(m)
    pairs = [(o, i) for group in by_start.values() for o in group for i in group]
    for outer, inner in pairs:
        if inner is outer or inner.end >= outer.end:
            continue
        if outer.label == Label.EVENT and inner.label == Label.EVENT:
            inner.kind = SHORT  # 青企峰会 in 青企峰会2020产业创新大会
            inner.props["short_of"] = outer.start
        elif (
            outer.label in _PARENT_CHILD
            and inner.label in (*_PARENT_CHILD, Label.FIRM)
            and _head(inner) != _head(outer)
        ):
            outer.props["parent"] = inner


def _resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    order = sorted(
        mentions,
        key=lambda m: (m.start - m.end, _LABEL_RANK[m.label], -m.confidence, m.start),
    )
    kept: list[Mention] = []
    taken = bytearray(max((m.end for m in mentions), default=0))
    for m in order:
        if any(taken[m.start : m.end]):
            continue
        kept.append(m)
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    kept.sort(key=lambda m: m.start)
    return kept


def _owners(kept: list[Mention], size: int) -> list[int]:
    """For each character, the index in `kept` of the mention covering it (-1: none)."""
    owner = [-1] * size
    for i, k in enumerate(kept):
        owner[k.start : k.end] = [i] * (k.end - k.start)
    return owner


def _english_short_forms(state: DocState, kept: list[Mention]) -> list[Mention]:
    """`Zoetis` after `Zoetis Inc.`, `Li` after `Li Wei`: standalone reuse of a name's first
    word (organisations) or any word (people) is a short form of that entity."""
    text = state.text
    extra: list[Mention] = []
    taken = bytearray(len(text))
    for k in kept:
        taken[k.start : k.end] = b"\x01" * (k.end - k.start)
    for m in kept:
        name = text[m.start : m.end]
        if not name.isascii() or m.kind != NAME:
            continue
        words = name.split()
        if m.label in _ORGS and len(words) >= 2:
            candidates = [words[0]]
        elif m.label in (Label.PERSON, Label.ACADEMICIAN) and len(words) >= 2:
            candidates = words
        else:
            continue
        for word in candidates:
            if len(word) < 2 or word in _EN_COMMON or not word[:1].isupper():
                continue
            for use in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                if any(taken[use.start() : use.end()]):
                    continue
                short = Mention(use.start(), use.end(), m.label, "ref.short_form", 0.7, kind=SHORT)
                short.props["short_of"] = m.start
                taken[use.start() : use.end()] = b"\x01" * (use.end() - use.start())
                extra.append(short)
    state.mentions.extend(extra)
    return sorted(kept + extra, key=lambda m: m.start)


_FIRM_TAILS = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司", "股份")


def _firm_core(state: DocState, name: str) -> str:
    """深圳市鹏芯微电子有限公司 -> 鹏芯微电子: what the text calls the firm for short."""
    core = re.sub(r"[(（][^()（）]{1,8}[)）]", "", name)
    for tail in _FIRM_TAILS:
        if core.endswith(tail):
            core = core[: -len(tail)]
            break
    lead = lexicon.places().pattern.match(core)
    if lead is not None and lead.end() < len(core):
        core = core[lead.end() :]
    return core


def _chinese_short_forms(state: DocState, kept: list[Mention]) -> list[Mention]:
    text = state.text
    extra: list[Mention] = []
    owner = _owners(kept, len(text))
    dropped: set[int] = set()
    for m in kept:
        name = text[m.start : m.end]
        if m.label != Label.FIRM or m.kind != NAME or name.isascii():
            continue
        core = _firm_core(state, name)
        if len(core) < 2 or core == name or not re.search(r"[\u4e00-\u9fff]", core):
            continue
        for use in re.finditer(re.escape(core), text):
            short = Mention(use.start(), use.end(), m.label, "ref.short_form", 0.75, kind=SHORT)
            clash = {owner[p] for p in range(use.start(), use.end()) if owner[p] >= 0}
            if any(
                not short.contains(kept[k]) or kept[k].label in (*_ORGS, *_PEOPLE) or k in dropped
                for k in clash
            ):
                continue  # only a technology/place strictly inside gives way (微电子)
            dropped.update(clash)
            short.props["short_of"] = m.start
            extra.append(short)
    state.mentions.extend(extra)
    remaining = [k for i, k in enumerate(kept) if i not in dropped]
    return sorted(remaining + extra, key=lambda m: m.start)


def _cluster(state: DocState, kept: list[Mention]) -> None:
    text = state.text
    by_key: dict[tuple[Family, str], int] = {}
    by_start: dict[int, int] = {}
    order = sorted(kept, key=lambda m: (m.kind != NAME, m.start - m.end, m.start))
    position = {id(x): i for i, x in enumerate(state.mentions)}
    for m in order:
        surf = text[m.start : m.end]
        family = FAMILY_OF[m.label]
        target = _find(state, m, surf, family, by_key, by_start)
        if target < 0:
            name = m.canonical or surf
            target = len(state.entities)
            state.entities.append(
                EntityDraft(
                    name=name, label=m.label, extractor=m.extractor, confidence=m.confidence
                )
            )
        entity = state.entities[target]
        m.entity = target
        entity.mentions.append(position[id(m)])
        if m.label == Label.ACADEMICIAN and entity.label == Label.PERSON:
            entity.label = Label.ACADEMICIAN
        entity.confidence = max(entity.confidence, m.confidence)
        forms = [surf, state.original(m.start, m.end), strip_qualifier(surf), *m.aliases]
        for form in forms:
            if form and form not in entity.aliases:
                entity.aliases.append(form)
        for title in m.props.get("titles", []):
            entity.props.setdefault("titles", [])
            if title not in entity.props["titles"]:
                entity.props["titles"].append(title)
        by_start[m.start] = target
        for form in forms:
            by_key.setdefault((family, name_key(form)), target)
    for entity in state.entities:
        # exact comparison: the Traditional form shares the name's key but is kept as an alias
        entity.aliases = list(dict.fromkeys(a for a in entity.aliases if a != entity.name))


def _parents(state: DocState, kept: list[Mention]) -> None:
    """Give the parent named at the start of a longer name (俄罗斯科学院 in
    俄罗斯科学院远东分院) its own entity, for PART_OF."""
    for m in kept:
        parent = m.props.get("parent")
        if not isinstance(parent, Mention) or m.entity < 0:
            continue
        surf = surface(state, parent)
        key = name_key(parent.canonical or surf)
        found = next(
            (
                i
                for i, e in enumerate(state.entities)
                if FAMILY_OF[e.label] == Family.ORG
                and key in {name_key(e.name), *(name_key(a) for a in e.aliases)}
            ),
            -1,
        )
        if found < 0:
            found = len(state.entities)
            state.entities.append(
                EntityDraft(
                    name=parent.canonical or surf,
                    label=parent.label,
                    extractor=parent.extractor,
                    confidence=parent.confidence,
                    aliases=[
                        a
                        for a in (state.original(parent.start, parent.end), *parent.aliases)
                        if name_key(a) != key
                    ],
                )
            )
        if parent not in state.mentions:
            state.mentions.append(parent)
        parent.entity = -1  # nested inside the child's span: not a mention of its own
        state.entities[found].mentions.append(state.mentions.index(parent))
        m.props["parent_entity"] = found


def _find(
    state: DocState,
    m: Mention,
    surf: str,
    family: Family,
    by_key: dict[tuple[Family, str], int],
    by_start: dict[int, int],
) -> int:
    for form in (m.canonical, surf, strip_qualifier(surf)):
        if form and (family, name_key(form)) in by_key:
            return by_key[(family, name_key(form))]
    for ref in ("of", "short_of"):
        if ref in m.props and m.props[ref] in by_start:
            return by_start[m.props[ref]]
    if m.label in (*_ORGS, Label.EVENT):
        return _containing(state, m, surf)
    return -1


def _containing(state: DocState, m: Mention, surf: str) -> int:
    """The entity whose name contains `surf` with the same head and label (a short form)."""
    key = name_key(strip_qualifier(surf))
    if len(key) < 2:
        return -1
    best = -1
    for i, entity in enumerate(state.entities):
        if entity.label != m.label:
            continue
        full = name_key(strip_qualifier(entity.name))
        if key == full:
            return i
        if key not in full:
            continue
        if m.label != Label.EVENT and not full.endswith(key[-2:]):
            continue  # same head: 中国科学院 is not a short form of ...研究所
        if best < 0 or len(entity.name) > len(state.entities[best].name):
            best = i
    return best


_CLAUSE = re.compile(r"[，,；;：:。！？!?]|\.\s")


def _anaphors(state: DocState, kept: list[Mention]) -> None:
    """Salience over recency: an anaphor takes the first compatible mention of the closest
    earlier sentence that has one (sentence-initial subjects come first), and in its own
    sentence only mentions of earlier clauses (阿里巴巴集团已向该公司注资: 该公司 is not
    阿里巴巴集团)."""
    names = sorted((m for m in kept if m.entity >= 0), key=lambda m: m.start)
    by_sentence: dict[int, list[Mention]] = {}
    for m in names:
        by_sentence.setdefault(state.sentence_at(m.start), []).append(m)
    taken = bytearray(len(state.text))
    for k in kept:
        taken[k.start : k.end] = b"\x01" * (k.end - k.start)
    for a in state.mentions:
        if a.kind != ANAPHOR or any(taken[a.start : a.end]):
            continue
        head = _head(a)
        si = state.sentence_at(a.start)
        sent_start = state.sentences[si][0] if state.sentences else 0
        clause = max(
            (m.end() for m in _CLAUSE.finditer(state.text, sent_start, a.start)),
            default=sent_start,
        )
        candidates = [
            m
            for m in by_sentence.get(si, [])
            if m.end <= clause and _compatible(state.entities[m.entity], a.label, head)
        ]
        back = si - 1
        while not candidates and back >= 0:
            candidates = [
                m
                for m in by_sentence.get(back, [])
                if _compatible(state.entities[m.entity], a.label, head)
            ]
            back -= 1
        if candidates:
            a.entity = candidates[0].entity


def _compatible(entity: EntityDraft, label: Label, head: str) -> bool:
    if label == Label.EVENT:
        return entity.label == Label.EVENT
    if entity.label != label:
        return False
    if head in _ANY_OF_LABEL or not head:
        return True
    return strip_qualifier(entity.name).endswith(head) or any(
        strip_qualifier(a).endswith(head) for a in entity.aliases
    )
