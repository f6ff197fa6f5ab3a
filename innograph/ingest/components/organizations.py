"""`innograph_organizations`: institutes, firms, parks, events and government bodies.

Chinese names are found from their head (the suffix: 大学, 有限公司, 科创走廊, 峰会, 厅 ...,
see `lexicons/org_suffixes.tsv`) and extended leftwards over jieba tokens while they look like
name parts. Extension stops at punctuation, at words in `name_blockers.txt`, and at tokens whose
jieba tag marks a verb, adverb, preposition, pronoun or particle - so `依托G60科创走廊` gives
`G60科创走廊`, not `依托G60科创走廊`. A bracketed place inside or right after a name is part of it
(`卡尤迪生物科技(北京)有限公司`, `俄罗斯院士创新基地(中国)`); other brackets right after a name
declare an abbreviation or a translation (`中国科学院(中科院)`).

English names are capitalised word runs ending in a head word (College, Inc., Park, Summit)
or opening with one and continuing with "of"/"for" (University of Edinburgh).

Firms named by brand alone (华为, Goldman Sachs) come from the gazetteer
(`lexicons/known_firms.tsv`); a known brand followed by an industry word where a name can end
is a firm of its own (西门子医疗, 华为云), and an unknown word followed by one is too when
both parts look like a name (量衡科技).

Bare heads and determiner phrases (`基地`, `该基地`, `此次盛会`, `the institute`) become
anaphor mentions; `references` links them to an antecedent.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import abbreviations, document, english_orgs, lexicon
from innograph.ingest.components.state import ABBREV, ANAPHOR, DocState, Mention, Token, state_of
from innograph.model import Label

SUFFIX_RULE = "org.suffix"
KNOWN_RULE = "org.known"
BRAND_RULE = "org.brand"
EN_RULE = "org.en_heads"
EN_DESCRIBED_RULE = "org.en_apposition"
QUOTED_RULE = "org.quoted_name"
ANAPHOR_RULE = "ref.anaphor"

MAX_NAME_CHARS = 26

# Verbs jieba tags as verbs that are ordinary parts of names (科技创新峰会, 联合研究中心).
_NAME_VERBS = frozenset(
    [
        "创新",
        "联合",
        "发展",
        "合作",
        "研究",
        "研发",
        "开发",
        "转化",
        "孵化",
        "制造",
        "服务",
        "交流",
        "促进",
        "育成",
        "投资",
        "管理",
        "设计",
        "检测",
        "保护",
        "建设",
        "推广",
        "监督",
        "规划",
        "改革",
        "信息化",
        "营养",
        "健康",
        "生物",
        # nominal modifiers jieba tags as verbs (仿生研究所, 应用物理研究所, 智能制造中心)
        "仿生",
        "控股",
        "应用",
        "计算",
        "感知",
        "传感",
        "控制",
        "诊断",
        "治疗",
        "防治",
        "修复",
        "育种",
        "勘探",
        "测绘",
        "加工",
        "装备",
        "集成",
        "示范",
        "培育",
        "引领",
        "融合",
        "协同",
        "共享",
        "实验",
        "测试",
        "评价",
        "认证",
        "储能",
        "孵化器",
    ]
)
# jieba tags that end leftward extension (verbs, adverbs, prepositions, conjunctions,
# pronouns, particles, measure words, interjections, onomatopoeia). Time words are not here:
# 未来 in 杭州未来科技城 is a name part; 近日/今年 are in name_blockers.txt instead.
_STOP_TAGS = ("v", "d", "p", "c", "r", "u", "q", "y", "e", "o", "z", "ad", "ul", "uj")
# Tokens that end with a one-character head but are ordinary words (部署, 总部, 餐厅 ...).
NOT_NAMES = frozenset(
    [
        "部署",
        "签署",
        "总部",
        "内部",
        "外部",
        "全部",
        "部分",
        "东部",
        "西部",
        "南部",
        "北部",
        "中部",
        "干部",
        "局部",
        "局面",
        "大局",
        "格局",
        "布局",
        "结局",
        "当局",
        "餐厅",
        "大厅",
        "展厅",
        "客厅",
        "俱乐部",
        "本部",
        "各部",
        "全局",
        "开局",
        "部门",
        "总署",
    ]
)
_CONJUNCTIONS = frozenset(["与", "和", "及"])
CONJUNCTIONS = _CONJUNCTIONS  # for ner_merge
# A park's head used alone for the park (园区 = the park just named); as a whole word it never
# sits inside a longer name except right before the head (园区管委会).
_PARK_SHORT = frozenset(["园区", "开发区", "高新区", "新区", "自贸区", "示范区"])
# 三家银行, 两大园区: a count makes the noun after it plural and generic
_QUANTITY = re.compile(r"^[0-9０-９一二三四五六七八九十两几多数百千万]+[家个所位名些座大]$")
_OPEN, _CLOSE = "(（", ")）"
# Heads that may stand alone as anaphors (基地 = the base just named); one-character heads
# and 中心 are too common as plain words to do so without a determiner.
_DETERMINERS = re.compile(r"(?:该|此|本|这|其|此次|本次|这次|本届|此届|这家|该家|这所|该所)$")
_EN_ANAPHOR = re.compile(
    # (no verb among the modifiers: "the money would fund a line" has no anaphor)
    r"\b[Tt]he (?:(?:(?!(?:would|will|could|should|can|may|might|must|to|and|or|is|are|was|"
    r"were|also|has|have|had|did|does)\b)[a-z]+|[A-Z][a-z]+-[a-z]+) ){0,2}?(institute|college|university|academy|laboratory|lab|centre|center|company|firm|"
    r"startup|start-up|spin-out|spinout|spin-off|group|park|campus|summit|conference|forum|expo|ministry|department|agency|"
    r"commission|council|programme|program|fund|initiative|consortium|network|hub|incubator|"
    r"accelerator|district|hospital|school|association|society|foundation|alliance|"
    r"symposium|congress|exhibition|fair|event)\b"
)
_EN_ANAPHOR_LABEL = {
    **dict.fromkeys(
        ["institute", "college", "university", "academy", "laboratory", "lab", "centre", "center"],
        Label.INSTITUTE,
    ),
    **dict.fromkeys(
        ["company", "firm", "startup", "start-up", "spin-out", "spinout", "spin-off", "group"],
        Label.FIRM,
    ),
    **dict.fromkeys(["park", "campus", "hub", "incubator", "accelerator", "district"], Label.PARK),
    **dict.fromkeys(["hospital", "school"], Label.INSTITUTE),
    **dict.fromkeys(
        ["summit", "conference", "forum", "expo", "symposium", "congress", "exhibition", "fair"]
        + ["event"],
        Label.EVENT,
    ),
    **dict.fromkeys(
        ["ministry", "department", "agency", "commission", "council", "programme", "program"]
        + ["initiative", "consortium", "network", "association", "society", "foundation"]
        + ["alliance"],
        Label.ORGANIZATION,
    ),
    "fund": Label.FIRM,
}


@Language.component("innograph_organizations")
def organizations_component(doc: Doc) -> Doc:
    state = state_of(doc)
    _known(state)
    if state.tokens:
        _chinese(state)
        abbreviations.find_standalone(state)
        _quoted_names(state)
        _quoted_founded(state)
        _brand_firms(state)
        _short_anaphors(state)
    _english(state)
    _declared_abbreviations(state)
    return doc


# ---- well-known organisations and their abbreviations -----------------------------------


def _known(state: DocState) -> None:
    gazetteer = lexicon.known_orgs()
    for match in gazetteer.pattern.finditer(state.text):
        term = gazetteer.lookup(match.group())
        if term is None:
            continue
        surface = match.group()
        if term.label == Label.FIRM:
            if _brand_with_industry(state, match.start(), match.end()):
                continue
            if not _firm_form_stands(state, match.start(), match.end(), surface in term.weak):
                continue
        kind = ABBREV if surface not in (term.zh, term.en) and len(surface) <= 4 else "name"
        state.add(
            Mention(
                match.start(),
                match.end(),
                term.label,
                KNOWN_RULE,
                0.95,
                kind=kind,
                canonical=term.name_for(state.lang),
                aliases=term.forms,
            )
        )


# Industry words that make a known brand into the name of a firm or business unit (西门子医疗,
# 华为云, 比亚迪汽车). Product words (手机, 芯片, 软件) are left out: 华为手机 is a phone.
_BRAND_INDUSTRY = frozenset(
    ["科技", "医疗", "半导体", "汽车", "生物", "医药", "制药", "控股", "能源", "新能源", "电子"]
    + ["微电子", "光电", "通信", "金融", "证券", "保险", "物流", "云", "中国"]
)
_INDUSTRY_PATTERN = re.compile("|".join(sorted(_BRAND_INDUSTRY, key=len, reverse=True)))
# Capitalised words that may precede a firm name without being part of a longer name.
_EN_LEAD_OK = frozenset(
    ["The", "A", "An", "At", "In", "On", "By", "From", "With", "For", "And", "But", "As", "While"]
    + ["When", "After", "Before", "Both", "Rival", "Like", "Unlike", "Meanwhile", "Yesterday"]
    + ["Today", "Now", "Then", "Last", "Earlier", "Later", "Also", "So", "If", "Since", "Why"]
    + ["Because", "Although", "How", "Where", "Under", "Through", "Over", "Following", "Former"]
    + ["Chinese", "American", "European", "Japanese", "Korean", "German", "British", "French"]
    + ["Neither", "Either", "Only", "Even", "Investors", "Analysts", "Startup", "Giant"]
)

_EN_TITLES = frozenset(["Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mr", "Ms", "Mrs", "Dr", "Prof"])
# The capitalised word right before a position (one space between).
_EN_PREV = re.compile(r"(?<![A-Za-z.\-])([A-Z][A-Za-z.\-]*) $")


def _brand_with_industry(state: DocState, start: int, end: int) -> bool:
    """A known brand followed by an industry word where a name can end is one firm name
    (西门子医疗 when the gazetteer does not list it). The combination is named by its surface,
    not expanded to the brand's full name."""
    if not state.tokens:
        return False
    text = state.text
    word = _INDUSTRY_PATTERN.match(text, end)
    if word is None:
        return False
    stop = word.end()
    ti = state.token_at(stop - 1)
    if state.tokens[ti].end != stop:
        return False  # the industry word runs on into a longer word: 医疗器械, 科技园
    if ti + 1 < len(state.tokens) and not _name_can_end_before(state.tokens[ti + 1]):
        return False  # 华为汽车业务: the industry word starts a noun phrase
    if lexicon.known_orgs().lookup(text[start:stop]) is not None:
        return False
    surface = text[start:stop]
    state.add(
        Mention(start, stop, Label.FIRM, BRAND_RULE, 0.8, canonical=surface, props={"brand": True})
    )
    return True


def _name_can_end_before(after: Token) -> bool:
    """A verb, punctuation, a function word or a title may follow a name; a noun continues
    the phrase (华为汽车业务, 美的军舰)."""
    return _stops(after) or after.text in lexicon.titles() or after.pos.startswith("v")


def _firm_form_stands(state: DocState, start: int, end: int, weak: bool) -> bool:
    """Whether a gazetteer firm form names the firm here and is not part of another name:
    `Dell` in `Michael Dell`, `小米` in `李小米`, or (for forms that are ordinary words too)
    `小米` inside `小米粥`."""
    text = state.text
    if text[start].isascii():
        prev = _EN_PREV.search(text, max(0, start - 40), start)
        if prev is None or prev.group(1) in _EN_LEAD_OK:
            return True
        # a sentence-final word (Park.) does not join the name; any other capitalised word
        # does (Michael Dell, Mr. Dell), even opening a sentence, unless it is a function word
        return prev.group(1).endswith(".") and prev.group(1) not in _EN_TITLES
    if not state.tokens:
        return True
    toks = state.tokens
    ti, last = state.token_at(start), state.token_at(end - 1)
    tok = toks[ti]
    if ti == last and (tok.start, tok.end) != (start, end):
        return False  # inside one longer word: 京东 in 南京东路
    if weak:
        # an ordinary word too (美的, 小米): only as a whole word, where a name can end,
        # and not after an adverb or adjective (绝美的)
        if tok.start != start or toks[last].end != end:
            return False
        if last + 1 < len(toks) and not _name_can_end_before(toks[last + 1]):
            return False
        if ti > 0 and toks[ti - 1].pos.startswith(("d", "a")):
            return False
    if tok.start == start and ti > 0:
        prev_tok = state.tokens[ti - 1]
        single, _ = lexicon.surnames()
        if (
            prev_tok.text in single
            and prev_tok.end == start
            and not prev_tok.pos.startswith(("p", "c", "d", "v", "u", "r"))
        ):
            return False  # a surname before it: 王华为 is a person
    return True


# ---- Chinese: head suffix + leftward extension ------------------------------------------


def _is_punct(text: str) -> bool:
    return not any(ch.isalnum() or "\u4e00" <= ch <= "\u9fff" for ch in text)


@cache
def _trigger_words() -> frozenset[str]:
    """Relation trigger verbs (依托, 链接, 专注于 ...) never belong to a name."""
    words = set()
    for families in lexicon.relation_triggers().values():
        for family, items in families.items():
            if family.startswith("zh"):
                words.update(items)
    return frozenset(words)


def is_name_stop(tok: Token) -> bool:
    """Whether a token can never be part of an organisation name (also used by ner_merge)."""
    return _stops(tok)


def _stops(tok: Token) -> bool:
    return _stops_word(tok.text, tok.pos)


@lru_cache(maxsize=1 << 16)  # asked for the same few thousand words again and again
def _stops_word(text: str, pos: str) -> bool:
    if _is_punct(text) or text in lexicon.name_blockers() or text == "暨":
        return True  # 暨 (A暨B: A and also B) joins two names, like a comma
    if text in _NAME_VERBS:
        return False
    if len(text) == 1 and len(pos) == 2 and pos.endswith("g"):
        # a bound morpheme (浦/zg in 浦俄(上海)...) is no word of its own: part of the name
        return False
    if text in _trigger_words():
        return True
    if len(text) >= 2 and pos.startswith(("d", "v")) and lexicon.places().lookup(text):
        return False  # 中国科学院|大连/d|化学物理研究所: a place jieba mistags is a name part
    return pos.startswith(_STOP_TAGS) and not pos.startswith("vn")


def _proper(tok: Token) -> bool:
    """Whether a token makes a name specific (not just common words like 科技创新)."""
    return _proper_word(tok.text, tok.pos)


@lru_cache(maxsize=1 << 16)  # the same name parts recur across documents
def _proper_word(text: str, pos: str) -> bool:
    if pos.startswith(("ns", "nr", "nt", "nz", "j", "eng", "?", "x")):
        return True
    if lexicon.places().lookup(text) is not None:
        return True  # jieba tags some cities as plain nouns (合肥/n)
    return any(ch.isascii() and ch.isalnum() for ch in text)


def _place_group(state: DocState, close: int) -> int:
    """If tokens[close] closes `(place)`, the index of the opening bracket; else -1."""
    toks = state.tokens
    if close < 2 or toks[close].text not in _CLOSE or toks[close - 2].text not in _OPEN:
        return -1
    inner = toks[close - 1].text
    if inner in _BRACKET_FORMS:
        return close - 2  # 合肥市产业投资控股(集团)有限公司
    return close - 2 if lexicon.places().lookup(inner) is not None else -1


_ORDINAL = re.compile(r"首届|第[0-9一二三四五六七八九十百]+届|[0-9]{4}年?|[0-9]{4}年度")


def _place_anchor(state: DocState, j: int, start: int) -> int:
    """A firm's legal name is place + trade name + industry + form (安徽星衡量子科技有限公司).
    When extension stops at toks[j], the index of a place word at most three words further
    left, with nothing between that can never be in a name (function word, title, verb of a
    relation); else -1."""
    toks = state.tokens
    for k in range(j, max(j - 4, -1), -1):
        t = toks[k]
        if t.pos.startswith("ns") or (
            lexicon.places().lookup(t.text) is not None and len(t.text) >= 2
        ):
            return k if k < j or t.start < start else -1
        if (
            _is_punct(t.text)
            or t.text in lexicon.name_blockers()
            or t.text in _trigger_words()
            or t.text in lexicon.titles()
            or len(t.text) > 2
            or t.pos.startswith(("p", "c", "u", "r", "m", "q"))
        ):
            return -1
    return -1


# Function characters jieba's HMM glues to the first character of an unknown name (由深|创投).
_GLUED_FUNCTION_CHARS = frozenset("由在与和及将对向从把被为于据经到")
# Legal-form words written in brackets inside a firm's name.
_BRACKET_FORMS = frozenset(["集团", "控股", "股份", "中国", "国际", "有限"])


# Prepositions jieba's HMM buries inside an unknown word (晶涌生|医由成|大医学院): never in a
# name, so a name cannot reach back past them.
_BURIED_PREPOSITIONS = frozenset("由在将被从向把")
_FIRM_DESCRIPTORS = frozenset(["公司", "企业", "机构"])
_PROGRAMME_HEADS = frozenset(["加速器", "孵化器"])
_CHARTER_PREFIXES = ("国立", "省立", "市立", "私立", "公立")


def _glued_preposition(t: Token) -> int:
    """Offset just after a preposition inside an HMM word (医由成 -> 2), else 0."""
    if t.pos != "?" or len(t.text) < 2:
        return 0
    for k in range(len(t.text) - 1, 0, -1):
        if t.text[k] in _BURIED_PREPOSITIONS:
            return k + 1
    return 0


def _place_split(state: DocState, j: int) -> bool:
    """Whether tokens[j] and tokens[j + 1] together are a known place (台/q + 中/f)."""
    toks = state.tokens
    if j + 1 >= len(toks) or len(toks[j].text) != 1 or not "\u4e00" <= toks[j].text <= "\u9fff":
        return False
    return lexicon.places().lookup(state.text[toks[j].start : toks[j + 1].end]) is not None


# Characters that are words of their own before a bracketed place, never an abbreviation.
_NOT_PARTNER_CHARS = frozenset("的了是在与和及将由为对向从把被于共")


# One-character abbreviations of places and countries that pair up as partners (粤澳, 中德).
_PARTNER_CHARS = frozenset("中俄德法英美日韩欧澳港台粤沪苏浙闽鲁京津冀川渝湘鄂赣皖豫陕新")


def _partner_places(state: DocState, j: int) -> bool:
    """Whether the words before tokens[j] (合作, optionally after 深度) are two partners'
    one-character place abbreviations (粤澳, 中/德)."""
    toks = state.tokens
    k = j - 1
    if k >= 0 and toks[k].text == "深度":
        k -= 1
    chars = ""
    while k >= 0 and len(chars) < 2 and all(ch in _PARTNER_CHARS for ch in toks[k].text):
        chars = toks[k].text + chars
        k -= 1
    return len(chars) == 2


def _abbreviated_partners(state: DocState, j: int) -> int:
    """沪交(上海)智能感知研究院, 浦俄(上海)…, 辽(营口)…: one or two characters abbreviating the
    partners (a province, a city, a university, a country) open a name before its bracketed
    place. jieba tags them as verbs or function words (交/v), which would end the name; when
    they stand between the bracket and a word boundary (punctuation, 的, a verb), the index of
    the token they start at; else -1."""
    toks = state.tokens
    if j < 0 or not _stops(toks[j]) or _is_punct(toks[j].text):
        return -1
    k, chars = j, 0
    while k >= 0 and len(toks[k].text) == 1 and chars < 2:
        ch = toks[k].text
        if not "\u4e00" <= ch <= "\u9fff" or ch in _NOT_PARTNER_CHARS:
            break
        chars, k = chars + 1, k - 1
    if chars == 0:
        return -1
    boundary = toks[k] if k >= 0 else None
    if boundary is not None and not (
        _is_punct(boundary.text) or boundary.text in _NOT_PARTNER_CHARS or _stops(boundary)
    ):
        return -1  # a longer word runs on: the characters belong to it
    return k + 1


# Words an event's name can be made of when it opens a clause: nouns, verbs, places,
# numbers (editions), abbreviations; no function words.
_EVENT_WORD_TAGS = ("n", "v", "vn", "ns", "nt", "nz", "nr", "m", "j", "l", "a", "b", "?", "eng")


def _event_opens_clause(state: DocState, j: int) -> int:
    """If the words from tokens[j] back to the clause start can all be part of an event's
    name (no function word, holding verb, title or relation trigger) and one of them is
    specific (a place or an edition), the index of the first; else -1."""
    toks = state.tokens
    k, specific = j, False
    while k >= 0 and not _is_punct(toks[k].text) and toks[k].text != "暨":
        t = toks[k]
        if (
            not t.pos.startswith(_EVENT_WORD_TAGS)
            or t.text in _HOLDING_VERBS
            or (
                (t.text in _trigger_words() or t.text in lexicon.name_blockers())
                and not t.pos.startswith(("n", "vn"))  # 团队建设/vn推进会: a noun here
            )
            # 院士工作站建设推进会: a title inside an event's name, unless a name follows it
            or (t.text in lexicon.titles() and k < j and toks[k + 1].pos.startswith("nr"))
            or j - k >= 8
        ):
            return -1
        specific = specific or t.pos.startswith("ns") or bool(_ORDINAL.fullmatch(t.text))
        k -= 1
    if k >= 0 and toks[k].text not in (",", "，", "。", "\n", "、", "暨") and toks[k].text.strip():
        return -1  # a bracket or quote: some other construction
    return k + 1 if specific and k + 1 <= j else -1


def _bureau_word(tok: Token, head: str) -> bool:
    """管理局, 发展局: a government body's word made of a verb and its head (tagged as a
    noun or an idiom), unlike 出席会议, where the verb takes an object."""
    return (
        head in ("局", "署", "厅")  # not 部: 市场研究部 is a company's department
        and len(tok.text) >= 3
        and tok.pos.startswith(("n", "l"))
        and tok.text not in NOT_NAMES
    )


def ends_with_head(text: str) -> bool:
    suffixes = lexicon.zh_org_suffixes()
    return any(text.endswith(s) for s in suffixes.label_of if len(s) > 1)


def _chinese(state: DocState) -> None:
    suffixes = lexicon.zh_org_suffixes()
    toks = state.tokens
    text = state.text
    # Words inside a technology term are name parts even when jieba calls them verbs
    # (计算 in 合肥本源量子计算科技有限责任公司).
    in_tech = bytearray(len(text))
    known = bytearray(len(text))  # gazetteer organisations: a name built on one is specific
    for m in state.mentions:
        if m.label == Label.TECHNOLOGY:
            in_tech[m.start : m.end] = b"\x01" * (m.end - m.start)
        elif m.extractor == KNOWN_RULE:
            known[m.start : m.end] = b"\x01" * (m.end - m.start)
    for match in _head_matches(state, suffixes.pattern):
        s, e = match.span()
        head = match.group()
        ti = state.token_at(s)
        if ti < 0:
            continue
        if suffixes.label_of[head] == Label.FIRM and text.startswith("机构", e):
            continue  # 澳门创投机构X, 投资机构: a kind of body before a name, not a name
        tok = toks[ti]
        if len(head) == 1 and (tok.end != e or tok.text in NOT_NAMES or tok.pos.startswith("v")):
            continue
        last = toks[state.token_at(e - 1)]
        if (
            last.end > e
            and not _is_punct(text[e : last.end])
            and not (suffixes.label_of[head] == Label.EVENT and text[e : last.end] == "上")
        ):
            continue  # the head runs on into a longer word: 银行|卡, 大学|生 (对接|会上 is 会+上)
        if tok.start < s and tok.text in NOT_NAMES:
            continue
        start = tok.start if tok.start < s and not _stops(tok) else s
        if (
            start < s
            and (
                _stops_word(text[start:s], "x")
                or document._tag_table().get(text[start:s], "").startswith("v")
            )
            and not _bureau_word(tok, head)
        ):
            start = s  # 出席会议, 主持会议: the word's first part is a verb or blocker
        first = ti if start == tok.start else ti + 1
        j = ti - 1 if start == tok.start else ti - 1
        if start == s and tok.start < s:
            j = -1  # head begins inside a non-name token (e.g. 合作大会 in 会合作大会)
        crossed = False
        label = suffixes.label_of[head]
        while j >= 0 and e - toks[j].start <= MAX_NAME_CHARS:
            t = toks[j]
            if t.end < start:
                break  # a space (kept as trailing whitespace by spaCy) separates words
            opener = _place_group(state, j) if t.text in _CLOSE else -1
            if opener >= 0:
                start, first, j = toks[opener].start, opener, opener - 1
                prefix = _abbreviated_partners(state, j)
                if prefix >= 0:
                    start, first = toks[prefix].start, prefix
                    break
                continue
            if t.text == "合作" and _partner_places(state, j):
                # 粤澳合作中医药科技产业园, 横琴粤澳深度合作区: 合作 after the partners' places
                # names the kind of body, it is no relation verb here
                start, first, j = t.start, j, j - 1
                continue
            if (
                t.text in _CONJUNCTIONS
                and not crossed
                and j > 1
                and len(toks[j - 1].text) == 1
                and toks[j - 1].text not in _ADMIN_CHARS
                and not _stops(toks[j - 1])
                and lexicon.places().lookup(toks[j - 2].text) is not None
            ):
                # 苏州|元|和|产业投资基金: a place, one character and 和 make a two-character
                # trade name (元和), not two names joined by a conjunction
                crossed = True
                start, first, j = toks[j - 2].start, j - 2, j - 3
                continue
            if (
                t.text in _CONJUNCTIONS
                and not crossed
                and j > 0
                and start < s
                and label != Label.FIRM
                # A和首届B / A与2024B: an edition opens the second of two names
                and not _ORDINAL.match(toks[j + 1].text)
                and not (
                    _proper(toks[j + 1])
                    and not toks[j + 1].pos.startswith("nr")
                    and not (toks[j + 1].pos.startswith("j") and toks[j - 1].pos == "n")
                )
            ):
                # 营养与健康研究所 / 经济和信息化厅: a conjunction joining common nouns inside
                # a name. Never for firms, and never before a proper word (西门子医疗与上海联影
                # ... is two names); a common abbreviation after a common noun is no proper
                # word (精密光学与光电/j技术研究所).
                left = toks[j - 1]
                if not _stops(left) and not ends_with_head(left.text) and not _is_punct(left.text):
                    crossed = True
                    start, first, j = t.start, j, j - 1
                    continue
            if (
                t.pos == "?"
                and len(t.text) >= 2
                and t.text[0] in _GLUED_FUNCTION_CHARS
                and not _stops_word(t.text[1:], "?")
            ):
                start, first = t.start + 1, j  # 由深|创投: jieba glued 由 to the name
                break
            inner = _glued_preposition(t)
            if inner > 0:
                # 医由成|大医学院, 医由|清大医学院: 由 inside an unknown word
                start, first = t.start + inner, (j if inner < len(t.text) else j + 1)
                break
            if (
                t.text in _NAME_VERBS
                and t.text in _trigger_words()
                and _proper(toks[j + 1])
                and not toks[j + 1].pos.startswith("nr")
            ):
                break  # 联合|清华大学: a relation verb before a proper word is no part of it
            if label == Label.EVENT and _ORDINAL.fullmatch(t.text):
                start, first, j = t.start, j, j - 1  # 首届/第六届 open an event's name
                continue
            if (_stops_word(t.text, t.pos) and not in_tech[t.start]) or _QUANTITY.match(t.text):
                opens = _event_opens_clause(state, j) if label == Label.EVENT else -1
                if opens >= 0:
                    # 11月28日，湖南省创新团队建设推进会暨…在…举行: an event that opens its
                    # clause is named from the clause start, verbs (创新, 推进) included
                    start, first = toks[opens].start, opens
                    break
                if (
                    not crossed
                    and j >= 3
                    and t.pos.startswith("v")
                    and t.text not in _trigger_words()
                    and toks[j - 1].text in _CONJUNCTIONS
                    and toks[j - 2].pos in ("n", "vn")
                    and not _stops(toks[j - 2])
                    and (toks[j - 3].pos.startswith("nt") or ends_with_head(toks[j - 3].text))
                ):
                    # 湖南大学|机械|与|运载/v|工程学院: a school named after two fields, one a
                    # verb to jieba, right after its parent body's name
                    crossed = True
                    start, first, j = toks[j - 2].start, j - 2, j - 3
                    continue
                if first == j + 1 and _place_split(state, j):
                    # 台/q|中/f|智慧机械...: jieba split a place that opens the name
                    start, first = t.start, j
                    break
                anchored = _place_anchor(state, j, start) if label == Label.FIRM else -1
                if anchored >= 0:
                    # 安徽|星|衡量|子|科技有限公司: jieba cut the trade name into verbs; a
                    # place opening the name holds it together
                    start, first = toks[anchored].start, anchored
                break  # a count before the head makes it plural and generic: 三家银行
            if t.text in _PARK_SHORT and j + 1 < ti:
                break  # 园区 | 独墅湖科教创新区: a park's short form before another name
            if head == "院士工作站" and t.text.endswith("公司"):
                break  # <firm>何承远院士工作站: the firm hosts the station named for the person
            if (
                t.text in lexicon.titles()
                and j + 1 < ti
                and (toks[j + 1].pos.startswith("nr") or toks[j + 1].pos == "?")
                # 院士|科创中心: an unknown word after the title is a name only with a surname
                and (
                    toks[j + 1].text[:1] in lexicon.surnames()[0]
                    or toks[j + 1].text[:2] in lexicon.surnames()[1]
                )
            ):
                break  # 院士李兰娟...: a title before a person's name ends an organisation name
            start, first, j = t.start, j, j - 1
        founded = _founding_object_start(state, first, ti, s)
        if founded >= 0:
            # 共建代谢疾病联合实验室: what a founding verb creates is named in full, even
            # with words that end other names (代谢/v)
            first, start = founded, toks[founded].start
        if label == Label.FIRM:
            # 新创公司|晶涌生医股份有限公司: a generic "company" word before the trade name
            # describes it; the name starts after it
            for k in range(ti - 1, first - 1, -1):
                if toks[k].text in _FIRM_DESCRIPTORS and s - toks[k].end >= 2:
                    first, start = k + 1, toks[k].end
                    break
        if toks[first].text in _CONJUNCTIONS:  # never start a name with 与/和
            first += 1
            start = toks[first].start if first < len(toks) else s
        body_tokens = [t for t in toks[first : ti + 1] if t.start < s]
        end = _qualifier_end(text, e)
        if head in _PROGRAMME_HEADS and text.startswith("计划", end):
            end += 2  # 台中智慧机械新创加速器计划: the programme that runs the accelerator
        if start >= s:
            _anaphor(state, s, e, head, label)
            continue
        generic = (
            not any(_proper(t) for t in body_tokens)
            and founded < 0
            and not known[start:s].strip(b"\x00")
            # 首届/第六届/2024: an edition makes an event's name specific
            and not (label == Label.EVENT and _ORDINAL.match(text, start))
            and not (label == Label.EVENT and _held(state, first, body_tokens))
        )
        if generic and (
            (head.endswith("有限公司") and s - start >= 4)
            or any(lexicon.places().lookup(text[start : start + n]) for n in (2, 3))
        ):
            generic = False  # 精锐视觉科技股份有限公司, 台中精密机械...园区: a legal or placed name
        if generic and s - start > 2 and text.startswith(_CHARTER_PREFIXES, start):
            generic = False  # 国立成功大学: a chartered body's name is specific in any words
        if generic and label == Label.ORGANIZATION and s - start >= 4:
            generic = False  # government bodies are named with common words: 经济部产业发展署
        state.add(
            Mention(
                start,
                end,
                label,
                SUFFIX_RULE,
                0.85 if not generic else 0.6,
                generic=generic,
                props={"head": head},
            )
        )


# Words that qualify any research body and so say nothing about which one it is.
_GENERIC_MODIFIERS = frozenset(
    ["联合", "研发", "研究", "创新", "技术", "工程", "重点", "新型", "科技", "产业", "协同"]
    + ["国际", "国家", "联合研发", "科研", "开放", "共享", "公共", "服务", "转化", "成果"]
)
# Verbs whose object is a new organisation, introduced by its full name.
_FOUNDING_VERBS = frozenset(
    ["共建", "成立", "组建", "设立", "建立", "筹建", "新建", "揭牌", "挂牌", "成立了", "组建了"]
    + ["共同建设", "联合建设", "合作共建", "签约共建", "启动建设"]
)


# One-character administrative suffixes: 苏州市和南京市 is two places, not a trade name.
_ADMIN_CHARS = frozenset("市省区县镇乡村州")
# Verbs that introduce an event by its full name (召开稀土新材料产业创新推进会).
_HOLDING_VERBS = frozenset(
    ["召开", "举办", "举行", "主办", "承办", "召开了", "举办了", "举行了", "主办了", "承办了"]
)


def _held(state: DocState, first: int, body: list[Token]) -> bool:
    """An event named right after a verb of holding it, with a body of at least four
    characters that says more than generic modifiers: the text introduces it by name."""
    toks = state.tokens
    if first < 1 or toks[first - 1].text not in _HOLDING_VERBS:
        return False
    if sum(len(t.text) for t in body) < 4:
        return False
    return not all(t.text in _GENERIC_MODIFIERS for t in body)


def _founding_object_start(state: DocState, first: int, ti: int, head_start: int) -> int:
    """If a founding verb stands at most two words before the name's first word, with only
    content words between (no punctuation, function word or title), the index of the word
    after the verb; else -1. The name must have a body before its head with a word that says
    what it is about (代谢疾病, not only 联合研发)."""
    toks = state.tokens
    if first >= ti:
        return -1
    for k in range(first - 1, max(first - 4, -1), -1):
        t = toks[k]
        if t.text in _FOUNDING_VERBS:
            body = [x for x in toks[k + 1 : ti + 1] if x.end <= head_start]
            if all(x.text in _GENERIC_MODIFIERS for x in body):
                return -1
            return k + 1
        if _is_punct(t.text) or t.text in lexicon.name_blockers() or t.text in lexicon.titles():
            return -1
        if not t.pos.startswith(("v", "n", "a", "b")) or t.pos.startswith(("vd", "ad")):
            return -1
    return -1


def _head_matches(state: DocState, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """Every head in the text. A head found inside a longer word (工业园 in 苏州工业园区) is
    tried again at that word's end (园区): the scan is leftmost-first, the word decides."""
    text, toks = state.text, state.tokens
    out: list[re.Match[str]] = []
    for match in pattern.finditer(text):
        s, e = match.span()
        ti = state.token_at(e - 1)
        end = toks[ti].end if 0 <= ti < len(toks) else e
        if end > e and not _is_punct(text[e:end]):
            retry = next(
                (m for k in range(s + 1, end - 1) if (m := pattern.fullmatch(text, k, end))), None
            )
            if retry is not None:
                out.append(retry)
                continue
        out.append(match)
    return out


# 智慧城市公司“感知科技”: a kind of organisation, then its name in quotes
_QUOTED_NAME = re.compile(
    r"([\u4e00-\u9fff]{0,10}(公司|企业|初创企业|品牌|机构|平台|基金|研究院|实验室))"
    r"[“\"「『]([^”\"」』，。、\n]{2,14})[”\"」』]"
)
_QUOTED_LABEL = {"研究院": Label.INSTITUTE, "实验室": Label.INSTITUTE, "机构": Label.ORGANIZATION}


def _quoted_names(state: DocState) -> None:
    """The quoted name is the organisation; the descriptor before it only says what kind it
    is, so a name found there becomes generic (kept only as a short form elsewhere)."""
    text = state.text
    if "“" not in text and '"' not in text and "「" not in text:
        return
    for m in _QUOTED_NAME.finditer(text):
        start, end = m.span(3)
        label = _QUOTED_LABEL.get(m.group(2), Label.FIRM)
        for other in state.mentions:
            if other.end == m.end(1) and other.label != Label.TECHNOLOGY and other.kind == "name":
                other.generic = True
        state.add(Mention(start, end, label, QUOTED_RULE, 0.8, props={"head": m.group(2)}))


# 共同成立「净零碳捕捉与再利用联合研究中心」: what a founding verb creates, quoted in full
_QUOTED_FOUNDED = re.compile(
    r"(?:成立|共建|设立|组建|建立|筹建|揭牌|挂牌|打造|建设|启动)(?:了)?[“「\"]"
    r"([^”」\"，。,、；;]{3,30})[”」\"]"
)


def _quoted_founded(state: DocState) -> None:
    """A quoted name right after a founding verb is the new body's name in full, whatever
    words it is made of (verbs, 与), when it ends with an organisation head."""
    text = state.text
    if "“" not in text and '"' not in text and "「" not in text:
        return
    suffixes = lexicon.zh_org_suffixes()
    for m in _QUOTED_FOUNDED.finditer(text):
        start, end = m.span(1)
        name = m.group(1)
        head = max(
            (h for h in suffixes.label_of if len(h) > 1 and name.endswith(h)), key=len, default=""
        )
        if not head or len(name) - len(head) < 2:
            continue
        if any(x.start == start and x.end == end for x in state.mentions):
            continue
        label = suffixes.label_of[head]
        state.add(Mention(start, end, label, QUOTED_RULE, 0.85, props={"head": head}))


# Industry words that follow a brand in short firm names (量衡科技, 晶准半导体, 联影医疗).
_INDUSTRY = frozenset(
    ["科技", "半导体", "医疗", "生物", "医药", "微电子", "电子", "智能", "汽车", "新能源", "光电"]
    + ["材料", "机器人", "量子", "芯片", "软件", "网络", "通信", "能源", "控股", "制药", "航天"]
)


def _brand_firms(state: DocState) -> None:
    """Short firm names without a legal suffix: a word jieba does not know (a brand, tagged
    "?") followed by an industry word, standing where a name can end (before a verb,
    punctuation, a title or 的). Conservative on purpose: both parts are required."""
    toks = state.tokens
    taken: bytearray | None = None  # built for the first candidate (few documents have one)
    # unknown words are a few percent of the tokens: pick them out before the finer tests
    unknown = [i for i, t in enumerate(toks) if t.pos == "?" and len(t.text) >= 2]
    for i in unknown:
        if i + 1 >= len(toks):
            break
        brand, industry = toks[i], toks[i + 1]
        if industry.text not in _INDUSTRY:
            continue
        if not all("\u4e00" <= ch <= "\u9fff" for ch in brand.text):
            continue
        if taken is None:
            taken = bytearray(len(state.text))
            for m in state.mentions:
                if m.kind == "name" and m.label not in (Label.TECHNOLOGY, Label.PLACE):
                    taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        if lexicon.places().lookup(brand.text) is not None or any(
            taken[brand.start : industry.end]
        ):
            continue
        if i > 0 and not _stops(toks[i - 1]) and not _is_punct(toks[i - 1].text):
            continue  # part of a longer phrase
        after = toks[i + 2] if i + 2 < len(toks) else None
        if after is not None and not (
            _stops(after) or after.text in lexicon.titles() or after.pos.startswith("v")
        ):
            continue
        state.add(Mention(brand.start, industry.end, Label.FIRM, BRAND_RULE, 0.6))


def _qualifier_end(text: str, end: int) -> int:
    """Extend a name over a following `(place)` qualifier: 俄罗斯院士创新基地(中国)."""
    if end < len(text) and text[end] in _OPEN:
        close = next((k for k in range(end + 1, min(len(text), end + 10)) if text[k] in _CLOSE), -1)
        if close > end + 1 and lexicon.places().lookup(text[end + 1 : close]) is not None:
            return close + 1
    return end


_SHORT_ANAPHOR = re.compile(r"(?:该|本|此)(院|所|校|园)(?![\u4e00-\u9fff]{0,0}[长士])")
_SHORT_ANAPHOR_LABEL = {
    "院": Label.INSTITUTE,
    "所": Label.INSTITUTE,
    "校": Label.INSTITUTE,
    "园": Label.PARK,
}


# Event words that are never names themselves but, with a determiner, point at the event.
_EVENT_ANAPHOR = re.compile(r"(?:此次|本次|这次|本届|该次|今年的)(盛会|会议|盛典|活动)")


def _short_anaphors(state: DocState) -> None:
    for m in _EVENT_ANAPHOR.finditer(state.text):
        state.add(
            Mention(
                m.start(),
                m.end(),
                Label.EVENT,
                ANAPHOR_RULE,
                0.6,
                kind=ANAPHOR,
                props={"head": m.group(1)},
            )
        )
    for m in _SHORT_ANAPHOR.finditer(state.text):
        head = m.group(1)
        state.add(
            Mention(
                m.start(),
                m.end(),
                _SHORT_ANAPHOR_LABEL[head],
                ANAPHOR_RULE,
                0.6,
                kind=ANAPHOR,
                props={"head": head},
            )
        )


def _anaphor(state: DocState, s: int, e: int, head: str, label: Label) -> None:
    before = state.text[max(0, s - 2) : s]
    det = _DETERMINERS.search(before)
    if det is not None:
        start = s - len(det.group())
    elif len(head) >= 2 and (
        head != "中心" or _title_follows(state.text, e) or _clause_subject(state, s, e)
    ):
        # 中心 alone is a plain word, but 中心主任张志远 / 担任中心首席科学家 / ，中心将 is
        # the centre
        start = s
    else:
        return
    state.add(Mention(start, e, label, ANAPHOR_RULE, 0.7, kind=ANAPHOR, props={"head": head}))


def _clause_subject(state: DocState, start: int, end: int) -> bool:
    """Whether text[start:end] opens a clause and an adverb or verb follows (，中心将重点发展)."""
    if start > 0 and state.text[start - 1] not in "，。；：！？\n,;:":
        return False
    i = state.token_at(end)
    return 0 <= i < len(state.tokens) and state.tokens[i].pos.startswith(("d", "v", "p"))


def _title_follows(text: str, end: int) -> bool:
    after = text[end : end + 8]
    return any(after.startswith(t) for t in lexicon.titles() if len(t) >= 2)


# ---- English: capitalised runs around head words -----------------------------------------

# The lookahead lists every possible first character, so `re` rejects most positions of a
# Chinese text at once instead of trying each `\b` alternative there (5x faster).
_WORD = re.compile(
    r"(?=[A-Z0-9ofat&])"
    r"(?:\b[A-Z][A-Za-z0-9&'\-\u00c0-\u024f]*\.?|\b[0-9]{4}\b|\bof\b|\bfor\b|\band\b|&|\bon\b"
    r"|\bthe\b)"
)
_LOWER_JOINERS = frozenset({"of", "for", "and", "&", "on", "the"})
_LEADING_DROP = frozenset(
    {"The", "the", "A", "An", "During", "In", "At", "On", "By", "From", "With"}
    # a list's capitalised lead opening a sentence (Investors Three Rivers Capital and ...)
    | {"Investors", "Backers", "Shareholders", "Founders", "Partners"}
)


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Maximal runs of capitalised words (and joiners) separated by single spaces."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for m in _WORD.finditer(text):
        if current and (
            text[current[-1].end() : m.start()] not in (" ",) or _ends_sentence(current[-1].group())
        ):
            runs.append(current)
            current = []
        if m.group() == "the" and (not current or current[-1].group() != "of"):
            # "the" joins only after "of" (University of the West of England)
            if current:
                runs.append(current)
                current = []
            continue
        if not current and m.group() in _LOWER_JOINERS:
            continue
        current.append(m)
    if current:
        runs.append(current)
    return runs


def _ends_sentence(word: str) -> bool:
    """A word with a full stop that is not an abbreviation (Inc., Co., J.) ends the run."""
    return (
        word.endswith(".")
        and len(word) > 2
        and word not in lexicon.en_org_heads().label_of
        and word not in _EN_TITLES
        and "." not in word[:-1]
    )


def _head_at(words: list[str], i: int) -> str | None:
    """The head word at words[i], or a two-word head ending there (Science City: City alone
    is no head, New York City is no park)."""
    one = _head_of(words[i])
    if one or i == 0:
        return one
    pair = f"{words[i - 1]} {words[i].rstrip('.,')}"
    return pair if pair in lexicon.en_org_heads().label_of else None


def _head_of(word: str) -> str | None:
    heads = lexicon.en_org_heads().label_of
    if word in heads:
        return word
    stripped = word.rstrip(".,")
    return stripped if stripped in heads else None


# Capitalised topic words that name what an institution is about (Science and Innovation).
_TOPICAL = frozenset(
    ["Science", "Sciences", "Technology", "Technologies", "Engineering", "Innovation"]
    + ["Research", "Arts", "Medicine", "Health", "Business", "Industry", "Trade", "Energy"]
    + ["Environment", "Education", "Culture", "Design", "Enterprise", "Development", "Data"]
    # academies of Sciences and Letters, Marine and Environmental Sciences
    + ["Tech", "Letters", "Humanities", "Law", "Economics", "Physics", "Chemistry", "Biology"]
    + ["Mathematics", "Agriculture", "Marine", "Environmental", "Food", "Policy", "Management"]
    + ["Computing", "Informatics", "Materials", "Manufacturing", "Social", "Life", "Earth"]
)


# an abstract noun (Translation and Innovation Hub, Conservation and Ecology Centre)
_ABSTRACT = re.compile(
    r"^[A-Z][a-z]{3,}(?:tion|sion|ment|ics|ity|ence|ance|gy|try|phy|ure|ism|ical|ural|onal|ntal)$"
)


def _topical(word: str, before: str) -> bool:
    """A topic word, or a second word built like the one before "and" (Nano-Tech and
    Nano-Bionics)."""
    word = word.rstrip(".,")
    if word in _TOPICAL or _ABSTRACT.search(word):
        return True
    prefix = before.split("-")[0]
    return "-" in before and word.startswith(prefix + "-")


def _segments(run: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Split a run at "and"/"&" unless it joins words after "of"/"for" of a lead head
    (Ministry of Science and Technology): "Tsinghua University and Baidu Inc." is two names."""
    lead = lexicon.en_org_heads().lead
    segments: list[list[re.Match[str]]] = [[]]
    in_of = False
    for n, m in enumerate(run):
        word = m.group()
        if (
            word in {"and", "&"}
            and in_of
            and not any(
                _topical(x.group(), run[n - 1].group() if n else "") or _head_of(x.group())
                for x in run[n + 1 :]
            )
        ):
            in_of = False  # University of Birmingham and Britishvolt: no topic after "and"
        if word in {"and", "&"} and not in_of:
            prev = segments[-1][-1].group() if segments[-1] else ""
            if _topical(prev.rstrip(","), "") and not any(
                _head_of(x.group()) for x in segments[-1]
            ):
                # Harwell Science and Innovation Campus, Technology and Innovation Centre:
                # a head-less topic before "and" is part of the name that follows
                segments[-1].append(m)
                continue
            segments.append([])
            continue
        if word in {"of", "for"}:
            prev = segments[-1][-1].group() if segments[-1] else ""
            in_of = _head_of(prev) in lead if prev else False
        segments[-1].append(m)
    return [seg for seg in segments if seg]


def _english(state: DocState) -> None:
    text = state.text
    heads = lexicon.en_org_heads()
    for whole in _runs(text):
        for run in _segments(whole):
            _english_name(state, run, heads)
    if state.lang == "en":
        _english_described(state)
        english_orgs.english_context_orgs(state)
    _english_anaphors(state)


def _english_name(state: DocState, run: list[re.Match[str]], heads: lexicon.EnglishHeads) -> None:
    text = state.text
    words = [m.group() for m in run]
    while words and words[-1] in _LOWER_JOINERS:
        run, words = run[:-1], words[:-1]
    # The last head word in the run closes the name, or a lead head followed by of/for X.
    last = max((i for i in range(len(words)) if _head_at(words, i)), default=-1)
    if last < 0:
        return
    lead_i = next(
        (
            i
            for i, w in enumerate(words[:-1])
            if (_head_of(w) or "") in heads.lead and words[i + 1] in {"of", "for"}
        ),
        last,
    )
    if lead_i < last:
        # Fraunhofer Institute for Solar Energy Systems: the lead head's "for X" is its own
        # qualifier, whatever head words X contains (Systems)
        last = lead_i
    end_i = last
    if last + 1 < len(words) and words[last + 1] in {"of", "for"}:
        end_i = len(words) - 1
    elif last + 1 < len(words) and re.fullmatch(r"[0-9]{4}", words[last + 1]):
        end_i = last + 1  # London Biotechnology Summit 2024
    elif last + 1 < len(words) and _place_after(words, last + 1):
        end_i = last + 1  # University College London, Imperial College London
    # the name starts after the last "of"/"for" that precedes the head (Li Wei of X ...)
    start_i = 0
    for i in range(last):
        if words[i] in {"of", "for", "on", "and", "&"}:
            if words[i] == "and" and i > 0 and _topical(words[i - 1], ""):
                continue  # Harwell Science and Innovation Campus: one name
            start_i = i + 1
    while start_i < last and words[start_i] in _LEADING_DROP:
        start_i += 1
    head = _head_at(words, last) or ""
    if start_i == last and head not in heads.lead:
        return  # a bare "Park" or "Inc." is not a name
    if start_i == last and end_i == last:
        return
    while start_i < last and (
        _owner_prefix(words[start_i], words[start_i + 1 : last + 1])
        or words[start_i].endswith("-based")
        or _named_owner(state, words[start_i])
    ):
        start_i += 1  # UCL's Department of ..., Rotterdam-based Havenkracht Energy
    start = run[start_i].start()
    end = run[end_i].end()
    if text.startswith(", Ltd.", end) and text[start:end].endswith("Co."):
        end += len(", Ltd.")  # Lianchuang Materials Co., Ltd.
    name = text[start:end].rstrip(",")
    end = start + len(name)
    if name.endswith(".") and name.split()[-1] not in heads.label_of:
        end -= 1  # a sentence-final full stop ("Park.", "Edinburgh."), not "Inc."
    label = heads.label_of[head]
    state.add(Mention(start, end, label, EN_RULE, 0.85, props={"head": head}))


def _named_owner(state: DocState, word: str) -> bool:
    """Imperial's (Department of ...) after Imperial College London: the possessive is the
    first word of an organisation this text has named already."""
    if not word.endswith(("'s", "’s")) or len(word) < 4:
        return False
    owner = word[:-2] + " "
    text = state.text
    return any(m.label in _ORG_LABELS and text.startswith(owner, m.start) for m in state.mentions)


# possessives that open a name of their own (King's College London, Guy's Hospital)
_POSSESSIVE_NAMES = frozenset(
    ["King", "Queen", "Regent", "Guy", "Christ", "Children", "Women", "People", "Lloyd"]
    + ["Moody", "McDonald", "Sainsbury", "Macy", "Land", "Saint", "Bishop", "Governor"]
)


def _owner_prefix(word: str, rest: list[str] | None = None) -> bool:
    """UCL's or Chengdu's (an acronym, a known organisation or a place owning what follows),
    not King's College; Safaricom's (Spark Fund): an unknown owner before a two-word name."""
    if not word.endswith(("'s", "’s")):
        return False
    owner = word[:-2]
    if (
        rest is not None
        and len(rest) >= 2
        and len(owner) >= 4
        and owner not in _POSSESSIVE_NAMES
        and owner[:1].isupper()
        and rest[-1].rstrip(".,") in {"Fund", "Ventures", "Foundation", "Accelerator", "Labs"}
    ):
        return True
    return (
        (owner.isupper() and len(owner) >= 2)
        or lexicon.known_orgs().lookup(owner) is not None
        or lexicon.places().lookup(owner) is not None
    )


def _place_after(words: list[str], i: int) -> bool:
    """Whether words[i] is a city or country closing the name (Imperial College London) and
    is the run's last word: "University College London Professor X" is not a name."""
    word = words[i].rstrip(".,")
    return i == len(words) - 1 and lexicon.places().lookup(word) is not None


# "Northwind, a Shanghai robotics company": a capitalised name described by an apposition
# whose head noun says what it is; the name has no head word of its own.
_EN_DESCRIBED = re.compile(
    r"(?<![A-Za-z\-])((?:[A-Z][A-Za-z0-9\-]+|[A-Z]{2,})(?:\s+[A-Z][A-Za-z0-9\-]+){0,2}),\s+"
    r"(?:a|an|the|one\s+of\s+the|which|that)\s+(?:[A-Za-z\-]+\s+){0,3}?"
    r"(company|firm|start-up|startup|maker|developer|manufacturer|spin-out|spinout|spin-off|"
    r"makers|companies|firms|start-ups|startups|developers|manufacturers|suppliers|designs|"
    r"makes|develops|builds|produces|sells|provides|offers|maps|manufactures|supplies|"
    r"designs|detects|predicts|monitors|analyses|analyzes|turns|recycles|operates|"
    r"unicorn|supplier|provider|operator|lender|investor|venture capital firm|investment firm|"
    r"university|institute|research institute|laboratory|lab|research centre|research center|"
    r"think tank|agency|foundation|charity|incubator|accelerator)\b"
)
_DESCRIBED_LABEL = {
    "university": Label.INSTITUTE,
    "institute": Label.INSTITUTE,
    "research institute": Label.INSTITUTE,
    "laboratory": Label.INSTITUTE,
    "lab": Label.INSTITUTE,
    "research centre": Label.INSTITUTE,
    "research center": Label.INSTITUTE,
    "think tank": Label.INSTITUTE,
    "agency": Label.ORGANIZATION,
    "foundation": Label.ORGANIZATION,
    "charity": Label.ORGANIZATION,
    "incubator": Label.PARK,
    "accelerator": Label.PARK,
}
_DESCRIBED_NOT = frozenset(
    ["The", "This", "That", "It", "He", "She", "They", "We", "Its", "In", "On", "At", "But"]
    + ["And", "Meanwhile", "Today", "Yesterday", "Last", "Dr", "Mr", "Ms", "Professor"]
)


_EN_CAPRUN = r"(?:[A-Z][A-Za-z0-9\-]+|[A-Z]{2,})(?:\s+[A-Z][A-Za-z0-9\-]+){0,2}"
# "X founded Lumen Grid in 2019": what is founded, set up or launched is an organisation
_EN_FOUNDED_OBJECT = re.compile(
    r"\b(?:co-)?(?:founded|set up|established|launched|started|incorporated)\s+"
    rf"({_EN_CAPRUN})(?=\s+in\s+\d{{4}}|\s+in\b|\s+with\b|\s+after\b|\s*[,.;])"
)
# "Lumen Grid's chief scientist": a name owning an executive is an organisation
# "Arctic Qubit, founded by ...", "worked at Dyson": founded things and employers
_EN_FOUNDED_BY_SUBJECT = re.compile(
    rf"(?<![A-Za-z\-])({_EN_CAPRUN}),\s+(?:(?:a|an)\s+(?:[a-z\-]+\s+){{0,3}})?"
    r"(?:co-)?(?:founded|set up|started|spun out|spun off|backed)\b"
)
# "Bristol robotics start-up Anthrobotix", "chipmaker Arden Semi": a kind of company
# written right before its name
_EN_DESCRIPTOR_BEFORE = re.compile(
    r"(?<![A-Za-z\-])(?:start-up|startup|spin-out|spinout|spin-off|scale-up|chipmaker|drugmaker|"
    r"carmaker|biotech|unicorn|subsidiary|rival|(?<=[a-z] )(?:company|firm))\s+"
    rf"({_EN_CAPRUN})(?=[\s,.;:'’]|$)"
)
_EN_EMPLOYER = re.compile(rf"\b(?:worked|works|working|work)\s+(?:at|for)\s+({_EN_CAPRUN})\b")
_EN_OWNER_OF_ROLE = re.compile(
    rf"(?<![A-Za-z\-])({_EN_CAPRUN})['’]s\s+(?:chief executive|chief scientist|chief technology "
    r"officer|chief operating officer|chief financial officer|founder|co-founder|cofounder|CEO|"
    r"CTO|CFO|COO|chairman|chairwoman|board|shareholders|investors|headquarters|engineers|"
    r"researchers|scientists|staff|employees)\b"
)


def _english_described(state: DocState) -> None:
    text = state.text
    taken = bytearray(len(text))
    for x in state.mentions:
        taken[x.start : x.end] = b"\x01" * (x.end - x.start)
    for pattern in (
        _EN_FOUNDED_OBJECT,
        _EN_OWNER_OF_ROLE,
        _EN_FOUNDED_BY_SUBJECT,
        _EN_EMPLOYER,
        _EN_DESCRIPTOR_BEFORE,
    ):
        for m in pattern.finditer(text):
            start, end = m.span(1)
            words = m.group(1).split()
            if words[0] in _DESCRIBED_NOT or taken.find(1, start, end) >= 0:
                continue
            if lexicon.places().lookup(m.group(1)) is not None or words[-1] in _EN_TITLES:
                continue
            taken[start:end] = b"\x01" * (end - start)
            state.add(Mention(start, end, Label.FIRM, EN_DESCRIBED_RULE, 0.7, props={"head": ""}))
    for m in _EN_DESCRIBED.finditer(text):
        start, end = m.span(1)
        words = m.group(1).split()
        if words[0] in _DESCRIBED_NOT or taken.find(1, start, end) >= 0:
            continue
        if lexicon.places().lookup(m.group(1)) is not None:
            continue
        if start > 0 and text[start - 1 : start] not in (" ", "\n", "(", '"', "“") and start > 0:
            continue
        # a lower-case word right before the name would make it a sentence-internal common
        # noun phrase; a capitalised word before it (not a sentence start) joins a longer name
        before = text[max(0, start - 30) : start]
        prev = re.search(r"(\S+)\s*$", before)
        if prev is not None and prev.group(1)[:1].isupper() and not prev.group(1).endswith("."):
            continue
        label = _DESCRIBED_LABEL.get(m.group(2), Label.FIRM)
        state.add(Mention(start, end, label, EN_DESCRIBED_RULE, 0.75, props={"head": m.group(2)}))


def _english_anaphors(state: DocState) -> None:
    text = state.text
    for m in _EN_ANAPHOR.finditer(text):
        label = _EN_ANAPHOR_LABEL[m.group(1).lower()]
        state.add(
            Mention(
                m.start(),
                m.end(),
                label,
                ANAPHOR_RULE,
                0.6,
                kind=ANAPHOR,
                props={"head": m.group(1).lower()},
            )
        )


# ---- declared abbreviations: 中国科学院(中科院), Royal Veterinary College (RVC) -------------

_DECLARED = re.compile(
    r"\s?[(（](?:以下简称|下称|简称)?[“\"「]?([A-Z][A-Za-z&*\-]{1,9}|[\u4e00-\u9fff]{2,8})"
    r"[”\"」]?[)）]"
)
_ORG_LABELS = (Label.INSTITUTE, Label.FIRM, Label.PARK, Label.EVENT, Label.ORGANIZATION)


def _declared_abbreviations(state: DocState) -> None:
    text = state.text
    names = [m for m in state.mentions if m.label in _ORG_LABELS and m.kind == "name"]
    for m in names:
        decl = _DECLARED.match(text, m.end)
        if decl is None:
            continue
        short = decl.group(1)
        if lexicon.places().lookup(short) is not None or len(short) >= m.end - m.start:
            continue
        m.aliases = (*m.aliases, short)
        m.props["declared"] = short
        # every later standalone use of the abbreviation refers to this entity
        pattern = re.compile(
            r"(?<![A-Za-z])" + re.escape(short) + r"(?![A-Za-z])"
            if short.isascii()
            else re.escape(short)
        )
        for use in pattern.finditer(text, decl.end()):
            state.add(
                Mention(
                    use.start(),
                    use.end(),
                    m.label,
                    "ref.declared_abbreviation",
                    0.9,
                    kind=ABBREV,
                    props={"of": m.start},
                )
            )
