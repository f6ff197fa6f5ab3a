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
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import abbreviations, lexicon
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
_ORGS_AND_EVENTS = frozenset((*_ORGS, Label.EVENT))
_NAMED_ACTORS = frozenset((*_ORGS, *_PEOPLE))
_QUALIFIER = re.compile(r"[(（][^()（）]{1,8}[)）]$")
# Anaphor heads that point at any entity of their label, not only names ending with them.
_ANY_OF_LABEL = frozenset(
    ["公司", "企业", "集团", "盛会", "会议", "峰会", "大会", "论坛", "博览会", "company", "firm"]
    # 园区: any park (合肥云谷未来产业园, 松山湖高新区, 天府国际生物城)
    + ["园区"]
    + ["startup", "group", "summit", "conference", "forum", "expo", "institute", "university"]
    + ["college", "academy", "park", "ministry", "department", "agency", "campus", "lab"]
    + ["laboratory", "centre", "center", "commission", "council", "programme", "program"]
    + ["fund", "initiative", "consortium", "network", "start-up", "spin-out", "spinout"]
    + ["spin-off"]
    # every English anaphor head: "the society" is the Royal Society of Edinburgh
    + ["society", "association", "foundation", "alliance", "hub", "incubator", "accelerator"]
    + ["district", "hospital", "school", "symposium", "congress", "exhibition", "fair"]
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
    names = _declared_translations(state, names)
    _expand_known_prefixes(state, names)
    if state.tokens:
        names += abbreviations.derive(state, names)
        names += abbreviations.derive_schools(state, names)
        abbreviations.expand_park_prefix(state, names)
    names = _drop_generic_phrases(state, names)
    if state.lang == "en":
        names += _coordinated_names(state, names)
    names = _drop_unsupported_generics(names, state.text)
    _nesting(names)
    kept = _resolve_overlaps(names)
    if state.lang == "en" or any(m.label in _ORGS for m in kept):
        kept = _english_short_forms(state, kept)
        kept = _chinese_short_forms(state, kept)
        kept = _foreign_short_forms(state, kept)
    _cluster(state, kept)
    _parents(state, kept)
    _anaphors(state, kept)
    return doc


def surface(state: DocState, m: Mention) -> str:
    return state.text[m.start : m.end]


@lru_cache(maxsize=1 << 14)
def strip_qualifier(name: str) -> str:
    return _QUALIFIER.sub("", name) if name.endswith((")", "）")) else name


@lru_cache(maxsize=1 << 14)
def _bare_key(name: str) -> str:
    return name_key(strip_qualifier(name))


def _head(m: Mention) -> str:
    return str(m.props.get("head", ""))


_PAREN = re.compile(r"\s?[(（]([^()（）]{2,60})[)）]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _declared_translations(state: DocState, names: list[Mention]) -> list[Mention]:
    """`Shanghai Institute of Quantum Materials (上海量子材料研究院)`, `周立衡(Zhou Liheng)`:
    a bracket right after a name, in the other script, names the same entity. The bracketed
    form becomes an alias, and a mention found inside the bracket joins the outer entity."""
    text = state.text
    by_span = {(m.start, m.end): m for m in names}
    swallowed: list[tuple[int, int]] = []  # bracketed names: nothing inside is separate
    for m in names:
        if m.kind != NAME or m.label in (Label.PLACE, Label.TECHNOLOGY):
            continue
        p = _PAREN.match(text, m.end)
        if p is None:
            continue
        inner = p.group(1).strip()
        outer_han = bool(_HAN.search(text[m.start : m.end]))
        inner_han = bool(_HAN.search(inner))
        if outer_han == inner_han or lexicon.places().lookup(inner) is not None:
            continue  # same script: an abbreviation or a qualifier, handled elsewhere
        if not inner_han and not inner[:1].isupper():
            continue  # (in 2019), (see below) ...
        m.aliases = (*m.aliases, inner)
        if inner_han and not m.canonical:
            # canonical names are Simplified Chinese for Chinese names, whatever the
            # document's language, so every document yields the same name for the entity
            m.canonical = inner
        inside = by_span.get((p.start(1), p.end(1)))
        if inside is not None and FAMILY_OF[inside.label] == FAMILY_OF[m.label]:
            inside.label = m.label
            inside.kind = SHORT
            inside.generic = False
            inside.props["short_of"] = m.start
        swallowed.append(p.span(1))
    if not swallowed:
        return list(names)  # what the filter below keeps when nothing was bracketed
    return [
        m
        for m in names
        if (m.props.get("short_of") is not None and m.kind == SHORT)
        or not any(s <= m.start and m.end <= e and (m.start, m.end) != (s, e) for s, e in swallowed)
        and not any((m.start, m.end) == (s, e) and m.label == Label.PLACE for s, e in swallowed)
    ]


def _expand_known_prefixes(state: DocState, names: list[Mention]) -> None:
    """`中科院上海分院` is also `中国科学院上海分院`: a name opening with a known abbreviation
    gets the expanded form as an alias, so both spellings reach one entity."""
    known = lexicon.known_orgs()
    for m in names:
        if m.label not in _ORGS or m.kind != NAME or m.canonical:
            continue
        surf = state.text[m.start : m.end]
        lead = known.pattern.match(surf)
        if lead is None or lead.end() >= len(surf):
            continue
        term = known.lookup(lead.group())
        if term is None or term.label == Label.FIRM:
            continue  # 中金资本 is a brand of its own, not 中金公司 + 资本
        full = term.name_for(state.lang)
        if full and full != lead.group():
            # the expanded form is the canonical name, whichever spelling this text used
            m.canonical = full + surf[lead.end() :]


_EN_CAP_RUN = re.compile(r"(?<![A-Za-z\-'’])[A-Z][A-Za-z0-9\-]+(?:\s+[A-Z][A-Za-z0-9\-]+){0,2}")
_EN_AND_BEFORE = re.compile(r"(?:,\s+|,?\s+and\s+)(?:the\s+)?$")
_EN_AND_AFTER = re.compile(r"^(?:,\s+|,?\s+and\s+)(?:the\s+)?")
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ese|ian|ish|ean|ch|ic|an|i)")
_LOWER_NEXT = re.compile(r" (?!and\b|or\b)[a-z]")


def _coordinated_names(state: DocState, names: list[Mention]) -> list[Mention]:
    """ "a partnership with Vattenfall and the Technical University of Munich": an unknown
    capitalised name coordinated with an organisation is an organisation (a firm: it has no
    head word that would say otherwise). Never at a sentence start or after a title."""
    text = state.text
    taken = bytearray(len(text))
    for m in names:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    orgs = [m for m in names if m.label in _ORGS and m.kind == NAME]
    if not orgs:
        return []
    added: list[Mention] = []
    for run in _EN_CAP_RUN.finditer(text):
        start, end = run.span()
        if taken.find(1, start, end) >= 0 or run.group().split()[0] in _EN_COMMON:
            continue
        if start < 2 or text[start - 2 : start] == ". " or text[start - 1] == "\n":
            continue
        before, after = text[max(0, start - 12) : start], text[end : end + 12]
        b, a = _EN_AND_BEFORE.search(before), _EN_AND_AFTER.match(after)
        partner = None
        if b is not None:
            partner = next((o for o in orgs if o.end == start - len(b.group())), None)
        if partner is None and a is not None:
            partner = next((o for o in orgs if o.start == end + len(a.group())), None)
        if partner is None or lexicon.places().lookup(run.group()) is not None:
            continue
        if _DEMONYM.fullmatch(run.group()) and _LOWER_NEXT.match(text, end):
            continue  # "and the Portuguese innovation agency ANI": an adjective, not a name
        if any(w in lexicon.en_org_heads().label_of for w in run.group().split()):
            continue
        short = Mention(start, end, Label.FIRM, "org.en_coordinated", 0.6)
        taken[start:end] = b"\x01" * (end - start)
        added.append(short)
    state.mentions.extend(added)
    return added


# Words before a generic phrase that keep it generic (国家有关部门, 本市科创机构, 第一次全体大会).
_GENERIC_QUALIFIER = re.compile(
    r"^(?:国家|本市|全市|本省|全省|全国|各级|各类|各地|各大|地方|我国|国内|海外|境外|相关|有关|多家|"
    r"一批|一些|部分|其他|其它|上述|该|本|各|诸多|众多|重点|知名|第[一二三四五六七八九十0-9]+次|首次|"
    r"[0-9]+家|[一二三四五六七八九十两几]+家)*"
)


@lru_cache(maxsize=1 << 14)
def generic_phrase(surface: str) -> bool:
    """Whether an organisation-like surface names a kind, not one organisation."""
    lead = _GENERIC_QUALIFIER.match(surface)
    rest = surface[lead.end() :] if lead is not None else surface
    return rest in lexicon.generic_phrases()


def _drop_generic_phrases(state: DocState, names: list[Mention]) -> list[Mention]:
    """国家有关部门, 科创机构, 研究所 alone, 第一次全体大会: kinds of organisation or event
    fragments, whichever rule or model proposed them, are not entities. Gazetteer names and
    declared forms are kept."""
    text = state.text
    out = []
    for m in names:
        if (
            m.label in _ORGS_AND_EVENTS
            and m.kind == NAME
            and not m.canonical
            and "\u4e00" <= text[m.start] <= "\u9fff"
            and generic_phrase(text[m.start : m.end])
        ):
            continue
        out.append(m)
    return out


def _drop_unsupported_generics(mentions: list[Mention], text: str) -> list[Mention]:
    if not any(m.generic for m in mentions):
        return list(mentions)
    # (mention, its name key) of every specific name, keyed once for all generics
    specific = [
        (m, name_key(text[m.start : m.end]))
        for m in mentions
        if not m.generic and m.label != Label.PLACE
    ]
    out = []
    for m in mentions:
        if m.generic:
            key = name_key(text[m.start : m.end])
            support = [
                s
                for s, s_key in specific
                if s.label == m.label
                and key in s_key
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
        if m.kind == NAME and m.label in _ORGS_AND_EVENTS:
            by_start.setdefault(m.start, []).append(m)
    pairs = [(o, i) for group in by_start.values() if len(group) > 1 for o in group for i in group]
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
        if taken.find(1, m.start, m.end) >= 0:
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
    taken: bytearray | None = None  # built on the first candidate word (none in most zh text)
    for m in kept:
        name = text[m.start : m.end]
        if not name.isascii() or m.kind != NAME:
            continue
        words = name.split()
        if m.label in _ORGS and len(words) >= 2:
            # Bristol of Bristol Private Equity Club and Bristol Robotics Laboratory: a first
            # word two names share calls neither
            shared = any(
                k is not m
                and k.label in _ORGS
                and text[k.start : k.end].split()[0] == words[0]
                and text[k.start : k.end] != name
                for k in kept
            )
            # a city opening the name (Bristol Robotics Laboratory) standing alone is the city
            place = lexicon.places().lookup(words[0].removesuffix("'s")) is not None
            candidates = [] if shared or place else [words[0]]
            lead = _EN_LEAD_OF.match(name)
            if lead is not None and lexicon.places().lookup(lead.group(1)) is None:
                candidates = [lead.group(1)]  # "vice-principal at Strathclyde"
        elif m.label in _ORGS and m.extractor == "org.en_apposition":
            candidates = words  # "Northwind, a Shanghai robotics company" ... Northwind
        elif m.label in (Label.PERSON, Label.ACADEMICIAN) and len(words) >= 2:
            candidates = words
        else:
            continue
        for word in candidates:
            if len(word) < 2 or word in _EN_COMMON or not word[:1].isupper():
                continue
            if taken is None:
                taken = _taken_mask(len(text), kept)
            pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
            extra += _short_form_uses(text, pattern, m, taken)
    state.mentions.extend(extra)
    return sorted(kept + extra, key=lambda m: m.start)


def _taken_mask(size: int, kept: list[Mention]) -> bytearray:
    """One byte per character of the text, set where a kept mention stands."""
    taken = bytearray(size)
    for k in kept:
        taken[k.start : k.end] = b"\x01" * (k.end - k.start)
    return taken


def _short_form_uses(text: str, pattern: str, of: Mention, taken: bytearray) -> list[Mention]:
    """Short forms of `of` wherever `pattern` matches text no mention covers yet (and marks
    them taken)."""
    found: list[Mention] = []
    for use in re.finditer(pattern, text):
        if any(taken[use.start() : use.end()]):
            continue
        short = Mention(use.start(), use.end(), of.label, "ref.short_form", 0.7, kind=SHORT)
        short.props["short_of"] = of.start
        taken[use.start() : use.end()] = b"\x01" * (use.end() - use.start())
        found.append(short)
    return found


def _foreign_short_forms(state: DocState, kept: list[Mention]) -> list[Mention]:
    """`别列津院士` after `伊戈尔·别列津`: a part of a transliterated name used on its own
    is a short form of that person (what no other mention covers)."""
    text = state.text
    if "·" not in text:
        return kept
    extra: list[Mention] = []
    taken: bytearray | None = None
    for m in kept:
        name = text[m.start : m.end]
        if m.label not in (Label.PERSON, Label.ACADEMICIAN) or m.kind != NAME or "·" not in name:
            continue
        for part in name.split("·"):
            if len(part) < 2 or not _HAN.match(part):
                continue
            if taken is None:
                taken = _taken_mask(len(text), kept)
            extra += _short_form_uses(text, rf"(?<!·){re.escape(part)}(?!·)", m, taken)
    state.mentions.extend(extra)
    return sorted(kept + extra, key=lambda m: m.start)


# "University of Strathclyde": one distinctive word after a lead head, used alone for it
_EN_LEAD_OF = re.compile(r"^(?:University|Institute|Academy) of ([A-Z][a-z]{3,})$")


_FIRM_TAILS = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司", "股份")


_INDUSTRY_TAILS = ("科技", "技术", "控股", "实业", "发展", "信息", "智能")


def _firm_cores(name: str) -> list[str]:
    """深圳市鹏芯微电子有限公司 -> 鹏芯微电子; 上海联影医疗科技股份有限公司 -> 联影医疗科技,
    联影医疗: what the text calls the firm for short."""
    core = re.sub(r"[(（][^()（）]{1,8}[)）]", "", name)
    for tail in _FIRM_TAILS:
        if core.endswith(tail):
            core = core[: -len(tail)]
            break
    lead = lexicon.places().pattern.match(core)
    if lead is not None and lead.end() < len(core):
        core = core[lead.end() :]
    cores = [core]
    for tail in _INDUSTRY_TAILS:
        if core.endswith(tail) and len(core) - len(tail) >= 2:
            cores.append(core[: -len(tail)])
            break
    return cores


def _leading_words(state: DocState, m: Mention) -> tuple[str, ...]:
    """The first jieba words of a firm's name after its place (合肥|本源|量子|计算|科技 ->
    本源, 量子, 计算): what a text calls the firm for short opens with them."""
    words: list[str] = []
    i = max(state.token_at(m.start), 0)
    toks = state.tokens
    while i < len(toks) and toks[i].end <= m.end and len(words) < 4:
        t = toks[i]
        if not (words == [] and lexicon.places().lookup(t.text) is not None):
            words.append(t.text)
        i += 1
    return tuple(words)


@lru_cache(maxsize=1 << 14)
def _short_form_pattern(
    name: str, words: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
    """The short forms of a firm's name and one pattern finding them (longest first wins):
    its cores (without legal form, place and industry word) and its first two or three
    words when they are longer than one word (本源量子 for 合肥本源量子计算科技有限责任公司)."""
    found = list(_firm_cores(name))
    for n in (3, 2):
        prefix = "".join(words[:n])
        if len(words) > n and len(prefix) >= 4 and not prefix.endswith(_FIRM_TAILS):
            found.append(prefix)
    cores = tuple(dict.fromkeys(c for c in found if len(c) >= 2 and c != name and _HAN.search(c)))
    if not cores:
        return cores, None
    return cores, re.compile("|".join(re.escape(c) for c in cores))


# 合肥云谷未来产业园 -> 云谷园: a park called by the first two characters of its own name
_PARK_TAIL = re.compile(
    r"(?:未来|高新|科技|科学|工业|产业|软件|创新|生态|智造|数字|国际|创业)*"
    r"(?:产业园|科技园|科学园|工业园|软件园|创新园|生态园|创业园)$"
)


@lru_cache(maxsize=1 << 12)
def _park_short_form_pattern(name: str) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
    """The short form of a park's name (place dropped, first two characters + 园), or none
    when the name has no word of its own before its head (苏州工业园区)."""
    core = name
    lead = lexicon.places().pattern.match(core)
    if lead is not None and lead.end() < len(core):
        core = core[lead.end() :]
    tail = _PARK_TAIL.search(core)
    if tail is None or tail.start() < 2 or not all(_HAN.match(c) for c in core[:2]):
        return (), None
    short = core[:2] + "园"
    if short == name:
        return (), None
    return (short,), re.compile(re.escape(short))


def _chinese_short_forms(state: DocState, kept: list[Mention]) -> list[Mention]:
    text = state.text
    extra: list[Mention] = []
    owner: list[int] | None = None  # built on the first firm that has short forms
    dropped: set[int] = set()
    uses_of: dict[str, list[tuple[int, int]]] = {}  # a firm named twice: the text read once
    for m in kept:
        if m.label not in (Label.FIRM, Label.PARK) or m.kind != NAME:
            continue
        name = text[m.start : m.end]
        if name.isascii():
            continue
        if m.label == Label.PARK:
            cores, pattern = _park_short_form_pattern(name)
        else:
            cores, pattern = _short_form_pattern(name, _leading_words(state, m))
        if pattern is None:
            continue
        # the bare firm name is an alias even when this text never uses it: other documents
        # do (晶准半导体 for 晶准半导体股份有限公司), and resolution matches on aliases
        m.aliases = (*m.aliases, *cores)
        if owner is None:
            owner = _owners(kept, len(text))
        uses = uses_of.get(name)
        if uses is None:
            uses = uses_of[name] = [use.span() for use in pattern.finditer(text)]
        for start, end in uses:
            clash = set(owner[start:end])
            clash.discard(-1)
            if any(
                not (start <= kept[k].start and kept[k].end <= end)
                or kept[k].label in _NAMED_ACTORS
                or k in dropped
                for k in clash
            ):
                continue  # only a technology/place strictly inside gives way (微电子)
            dropped.update(clash)
            short = Mention(start, end, m.label, "ref.short_form", 0.75, kind=SHORT)
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
    alias_sets: dict[int, dict[str, None]] = {}  # entity -> aliases in first-seen order
    seen_alias_sets: set[tuple[int, int]] = set()
    entities = state.entities
    original = state.traditional or text  # as `state.original` reads it
    for m in order:
        start, end = m.start, m.end
        surf = text[start:end]
        family = FAMILY_OF[m.label]
        target = _find(state, m, surf, family, by_key, by_start)
        if target < 0 and m.kind == NAME:
            # 绵阳市科协 in a headline, with its full form 绵阳市科学技术协会 as a derived
            # alias: the entity of that full form, not a second one
            target = next(
                (t for a in m.aliases if (t := by_key.get((family, name_key(a)), -1)) >= 0), -1
            )
        if target < 0:
            name = m.canonical or surf
            target = len(entities)
            entities.append(
                EntityDraft(
                    name=name, label=m.label, extractor=m.extractor, confidence=m.confidence
                )
            )
        entity = entities[target]
        m.entity = target
        entity.mentions.append(position[id(m)])
        if m.label == Label.ACADEMICIAN and entity.label == Label.PERSON:
            entity.label = Label.ACADEMICIAN
        if m.confidence > entity.confidence:  # max(), keeping the first of equals
            entity.confidence = m.confidence
        known = alias_sets.get(target)
        if known is None:
            known = alias_sets[target] = {}
        seen = (target, id(m.aliases))
        if seen in seen_alias_sets:  # one tech seen 5 times: its aliases once
            forms: tuple[str, ...] = (surf, original[start:end], strip_qualifier(surf))
        else:
            seen_alias_sets.add(seen)
            forms = (surf, original[start:end], strip_qualifier(surf), *m.aliases)
        for form in forms:
            if form and form not in known:
                known[form] = None
                by_key.setdefault((family, name_key(form)), target)
        titles = m.props.get("titles") if m.props else None
        for title in titles or ():
            entity.props.setdefault("titles", [])
            if title not in entity.props["titles"]:
                entity.props["titles"].append(title)
        by_start[start] = target
    for i, entity in enumerate(state.entities):
        # exact comparison: the Traditional form shares the name's key but is kept as an alias
        entity.aliases = [a for a in alias_sets.get(i, {}) if a != entity.name]


def _parents(state: DocState, kept: list[Mention]) -> None:
    """Give the parent named at the start of a longer name (俄罗斯科学院 in
    俄罗斯科学院远东分院) its own entity, for PART_OF."""
    position: dict[int, int] | None = None  # built for the first parent (most texts have none)
    for m in kept:
        parent = m.props.get("parent")
        if not isinstance(parent, Mention) or m.entity < 0:
            continue
        if position is None:
            position = {id(x): i for i, x in enumerate(state.mentions)}
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
        if id(parent) not in position:
            position[id(parent)] = len(state.mentions)
            state.mentions.append(parent)
        parent.entity = -1  # nested inside the child's span: not a mention of its own
        state.entities[found].mentions.append(position[id(parent)])
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
        if form:
            found = by_key.get((family, name_key(form)))
            if found is not None:
                return found
    if m.props:
        for ref in ("of", "short_of"):
            if ref in m.props and m.props[ref] in by_start:
                return by_start[m.props[ref]]
    if m.label in _ORGS_AND_EVENTS:
        found_in = _containing(state, m, surf)
        if found_in >= 0 or not (m.label in _ORGS and surf.isascii() and " " not in surf):
            return found_in
    if m.label in _PEOPLE and surf.isascii() and " " not in surf:
        return _person_with_word(state, surf)
    if m.label in _PEOPLE and "·" not in surf and not surf.isascii():
        return _foreign_person_with_part(state, surf)
    if m.label in _ORGS and surf.isascii() and " " not in surf:
        # Kestrel after Kestrel Biologics: an organisation called by its first word
        found = [
            i
            for i, e in enumerate(state.entities)
            if e.label in _ORGS and e.name.startswith(surf + " ")
        ]
        return found[0] if len(found) == 1 else -1
    return -1


def _foreign_person_with_part(state: DocState, part: str) -> int:
    """`帕夫洛娃` (帕夫洛娃院士团队) is the person named `伊琳娜·帕夫洛娃`, when exactly one
    person of the document has that part in a transliterated name."""
    found = [
        i
        for i, e in enumerate(state.entities)
        if e.label in _PEOPLE and "·" in e.name and part in e.name.split("·")
    ]
    return found[0] if len(found) == 1 else -1


def _person_with_word(state: DocState, word: str) -> int:
    """`Porter` (after "Dr Porter") is the person whose full name has that word, when exactly
    one person of the document has it."""
    found = [
        i
        for i, e in enumerate(state.entities)
        if e.label in _PEOPLE and " " in e.name and word in e.name.split()
    ]
    return found[0] if len(found) == 1 else -1


def _containing(state: DocState, m: Mention, surf: str) -> int:
    """The entity whose name contains `surf` with the same head and label (a short form)."""
    key = _bare_key(surf)
    if len(key) < 2:
        return -1
    best = -1
    for i, entity in enumerate(state.entities):
        if entity.label != m.label:
            continue
        full = _bare_key(entity.name)
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
    anaphors = [a for a in state.mentions if a.kind == ANAPHOR]
    if not anaphors:
        return
    names = sorted((m for m in kept if m.entity >= 0), key=lambda m: m.start)
    by_sentence: dict[int, list[Mention]] = {}
    for m in names:
        by_sentence.setdefault(state.sentence_at(m.start), []).append(m)
    taken = bytearray(len(state.text))
    for k in kept:
        taken[k.start : k.end] = b"\x01" * (k.end - k.start)
    for a in anaphors:
        if taken.find(1, a.start, a.end) >= 0:
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
        if head and state.lang == "en" and head in _ANY_OF_LABEL:
            named = _named_for(state, names, a, head)
            if named >= 0:
                a.entity = named
                continue
            if head in _EN_NAMED_HEADS:
                continue  # "the university" with no university named: no antecedent
        if a.label == Label.EVENT:
            # 创新创业周期间: the event whose name ends with these words, however far back
            surf = state.text[a.start : a.end]
            named = [
                m.entity
                for m in names
                if m.start < a.start
                and m.entity >= 0
                and state.entities[m.entity].label == Label.EVENT
                and state.entities[m.entity].name.endswith(surf)
            ]
            if named:
                a.entity = named[-1]
                continue
        if candidates:
            a.entity = candidates[0].entity


def _named_for(state: DocState, names: list[Mention], a: Mention, head: str) -> int:
    """English "the centre", "the spin-out": a name earlier in the text that ends with the
    head word (Eindhoven Centre for ...: a centre, not the university named since) is meant
    over a nearer entity of the label; for heads no name carries (company, spin-out), the
    entity of the label named most often so far (the article's subject), when one stands out."""
    word = head.lower()
    counts: dict[int, int] = {}
    named: dict[int, int] = {}  # entity carrying the head word -> times named so far
    for m in names:
        if m.start >= a.start:
            break
        entity = state.entities[m.entity]
        if m.kind == ANAPHOR:
            continue
        if entity.label != a.label and (entity.label not in _ORGS or a.label not in _ORGS):
            continue
        words = strip_qualifier(entity.name).lower().split()
        stem = _HEAD_STEMS.get(word, "")
        if (
            word in words
            or any(w.rstrip("s") == word for w in words)
            or (stem and any(w.startswith(stem) for w in words))
        ):
            # "the academy": Academia Europaea too; "the society": the Royal Society, whatever
            # label the rules gave the anaphor
            named[m.entity] = named.get(m.entity, 0) + 1
        if entity.label == a.label:
            counts[m.entity] = counts.get(m.entity, 0) + 1
    if named:
        # several centres: the one named most often, then the one named first (the article's
        # subject; later ones are usually its partners), not merely the nearest
        return max(named, key=lambda e: named[e])
    if word in _EN_NAMED_HEADS:
        return -1
    if len(counts) < 2:
        return -1
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] > ranked[1]:
        return max(counts, key=lambda e: counts[e])
    return -1


def _compatible(entity: EntityDraft, label: Label, head: str) -> bool:
    if label == Label.EVENT:
        return entity.label == Label.EVENT
    if entity.label != label:
        return False
    if head in _YOUNG_FIRM and entity.name.split()[-1] in _INVESTOR_WORDS:
        return False  # "the Pittsburgh-based startup" is never its investor Lux Capital
    if head in _ANY_OF_LABEL or not head:
        return True
    ends = _HEAD_FAMILY.get(head, (head,))
    return strip_qualifier(entity.name).endswith(ends) or any(
        strip_qualifier(a).endswith(ends) for a in entity.aliases
    )


# English anaphor heads that stand only for a name carrying the word (the university is never
# Corrie Labs); company, startup, group, fund ... may stand for any firm
_EN_NAMED_HEADS = frozenset(
    ["university", "college", "academy", "society", "association", "foundation", "hospital"]
    + ["school", "institute", "laboratory", "lab", "centre", "center", "park", "campus", "hub"]
    + ["incubator", "accelerator", "district"]
)
# Heads whose name may use another form of the word (the academy: Academia Sinica)
_HEAD_STEMS = {"academy": "academ", "university": "universit", "laboratory": "laborator"}
_YOUNG_FIRM = frozenset(["startup", "start-up", "spin-out", "spinout", "spin-off"])
_INVESTOR_WORDS = frozenset(
    ["Ventures", "Capital", "Partners", "Fund", "Investments", "Angels", "Equity", "Advisors"]
)


# One-character anaphor heads and the name heads they stand for (该校 = the university).
_HEAD_FAMILY: dict[str, tuple[str, ...]] = {
    "校": ("大学", "学院", "学校", "校"),
    "院": ("院",),
    "所": ("所",),
}
