"""`innograph_technologies`: technology fields from the curated lexicon, plus `…技术` names.

Lexicon terms carry their canonical Chinese/English names and synonyms, so `AI`,
`artificial intelligence` and `人工智能` become one entity. The `…技术` pattern is deliberately
narrow: the words before 技术 must contain a technical morpheme (基因, 量子, 电池, ...) and
must not be an evaluative modifier (先进, 核心, 原创 ...), because most `X技术` in news are
"advanced technology" phrases, not fields.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import lexicon
from innograph.ingest.components.state import DocState, Mention, Token, state_of
from innograph.model import Label

LEXICON = "tech.lexicon"
PATTERN = "tech.suffix_pattern"

_TECH_MORPHEMES = re.compile(
    "基因|细胞|量子|纳米|激光|芯片|电池|材料|传感|通信|成像|储能|半导体|光学|光电|疫苗|诊断|"
    "算法|机器人|自动化|能源|氢|光伏|卫星|遥感|航天|航空|医药|制药|药物|蛋白|抗体|育种|发酵|"
    "合成|编辑|测序|晶圆|封装|显示|雷达|导航|无人|智能|数字|网络|云|区块链|核|聚变|碳|锂|"
    # Taiwan and Hong Kong words for the same fields (晶片 chip, 物联网, 影像 imaging)
    "晶片|物联网|影像|大数据"
)
_NOT_FIELDS = re.compile(
    "^(?:先进|核心|关键|顶尖|原创|前沿|共性|新|高|尖端|成熟|领先|相关|主要|重大|国际|国内|海外|"
    "产业|科研|创新|应用|基础|底层|自主|专利|实用|配套|支撑|全新|这项|该项|此项|各项|多项)"
)
_SUFFIX = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,8}?)技术")
_NOUNISH = ("n", "v", "vn", "nz", "l", "j", "b", "?", "eng")


@Language.component("innograph_technologies")
def technologies_component(doc: Doc) -> Doc:
    state = state_of(doc)
    gazetteer = lexicon.technologies()
    text = state.text
    for match in gazetteer.pattern.finditer(text):
        term = gazetteer.lookup(match.group())
        if term is None:
            continue
        end = match.end()
        aliases = term.forms
        if text.startswith("技术", end):  # 自动驾驶技术: one mention, the long form an alias
            aliases = (*aliases, text[match.start() : end + 2])
            end += 2
        state.add(
            Mention(
                match.start(),
                end,
                Label.TECHNOLOGY,
                LEXICON,
                0.95,
                canonical=term.name_for(state.lang),
                aliases=aliases,
            )
        )
    if state.tokens:
        _suffix_pattern(state)
        _list_items(state)
        _last_items(state)
        _focus_objects(state)
    elif state.lang == "en":
        _en_focus_objects(state)
    return doc


LIST_ITEM = "tech.list_item"
_LIST_SEP = "、"
_ITEM_TAGS = ("n", "nz", "vn", "eng", "?", "j", "b")


def _list_items(state: DocState) -> None:
    """In an enumeration (量子计算机、量子芯片和量子软件), an item is one technology even when
    the lexicon knows only part of it (芯片): the known term grows to the item's nouns."""
    text = state.text
    if _LIST_SEP not in text:
        return
    toks = state.tokens
    for m in [m for m in state.mentions if m.label == Label.TECHNOLOGY and m.extractor == LEXICON]:
        first, last = state.token_at(m.start), state.token_at(m.end - 1)
        if first < 0:
            continue
        start, end = toks[first].start, toks[last].end
        if text[start:end] != text[m.start : m.end] and not (
            toks[first].pos.startswith(_ITEM_TAGS) and toks[last].pos.startswith(_ITEM_TAGS)
        ):
            continue
        k = first - 1
        while (
            k >= 0
            and first - k <= 2
            and _item_word(toks[k].text, toks[k].pos)
            and not toks[k].pos.startswith("vn")  # 重点发展/vn + 新材料: a verb, not a modifier
        ):
            start, k = toks[k].start, k - 1
        if (start, end) == (m.start, m.end):
            continue
        before, after = text[start - 1 : start], text[end : end + 1]
        if _LIST_SEP not in (before, after) or end - start > 10:
            continue  # only inside an enumeration, where items are bounded by its separators
        item = text[start:end]
        if any(
            o.label != Label.TECHNOLOGY and o.start < end and start < o.end for o in state.mentions
        ):
            continue
        state.add(
            Mention(start, end, Label.TECHNOLOGY, LIST_ITEM, 0.7, canonical=item, aliases=(item,))
        )


def _item_word(text: str, pos: str) -> bool:
    if not pos.startswith(_ITEM_TAGS) or text in lexicon.name_blockers():
        return False
    if text in _trigger_words() or text.endswith(("于", "的")):
        return False  # 致力于/n: jieba's tag is wrong, the word is a verb
    return _is_word(text) and not text.isdigit()


@cache
def _trigger_words() -> frozenset[str]:
    return frozenset(
        w
        for families in lexicon.relation_triggers().values()
        for family, words in families.items()
        if family.startswith("zh")
        for w in words
    )


_LAST_ITEM = re.compile(r"(?:和|及|以及|与|、)")
_ITEM_END = "的等，。、；,;）)"


def _last_items(state: DocState) -> None:
    """A、B和C where A and B are technologies: C is one too, when it is a short run of nouns
    closed by 的/等/punctuation (量子计算机、量子芯片和量子软件的研发)."""
    text, toks = state.text, state.tokens
    techs = sorted(
        (m for m in state.mentions if m.label == Label.TECHNOLOGY), key=lambda m: m.start
    )
    taken = bytearray(len(text))
    for m in state.mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    for a, b in zip(techs, techs[1:], strict=False):
        if text[a.end : b.start] != _LIST_SEP:
            continue
        sep = _LAST_ITEM.match(text, b.end)
        if sep is None or sep.group() == _LIST_SEP:
            continue
        k = state.token_at(sep.end())
        if k < 0 or k >= len(toks) or toks[k].start != sep.end():
            continue
        start = end = sep.end()
        while k < len(toks) and _item_word(toks[k].text, toks[k].pos) and end - start < 8:
            end, k = toks[k].end, k + 1
        if end == start or end >= len(text):
            continue
        if text[end] not in _ITEM_END and not (k < len(toks) and toks[k].pos.startswith("v")):
            continue  # the item ends at 的/等/punctuation or a verb (和智能装备开展攻关)
        if taken.find(1, start, end) >= 0 or end - start < 2:
            continue
        item = text[start:end]
        state.add(
            Mention(start, end, Label.TECHNOLOGY, LIST_ITEM, 0.65, canonical=item, aliases=(item,))
        )


def _suffix_pattern(state: DocState) -> None:
    """`海洋遥感技术`-style names: the tokens right before 技术, kept only when technical."""
    known = [(m.start, m.end) for m in state.mentions if m.label == Label.TECHNOLOGY]
    for i, tok in enumerate(state.tokens):
        if tok.text != "技术" or i == 0:
            continue
        start = tok.start
        for j in (i - 1, i - 2):
            if j < 0 or not state.tokens[j].pos.startswith(_NOUNISH):
                break
            if not _is_word(state.tokens[j].text):
                break
            start = state.tokens[j].start
        body = state.text[start : tok.start]
        if not body or _NOT_FIELDS.search(body) or not _TECH_MORPHEMES.search(body):
            continue
        if any(s < tok.end and start < e for s, e in known):
            continue
        name = state.text[start : tok.end]
        state.add(Mention(start, tok.end, Label.TECHNOLOGY, PATTERN, 0.6, canonical=name))


def _is_word(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or ch.isalnum() for ch in text)


FOCUS_OBJECT = "tech.focus_object"
# The objects of a focus verb (聚焦A、B和C, 从事A研究, 在A和B方面) are the fields the subject
# works on: each listed item is one technology even when the lexicon knows only part of it
# (稀土 in 稀土永磁材料) or none of it. Items end at punctuation, 的/等, a measure word
# (三个方向) or a clause verb; generic tails (研究, 领域) are not part of the name.
_ZH_ITEM_SEP = frozenset(["、", "和", "及", "以及", "与"])
# (二氧化碳资源化利用)技术研发: 技术 before a generic tail is part of the tail
_ZH_ITEM_TAIL = re.compile(
    r"(?:等|的)?(?:技术(?=研究|研发|开发|领域|方向|方面|产业|应用|服务))?"
    r"(?:研究|研发|开发|领域|方向|方面|产业|应用|服务|业务)+$"
)
_ZH_CLAUSE_VERBS = frozenset(
    [
        "提供",
        "开展",
        "进行",
        "实现",
        "推动",
        "推进",
        "打造",
        "建设",
        "形成",
        "提升",
        "攻关",
        "合作",
        "发布",
        "获得",
        "取得",
        "建立",
        "签署",
        "加快",
        "培育",
        "带动",
        "引进",
        "服务",
        "支持",
        "承担",
        "完成",
        "参与",
    ]
)
# Technical heads that make an item a field even without a technical morpheme (煤气化, 抗肿瘤药物).
_TECH_HEADS = re.compile(
    r"(?:材料|器件|装备|设备|电机|合金|药物|产物|系统|仪器|传感器|电解质|利用|化|制造|工程|医疗|"
    r"农业|检测|监测|测量|计算|技术|工艺|软件|硬件|模组|照护|护理|器|机)$"
)
_ITEM_MAX = 10


@cache
def _focus_trigger_regex() -> re.Pattern[str]:
    words = lexicon.relation_triggers().get("FOCUSES_ON", {}).get("zh_object", [])
    weak = {"面向"}  # 面向全国高校: an audience as often as a field
    body = lexicon.trie_regex(sorted((w for w in words if w not in weak), key=len, reverse=True))
    return re.compile(body)


def _technical(item: str) -> bool:
    return bool(_TECH_MORPHEMES.search(item) or _TECH_HEADS.search(item))


def _focus_objects(state: DocState) -> None:
    text, toks = state.text, state.tokens
    others = [m for m in state.mentions if m.label != Label.TECHNOLOGY]
    for trig in _focus_trigger_regex().finditer(text):
        k = state.token_at(trig.end())
        if k < 0 or k >= len(toks) or toks[k].start != trig.end():
            continue  # the trigger ends inside a word
        if (
            state.token_at(trig.start()) < 0
            or toks[state.token_at(trig.start())].start != trig.start()
        ):
            continue
        for start, end in _zh_items(text, toks, k):
            item = text[start:end]
            if not (2 <= len(item) <= _ITEM_MAX) or not _technical(item):
                continue
            if any(o.start < end and start < o.end for o in others):
                continue
            if any(
                m.label == Label.TECHNOLOGY and (m.start, m.end) == (start, end)
                for m in state.mentions
            ):
                continue  # the lexicon's own term, with its canonical name
            state.add(Mention(start, end, Label.TECHNOLOGY, FOCUS_OBJECT, 0.6, canonical=item))


def _zh_items(text: str, toks: list[Token], k: int) -> list[tuple[int, int]]:
    """The items of the enumeration starting at token `k`, as (start, end) spans."""
    items: list[tuple[int, int]] = []
    start = end = -1
    while k < len(toks):
        tok = toks[k]
        word, pos = tok.text, tok.pos
        closing = word not in _ZH_ITEM_SEP and (
            word in ("的", "等", "地")
            or pos.startswith(("m", "u", "p", "d", "r"))
            or not _is_word(word)
            or (start >= 0 and word in _ZH_CLAUSE_VERBS)
        )
        if word in _ZH_ITEM_SEP or closing:
            if start >= 0:
                items.append((start, end))
            start = end = -1
            if closing:
                break
            k += 1
            continue
        if start < 0:
            if pos.startswith("v") and not pos.startswith("vn"):
                break  # 从事/开展...: a verb phrase, not a field
            start = tok.start
        end = tok.end
        k += 1
        if end - start > _ITEM_MAX + 4:
            return items
    else:
        if start >= 0:
            items.append((start, end))
    out = []
    for s, e in items:
        m = _ZH_ITEM_TAIL.search(text, s, e)
        if m is not None and m.start() > s and m.end() == e:
            e = m.start()
        out.append((s, e))
    return out


# English objects of a focus verb (focus on sodium-ion batteries, battery recycling and X):
# lower-case noun phrases of two to four words (or one written like a term: LiDAR), listed
# with commas/and, ending at punctuation or a function word.
_EN_ITEM_STOP = frozenset(
    [
        "for",
        "to",
        "in",
        "at",
        "that",
        "which",
        "with",
        "from",
        "by",
        "on",
        "of",
        "as",
        "within",
        "across",
        "using",
        "into",
        "who",
        "whose",
        "while",
        "where",
        "when",
        "than",
        "through",
        "under",
        "over",
        "via",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "can",
        "could",
        "has",
        "have",
        "had",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "these",
        "those",
        "the",
        "a",
        "an",
    ]
)
_EN_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[A-Za-z]*[A-Z][A-Za-z0-9]*")
_EN_SEP = re.compile(r"\s*(?:,\s+and\s+|,\s+or\s+|,\s+|\s+and\s+|\s+or\s+)")
_EN_GENERIC = frozenset(
    [
        "research",
        "work",
        "products",
        "product",
        "solutions",
        "services",
        "technology",
        "technologies",
        "projects",
        "business",
        "areas",
        "fields",
        "things",
        "ways",
        "applications",
        "systems",
    ]
)


@cache
def _en_focus_regex() -> re.Pattern[str]:
    words = lexicon.relation_triggers().get("FOCUSES_ON", {}).get("en_object", [])
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"\b(?:" + body + r")\s+")


def _en_focus_objects(state: DocState) -> None:
    text = state.text
    for trig in _en_focus_regex().finditer(text):
        pos = trig.end()
        while True:
            words: list[tuple[int, int]] = []
            p = pos
            while True:
                w = _EN_WORD.match(text, p)
                if w is None or w.group() in _EN_ITEM_STOP or w.group().lower() in ("the", "a"):
                    break
                words.append(w.span())
                p = w.end()
                if not text.startswith(" ", p) or len(words) == 5:
                    break
                p += 1
            if not words or len(words) > 4:
                break
            start, end = words[0][0], words[-1][1]
            item = text[start:end]
            term_like = len(words) >= 2 or any(c.isupper() for c in item[1:])
            if item.split()[-1] in _EN_GENERIC or item[0].isupper() and len(words) > 1:
                break
            clash = [m for m in state.mentions if m.start < end and start < m.end]
            if any(m.label != Label.TECHNOLOGY for m in clash):
                break
            if term_like and not clash:
                state.add(Mention(start, end, Label.TECHNOLOGY, FOCUS_OBJECT, 0.6, canonical=item))
            sep = _EN_SEP.match(text, end)
            if sep is None:
                break
            pos = sep.end()
