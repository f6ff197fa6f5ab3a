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
    _cluster(state, kept)
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
    orgs = [m for m in mentions if m.label in (*_ORGS, Label.EVENT) and m.kind == NAME]
    for outer in orgs:
        for inner in orgs:
            if inner is outer or inner.start != outer.start or inner.end >= outer.end:
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
    for m in order:
        if any(m.overlaps(k) for k in kept):
            continue
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


def _english_short_forms(state: DocState, kept: list[Mention]) -> list[Mention]:
    """`Zoetis` after `Zoetis Inc.`, `Li` after `Li Wei`: standalone reuse of a name's first
    word (organisations) or any word (people) is a short form of that entity."""
    text = state.text
    extra: list[Mention] = []
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
                short = Mention(use.start(), use.end(), m.label, "ref.short_form", 0.7, kind=SHORT)
                if any(short.overlaps(k) for k in kept) or any(short.overlaps(x) for x in extra):
                    continue
                short.props["short_of"] = m.start
                extra.append(short)
    state.mentions.extend(extra)
    return sorted(kept + extra, key=lambda m: m.start)


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
        entity.aliases = [a for a in entity.aliases if name_key(a) != name_key(entity.name)]
        entity.aliases = list(dict.fromkeys(entity.aliases))


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


def _anaphors(state: DocState, kept: list[Mention]) -> None:
    names = sorted((m for m in kept if m.entity >= 0), key=lambda m: m.start)
    for a in state.mentions:
        if a.kind != ANAPHOR or any(a.overlaps(k) for k in kept):
            continue
        head = _head(a)
        for m in reversed(names):
            if m.start >= a.start:
                continue
            entity = state.entities[m.entity]
            if not _compatible(entity, a.label, head):
                continue
            a.entity = m.entity
            break


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
