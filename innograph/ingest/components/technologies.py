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
from innograph.ingest.components.state import DocState, Mention, state_of
from innograph.model import Label

LEXICON = "tech.lexicon"
PATTERN = "tech.suffix_pattern"

_TECH_MORPHEMES = re.compile(
    "基因|细胞|量子|纳米|激光|芯片|电池|材料|传感|通信|成像|储能|半导体|光学|光电|疫苗|诊断|"
    "算法|机器人|自动化|能源|氢|光伏|卫星|遥感|航天|航空|医药|制药|药物|蛋白|抗体|育种|发酵|"
    "合成|编辑|测序|晶圆|封装|显示|雷达|导航|无人|智能|数字|网络|云|区块链|核|聚变|碳|锂"
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
