"""`innograph_ner_merge`: folds the statistical model's spans (`doc.spans["stat_ner"]`, written
by `innograph_stat_ner` when its model is installed) into the rule mentions.

The policy follows where each source was measured to be right (CLUENER2020 dev, comparing the
rule mentions with the model's spans wherever the two overlap or only one fires):
- the model's exact character offsets are used, not the span re-aligned to jieba tokens
  (alignment moves boundaries that fall inside a word: 阿诺索 + 在 -> 阿诺索在);
- identical boundaries: the rule mention stays (gazetteer places, suffix-typed institutes);
- the model span strictly contains rule mentions of a compatible type (same family, or a
  place that an organisation name starts with or contains: 北京公安部门, 美国海军): the
  model's wider boundary replaces them (right ~4x as often as the rules' narrower one); the
  replaced rules are recorded in `props["replaced"]`; two rule names are never glued together
  (`X基地(中国)应大会组委会` is rejected);
- the model span sits inside a rule organisation and shares its end, and what the rule adds
  on the left is only function words (由林达集团, 上述邮储银行, 到区民政局): the rule's left
  boundary swallowed them, so the model's start is taken (the rule's label is kept);
- any other overlap: the rules win;
- spans the rules did not see enter with lower confidence (model confidence x 0.8) after light
  sanity checks: 2-30 characters, no sentence punctuation, not starting with a blocker word or
  title; organisations contain no verb/particle token and do not end in an ordinary word
  (新发展格局); Chinese person names are a surname plus given name, a transliteration, or a
  word jieba itself takes for a name, and are not made of common dictionary words (高端智力).
  A suffix head (大学, 有限公司 ...) is NOT required of model organisations: clubs, media and
  banks (曼联, 新浪, 招行) have none, and the model's precision on them is close to its average.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import lexicon, organizations
from innograph.ingest.components.state import ANAPHOR, DocState, Mention, Token, state_of
from innograph.model import FAMILY_OF, Family, Label

SPAN_KEY = "stat_ner"
MODEL_RULE = "ner.stat_model"
MODEL_WIDENED = "ner.stat_model+rule"
MODEL_TRIMMED = "ner.rule+stat_model_start"
_DISCOUNT = 0.8
# Prepositions that end what comes before a name (X由Y创办): the model widening a rule name
# leftwards over one glues two phrases together.
_PREPOSITION_BEFORE_NAME = frozenset("由将被把")
_BAD_CHARS = re.compile(r"[。！？!?；;，,、：:\n“”\"《》【】/]")  # 【记者X/台南报导】: a dateline
# jieba tags of words that can open a noun phrase but not a name: prepositions, adverbs,
# verbs, conjunctions, pronouns, particles, locatives, time words, distinguishing words.
_FUNCTION_TAGS = ("p", "d", "v", "c", "r", "u", "f", "t", "b", "ad", "y", "e", "z")
# Tags of a word that ends a rule name's left part without belonging to the name (see
# `_function_prefix`): verbs, prepositions, adverbs, pronouns, particles, numerals, time.
_PREFIX_END_TAGS = ("v", "p", "d", "r", "u", "m", "t", "ad", "l")


@Language.component("innograph_ner_merge")
def ner_merge_component(doc: Doc) -> Doc:
    state = state_of(doc)
    index = _Names(state)
    raw = state.scratch.get(SPAN_KEY)
    if raw is not None:  # the model's own (start, end, label, confidence), when it left them
        for start, end, label_name, conf in raw:
            label = _LABEL_OF.get(label_name) or Label(label_name)
            merge_span(state, start, end, label, conf, index)
        return doc
    spans = doc.spans.get(SPAN_KEY, []) if SPAN_KEY in doc.spans else []
    for span in spans:
        try:
            label = Label(span.label_)
        except ValueError:
            continue
        conf = span._.get("confidence") if span.has_extension("confidence") else None
        exact = span._.get("model_chars") if span.has_extension("model_chars") else None
        start, end = exact if exact else (span.start_char, span.end_char)
        merge_span(state, start, end, label, float(conf or 0.7), index)
    return doc


_LABEL_OF: dict[str, Label] = {label.value: label for label in Label}


class _Names:
    """The document's name mentions by 64-character block, kept in step with the merges, so
    a model span's overlaps are found without scanning every mention (a long document has
    thousands). Results come in `state.mentions` order, as a scan would give them."""

    def __init__(self, state: DocState) -> None:
        self.state = state
        self.blocks: dict[int, list[Mention]] = {}
        self.order: dict[int, int] = {}  # id(mention) -> its rank in state.mentions
        self.orgs: dict[int, str] = {}  # id -> text of organisation names, for short forms
        # spans the rules read as references to a name named before in full (高新区 after
        # 武进高新区); a bare 中央银行 with no such name may still be a name of its own
        self.anaphors: set[tuple[int, int]] = set()
        for m in state.mentions:
            if m.kind != ANAPHOR:
                continue
            word = state.text[m.start : m.end]
            if any(
                n.kind == "name"
                and n.end <= m.start
                and n.end - n.start > len(word)
                and state.text.endswith(word, n.start, n.end)
                for n in state.mentions
            ):
                self.anaphors.add((m.start, m.end))
        # `_register` for every mention, inlined: this runs once per document
        order, blocks, orgs, text = self.order, self.blocks, self.orgs, state.text
        for m in state.mentions:
            order[id(m)] = len(order)
            if m.kind != "name":
                continue
            first, last = m.start >> 6, (m.end - 1) >> 6
            if first == last:
                members = blocks.get(first)
                if members is None:
                    blocks[first] = [m]
                else:
                    members.append(m)
            else:
                for block in range(first, last + 1):
                    blocks.setdefault(block, []).append(m)
            if FAMILY_OF[m.label] == Family.ORG:
                orgs[id(m)] = text[m.start : m.end]

    def _register(self, m: Mention) -> None:
        self.order[id(m)] = len(self.order)
        if m.kind != "name":
            return
        for block in range(m.start >> 6, ((m.end - 1) >> 6) + 1):
            self.blocks.setdefault(block, []).append(m)
        if FAMILY_OF[m.label] == Family.ORG:
            self.orgs[id(m)] = self.state.text[m.start : m.end]

    def add(self, m: Mention) -> None:
        self.state.add(m)
        if m.end > m.start:
            self._register(m)

    def remove(self, gone: list[Mention]) -> None:
        ids = {id(m) for m in gone}
        self.state.mentions[:] = [m for m in self.state.mentions if id(m) not in ids]
        for m in gone:
            self.order.pop(id(m), None)
            self.orgs.pop(id(m), None)
            for block in range(m.start >> 6, ((m.end - 1) >> 6) + 1):
                members = self.blocks.get(block, [])
                if m in members:
                    members[:] = [x for x in members if x is not m]

    def overlapping(self, start: int, end: int) -> list[Mention]:
        first = start >> 6
        if first == (end - 1) >> 6:  # one block: each mention is listed once in it
            hits = [m for m in self.blocks.get(first, ()) if m.start < end and start < m.end]
            if len(hits) > 1:
                hits.sort(key=lambda m: self.order[id(m)])
            return hits
        found: dict[int, Mention] = {}
        for block in range(start >> 6, ((end - 1) >> 6) + 1):
            for m in self.blocks.get(block, ()):
                if m.start < end and start < m.end:
                    found[id(m)] = m
        return sorted(found.values(), key=lambda m: self.order[id(m)])


def merge_span(
    state: DocState,
    start: int,
    end: int,
    label: Label,
    confidence: float,
    index: _Names | None = None,
) -> None:
    """Apply the policy above to one model span (char offsets into the document text).
    `index` is the component's per-document lookup; without it one is built for this call."""
    index = index or _Names(state)
    start, end = _strip_function_chars(state, start, end)
    start, end = _trim_edges(state, start, end, label)
    if end - start < 2 or (start, end) in index.anaphors:
        return  # an anaphor (高新区 for 武进高新区) is no new name
    overlapping = index.overlapping(start, end)
    inside = [m for m in overlapping if start <= m.start and m.end <= end]
    all_inside = bool(overlapping) and len(inside) == len(overlapping)
    if all_inside and any((m.start, m.end) == (start, end) for m in inside):
        return  # identical boundaries (most spans): the rule mention stays
    candidate = Mention(start, end, label, MODEL_RULE, round(confidence * _DISCOUNT, 3))
    if not overlapping:
        if (
            _sane(state, candidate)
            and not _unsure_common_word(state, start, end, confidence)
            and not _part_of_rule_name(state, candidate, index)
        ):
            index.add(candidate)
        return
    if all_inside:
        _widen(state, candidate, inside, index)
        return
    outer = [m for m in overlapping if m not in inside]
    if len(outer) == 1 and all(_compatible(label, m) for m in inside):
        _trim(state, candidate, outer[0], index)
    # any other overlap (crossing spans, several rules): the rules win


# A span the model found alone that is one dictionary word, and that the model was unsure of,
# is more often a common noun (政府, 中试) than a name: below this confidence it is dropped.
# Names that are dictionary words the model is sure of (央行, 汇丰, 曼联) stay. Measured on
# CLUENER dev (bench/cluener.py) and the seed: 0.4 over nouns, verbal nouns and abbreviations
# costs 0.5 point of CLUENER micro-F1 and removes the seed's two false entities.
_COMMON_WORD_FLOOR = 0.4
_COMMON_TAGS = ("n", "vn", "j")


def _unsure_common_word(state: DocState, start: int, end: int, confidence: float) -> bool:
    if confidence >= _COMMON_WORD_FLOOR:
        return False
    i = state.token_at(start)
    if i < 0:
        return False
    tok = state.tokens[i]
    return (tok.start, tok.end) == (start, end) and tok.pos in _COMMON_TAGS


_BRACKETED_ABBREVIATION = re.compile(r"^[（(][A-Za-z]{2,10}[)）]$")


def _part_of_rule_name(state: DocState, m: Mention, index: _Names) -> bool:
    """Whether a model person/place span repeats a piece of an organisation name the rules
    found elsewhere in the document: a short form of that name (鹏芯 after
    深圳市鹏芯微电子有限公司), which `references` resolves, not a new person."""
    if FAMILY_OF[m.label] == Family.ORG:
        return False
    piece = state.text[m.start : m.end]
    return any(
        len(name) > len(piece)
        and piece in name
        # 何承远院士工作站 is named after the person 何承远: his name is no short form of it
        and not (
            m.label in (Label.PERSON, Label.ACADEMICIAN)
            and name[name.index(piece) + len(piece) :].startswith(_NAMED_AFTER)
        )
        for name in index.orgs.values()
    )


_NAMED_AFTER = ("院士", "教授", "博士", "大师", "工作室")


# Function words and light verbs jieba glues to a name's edge (和俄方, 何承远作, 宜宾市行):
# dropped from a model span when what remains still looks like a name of its label.
_LEAD_CHARS = frozenset("和与及同向在由将为对从把被跟")
_TRAIL_CHARS = frozenset("作行将在和与及等是为说称也到赴向任获则亦均都还又就于")


def _trim_edges(state: DocState, start: int, end: int, label: Label) -> tuple[int, int]:
    text = state.text
    person = label in (Label.PERSON, Label.ACADEMICIAN)
    single, compound = lexicon.surnames()

    def person_like(s: int, e: int) -> bool:
        piece = text[s:e]
        return 2 <= len(piece) <= 3 and (piece[:1] in single or piece[:2] in compound)

    if person and text[start:end] in compound:
        # 欧阳|振: the model stopped after a compound surname jieba read as a word
        i = state.token_at(end)
        nxt = state.tokens[i] if 0 <= i < len(state.tokens) else None
        if (
            nxt is not None
            and nxt.start == end
            and 1 <= len(nxt.text) <= 2
            and all("\u4e00" <= ch <= "\u9fff" for ch in nxt.text)
            and not any(ch in _LEAD_CHARS or ch in _TRAIL_CHARS for ch in nxt.text)
            and nxt.text not in lexicon.titles()
            and not nxt.pos.startswith(("m", "q", "p", "c", "u", "r", "f"))
        ):
            end = nxt.end
    if (
        end - start >= 3
        and text[start] in _LEAD_CHARS
        and (
            (person and person_like(start + 1, end))
            or (not person and organizations.ends_with_head(text[start + 1 : end]))
        )
    ):
        start += 1
    if end - start >= 3 and text[end - 1] in _TRAIL_CHARS:
        if person and person_like(start, end - 1):
            end -= 1
        elif (
            not person
            and FAMILY_OF[label] != Family.ORG
            and lexicon.places().lookup(text[start : end - 1]) is not None
        ):
            end -= 1  # 宜宾市行: a visit to the city
    return start, end


def _strip_function_chars(state: DocState, start: int, end: int) -> tuple[int, int]:
    """Drop a one-character function word the model let into either edge (西门子医疗 + 与)."""
    if not state.tokens:
        return start, end
    last = state.token_at(end - 1)
    if last >= 0 and _is_single_blocker(state.tokens[last], end):
        end -= 1
    first = state.token_at(start)
    tok = state.tokens[first] if first >= 0 else None
    single, _ = lexicon.surnames()
    if (
        tok is not None
        and tok.start == start
        and _is_single_blocker(tok, start + 1)
        and tok.text not in single  # 于 in 于有斌 is a surname, not a preposition
    ):
        start += 1
    return start, end


def _widen(state: DocState, candidate: Mention, inside: list[Mention], index: _Names) -> None:
    """Replace rule mentions strictly inside `candidate` by it, when that is plausible."""
    if not all(_compatible(candidate.label, m) for m in inside):
        return
    names = sorted(
        (m for m in inside if FAMILY_OF[m.label] == FAMILY_OF[candidate.label]),
        key=lambda m: m.start,
    )
    if any(m.start != candidate.start and m.start > names[0].start for m in names[1:]):
        return  # two rule names glued together
    if not _sane(state, candidate):
        return
    if names and state.text[names[0].start - 1 : names[0].start] in _PREPOSITION_BEFORE_NAME:
        return  # 晶涌生医由 + 成大医学院: the rule name starts after a preposition, so does it
    last = max(names, key=lambda m: m.end) if names else None
    if (
        last is not None
        and FAMILY_OF[candidate.label] == Family.ORG
        and last.end < candidate.end
        and organizations.ends_with_head(state.text[last.start : last.end])
        and not organizations.ends_with_head(state.text[last.end : candidate.end])
        and not _BRACKETED_ABBREVIATION.match(state.text[last.end : candidate.end])
    ):
        return  # 俄罗斯科学院远东分院 + 代表团: what follows a complete name is not part of it
    index.remove(inside)
    best = max(m.confidence for m in inside)
    candidate.extractor = MODEL_WIDENED
    candidate.confidence = round(max(best * 0.9, candidate.confidence), 3)
    candidate.props["replaced"] = [(m.start, m.end, m.extractor) for m in inside]
    index.add(candidate)


def _trim(state: DocState, candidate: Mention, rule: Mention, index: _Names) -> None:
    """Move a rule organisation's start to the model's when the rule only adds function words."""
    if not (rule.start < candidate.start and candidate.end == rule.end):
        return
    if FAMILY_OF[rule.label] != Family.ORG or FAMILY_OF[candidate.label] != Family.ORG:
        return
    if not _function_prefix(state, rule.start, candidate.start):
        return
    trimmed = Mention(candidate.start, rule.end, rule.label, MODEL_TRIMMED, rule.confidence)
    if not _sane(state, trimmed):
        return
    trimmed.props = dict(rule.props) | {"replaced": [(rule.start, rule.end, rule.extractor)]}
    trimmed.canonical, trimmed.aliases = rule.canonical, rule.aliases
    index.remove([rule])
    index.add(trimmed)


def _function_prefix(state: DocState, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of the name: only function words (上述, 由, 这是),
    or ending in a word that cannot sit inside an organisation name right before its core
    (a verb, preposition, adverb, pronoun, particle, numeral or time word: 积极响应 +
    中央宣传部, 并不需要 + 金管局). A conjunction there is left alone: 发展和 + 改革委员会 is
    one name.

    jieba sometimes glues a preposition to the name that follows (由林达 + 集团); the piece of
    such a word before the model's start counts when it is itself a blocker word.
    """
    blockers = lexicon.name_blockers()
    pieces = _tokens_in(state, start, end, whole=False)
    if not pieces or pieces[0].start != start:
        return False
    last = pieces[-1]
    if last.text in organizations.CONJUNCTIONS:
        return False  # 纳米技术与 + 纳米仿生研究所: jieba tags 与 a preposition; still one name
    if last.end == end and last.pos.startswith(_PREFIX_END_TAGS) and last.pos != "c":
        return True
    for t in pieces:
        if t.end <= end:
            if not (t.text in blockers or t.pos.startswith(_FUNCTION_TAGS)):
                return False
        elif state.text[t.start : end] not in blockers:
            return False
    return True


def _tokens_in(state: DocState, start: int, end: int, whole: bool) -> list[Token]:
    """Tokens inside [start, end) (`whole`) or overlapping it, found by bisection."""
    toks = state.tokens
    i = max(state.token_at(start), 0)
    out = []
    while i < len(toks) and toks[i].start < end:
        t = toks[i]
        if (start <= t.start and t.end <= end) if whole else start < t.end:
            out.append(t)
        i += 1
    return out


def _compatible(label: Label, rule: Mention) -> bool:
    if FAMILY_OF[label] == FAMILY_OF[rule.label]:
        return True
    # a place inside an organisation name (北京 in 北京字节跳动科技有限公司, 美国海军)
    return rule.label == Label.PLACE and FAMILY_OF[label] == Family.ORG


_ADMIN_SUFFIX = re.compile(r"[省市区县镇乡村路街道号州]$")


def _sane(state: DocState, m: Mention) -> bool:
    text = state.text[m.start : m.end]
    if not 2 <= len(text) <= 30 or _BAD_CHARS.search(text):
        return False
    if text[:1] in _JOINERS or text[-1:] in _JOINERS:
        return False  # a transliteration cut at its separator (·叶)
    covered = _tokens_in(state, m.start, m.end, whole=True)
    if _blocked_start(text, covered, m.start, m.label):
        return False
    last = state.token_at(m.end - 1)
    if 0 <= last < len(state.tokens) and _is_single_blocker(state.tokens[last], m.end):
        return False  # 西门子医疗 + 与: a conjunction closes no name
    if _touches_title(state, m, text):
        return False
    if m.label in (Label.PERSON, Label.ACADEMICIAN):
        return _person_ok(text, covered)
    if m.label == Label.PLACE:
        return lexicon.places().lookup(text) is not None or bool(_ADMIN_SUFFIX.search(text))
    if FAMILY_OF[m.label] == Family.ORG or m.label == Label.EVENT:
        if text.isascii():
            return True
        if any(_org_stop(t) for t in covered):
            return False
        lead = lexicon.places().pattern.match(text) if m.label == Label.FIRM else None
        if lead is not None and lead.group()[-1] in "省市区县" and len(text) - lead.end() <= 2:
            return False  # 湖南省科技(创新团队): a province and a word, no firm's trade name
        if text.endswith(("有关", "相关", "创投机构", "投资机构")):
            # 国家有关(部门): "the relevant" bodies; 澳门创投机构: a kind of body (a venture
            # capital institution in Macau) before the name (北京纽瀚斯心理机构 is a name)
            return False
        if "等" in text or text.endswith(_TEAM_ENDS):
            return False  # 深圳湾实验室等研究所 (a list), 沈静怡团队 (a person's team)
        # 新发展格局 ends in 局 only as part of the word 格局
        return not (covered and covered[-1].end == m.end and covered[-1].text in _ORDINARY_ENDS)
    return True


# Ordinary words that end like an organisation head (局, 部, 厅, 署) but never close a name;
# 部门 and 俱乐部 are left out: they do close names (公安部门, 巴塞罗那俱乐部).
_ORDINARY_ENDS = organizations.NOT_NAMES - {"部门", "俱乐部"}


_JOINERS = frozenset("·-")


def _org_stop(tok: Token) -> bool:
    """A word that never sits inside an organisation name the model found.

    Lexical only: jieba's part-of-speech tags are unreliable on the short, unknown names the
    model finds (招行/v, 住保办 -> 住/v + 保办), so a tag alone does not veto a model span;
    multi-character blocker words (目前, 通过), relation triggers (依托, 合作) and 的 do.
    """
    if tok.text == "的" or (len(tok.text) >= 2 and tok.text in lexicon.name_blockers()):
        return True
    return tok.text in _trigger_words()


@cache
def _trigger_words() -> frozenset[str]:
    """Chinese relation trigger words (依托, 合作, 专注于 ...)."""
    return frozenset(
        word
        for families in lexicon.relation_triggers().values()
        for family, items in families.items()
        if family.startswith("zh")
        for word in items
        if len(word) >= 2
    )


@cache
def _title_patterns() -> tuple[re.Pattern[str], re.Pattern[str], int]:
    """(title at a position, title at the end, longest title length); longest first, so a
    match at a position is the longest title there."""
    titles = sorted(lexicon.titles(), key=len, reverse=True)
    alternation = "|".join(map(re.escape, titles))
    return re.compile(f"(?:{alternation})"), re.compile(f"(?:{alternation})$"), len(titles[0])


def _touches_title(state: DocState, m: Mention, text: str) -> bool:
    """Whether the span starts or ends with a title, or ends inside one (樊嘉院|士)."""
    at, at_end, longest = _title_patterns()
    if at.match(text) or at_end.search(text):
        return True
    for pos in range(max(m.start, m.end - longest + 1), m.end):
        found = at.match(state.text, pos)
        if found and found.end() > m.end:
            return True
    return False


def _is_single_blocker(tok: Token, end: int) -> bool:
    """Whether `tok` is a one-character function word ending exactly at `end` (与, 的, 在)."""
    return tok.end == end and len(tok.text) == 1 and tok.text in lexicon.name_blockers()


def _blocked_start(text: str, covered: list[Token], start: int, label: Label) -> bool:
    """Whether the span opens with a word that never starts a name (在, 由, 目前 ...).

    Checked on the first jieba word rather than the first character, so that names whose
    first character is also a function word (都灵, 由美) are not rejected.
    """
    blockers = lexicon.name_blockers()
    if label in (Label.PERSON, Label.ACADEMICIAN) and text[:1] in lexicon.surnames()[0]:
        return text[:2] in blockers  # 于有斌: 于 is a surname here, 于是 still blocks
    if covered and covered[0].start == start:
        return covered[0].text in blockers or text[:2] in blockers
    return text[:2] in blockers


# Colloquial forms of address after a surname (李总, 郑阿姨): a reference, not a name.
_ADDRESS_FORMS = ("总", "董", "工", "阿姨", "师傅", "老师", "大爷", "大妈", "大姐", "大哥")


def _person_ok(text: str, covered: list[Token]) -> bool:
    if text.isascii():
        # letters only: digits mark gamer tags and products (TH000, NBA2K); CLUENER-style
        # text is often lower-cased, so case is no evidence either way
        return text.replace(" ", "").replace(".", "").replace("-", "").isalpha()
    if "·" in text or "-" in text:
        return True
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    if han != len(text) or han > 7:
        return False
    # 高端智力 is a compound of dictionary words, not a name. One word alone is no evidence:
    # jieba tags many names as words (温格/n, 成钢/n, 莫奈/d).
    words = [t for t in covered if len(t.text) >= 2 and not t.pos.startswith(("nr", "?"))]
    if len(words) >= 2 and sum(len(t.text) for t in words) == len(text):
        return False
    single, compound = lexicon.surnames()
    surname = text[:2] if text[:2] in compound else text[:1] if text[:1] in single else ""
    if text in _RANK_WORDS or text.endswith(("方", "们")):
        return False  # 高级 (a rank), 俄方/中方 (a side), 专家们: never a person
    if surname and han <= 4:
        return text[len(surname) :] not in _ADDRESS_FORMS
    # two characters and no surname: a word (浦俄), not a name; longer ones are
    # transliterated names without a separator (沃尔科特, 米哈伊洛维奇)
    return han > 2


_TEAM_ENDS = ("团队", "课题组", "小组", "研究组")
_RANK_WORDS = frozenset(["高级", "首席", "资深", "常务", "执行", "特聘", "副", "正", "总"])
