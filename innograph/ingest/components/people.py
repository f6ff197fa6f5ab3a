"""`innograph_people`: people and academicians.

Chinese names need context, because almost any two characters can follow a surname: a title
right before or after (院士/教授/院长/董事长 ..., `lexicons/titles.tsv`) or a speech verb after
(表示/指出/说). The name itself is surname (`lexicons/surnames.txt`) + one or two characters,
its length taken from jieba's tokens. Titles are never part of names (`教授张文宏` -> `张文宏`).
Transliterated foreign names are runs of transliteration characters joined by `·`
(`谢尔吉延科·瓦连京`). English names follow a title (Prof., Dr., Academician) or precede a
", director of ..." apposition.

An academician (`中国工程院院士X`, `X院士`, `Academician X`) is labelled `Academician`; the
academy named right before 院士 is recorded for `relations` (AFFILIATED_WITH, role 院士).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import lexicon
from innograph.ingest.components.state import DocState, Mention, state_of
from innograph.model import Label

TITLE_RULE = "person.title"
SPEECH_RULE = "person.speech_verb"
FOREIGN_RULE = "person.transliterated"
EN_TITLE_RULE = "person.en_title"
EN_APPOSITION_RULE = "person.en_apposition"

_SPEECH = ("表示", "指出", "认为", "强调", "介绍", "说", "称", "透露", "坦言")
# Tags a given name is never made of (verbs a speech/title rule would otherwise swallow).
_BAD_GIVEN_TAGS = ("p", "c", "u", "r", "t", "m", "q", "d", "f", "y")
_BAD_GIVEN = frozenset(
    ["表示", "指出", "认为", "介绍", "出席", "参加", "担任", "受聘", "强调", "团队", "代表", "等人"]
)
_NOT_NAME_CHARS = frozenset("的了在是和与及等也都就还又并而将为于对向从把被由其该此本这那、，。,.")
# Characters used to transliterate foreign names (a generous set; runs must include `·`).
_TRANSLIT = (
    "阿埃艾爱安昂奥巴拔邦贝本比彼毕别波伯博布查达戴丹当道德登迪蒂丁东杜多厄恩尔法范菲费芬丰"
    "弗福盖甘冈高戈格根贡古瓜哈海汉豪赫亨洪胡华霍基吉加贾杰捷金卡凯坎康考柯科克肯库夸奎拉莱"
    "赖兰朗劳勒雷蕾里理利力立丽莉列林琳铃刘留柳龙卢鲁路伦罗洛马玛迈麦曼芒毛梅门蒙米密敏明莫"
    "默姆穆纳娜奈南内妮尼宁纽努诺欧帕潘庞佩彭皮珀普齐奇契恰乔切琴琼丘萨塞桑瑟森沙莎山尚舍谢"
    "申什施史斯松苏索塔泰坦汤唐特滕提图托瓦娃万旺威韦维温文沃乌伍西希锡夏肖辛休雅亚延扬耶叶"
    "伊依因英尤于约泽扎詹兹佐京连夫科吉廖涅娅沃尼得霍茨茹儒瑞芙妃黛琪茜蒂卓茨沃克罗热"
    "耶列娃斯基诺维奇科娃科夫斯卡娅谢廖米哈伊洛维奇彼得亚历山大德米特里弗拉基米尔"
)
_FOREIGN = re.compile(rf"[{_TRANSLIT}]{{1,8}}(?:·[{_TRANSLIT}]{{1,8}})+")
_EN_TITLE = re.compile(
    r"\b(Professor|Prof\.|Dr\.|Dr|Academician|Mr\.|Ms\.|Mrs\.|Sir|Dame)\s+"
    r"([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?){0,2})"
)
_EN_APPOSITION = re.compile(
    r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}),\s+(?:a |an |the )?(?:[a-z]+ )?"
    r"(professor|director|president|chief|head|dean|chair|chairman|founder|co-founder|CEO|"
    r"researcher|scientist|academician|fellow|lecturer|vice-president|vice president)\b"
)
_EN_TITLES = frozenset(["Professor", "Prof", "Dr", "Academician", "Mr", "Ms", "Mrs", "Sir"])
_EN_NOT_NAMES = frozenset(["The", "This", "That", "During", "In", "On", "At", "It", "Its"])


@Language.component("innograph_people")
def people_component(doc: Doc) -> Doc:
    state = state_of(doc)
    if state.tokens:
        _foreign(state)
        _chinese(state)
    _english(state)
    return doc


def _add_person(state: DocState, start: int, end: int, rule: str, conf: float, title: str) -> None:
    kind = lexicon.titles().get(title, "")
    label = Label.ACADEMICIAN if kind == "academician" else Label.PERSON
    seen: dict[tuple[int, int], Mention] = state.scratch.setdefault("people", {})
    known = seen.get((start, end))
    if known is not None:  # one person, several title cues (院士 before and after)
        if label == Label.ACADEMICIAN:
            known.label = Label.ACADEMICIAN
        if title:
            known.props.setdefault("titles", []).append(title)
        return
    props = {"titles": [title]} if title else {}
    mention = Mention(start, end, label, rule, conf, props=props)
    seen[(start, end)] = mention
    state.add(mention)


# ---- Chinese ----------------------------------------------------------------------------


def _foreign(state: DocState) -> None:
    text = state.text
    if "·" not in text:  # in every match: skip the scan, which tries every position
        return
    for m in _FOREIGN.finditer(text):
        start, end = m.span()
        # Trim characters of a title or name head that happen to be transliteration letters.
        while start < end and text[start] in _NOT_NAME_CHARS:
            start += 1
        after = text[end : end + 4]
        before = text[max(0, start - 4) : start]
        title = _title_at(after, prefix=True) or _title_at(before, prefix=False)
        _add_person(state, start, end, FOREIGN_RULE, 0.85, title)


def _title_at(text: str, prefix: bool) -> str:
    for title in sorted(lexicon.titles(), key=len, reverse=True):
        if (text.startswith(title) if prefix else text.endswith(title)) and title:
            return title
    return ""


def _given_ok(text: str, pos: str) -> bool:
    if text in _BAD_GIVEN or any(ch in _NOT_NAME_CHARS for ch in text):
        return False
    return not pos.startswith(_BAD_GIVEN_TAGS) or pos.startswith("nr")


def _name_after(state: DocState, pos: int) -> tuple[int, int] | None:
    """A Chinese name starting at character `pos` (right after a title), or None."""
    single, compound = lexicon.surnames()
    ti = state.token_at(pos)
    if ti < 0 or ti >= len(state.tokens) or state.tokens[ti].start != pos:
        return None
    tok = state.tokens[ti]
    surname_len = 2 if tok.text[:2] in compound else 1 if tok.text[:1] in single else 0
    if not surname_len:
        return None
    if len(tok.text) == surname_len:  # 陈 / 美玲
        if ti + 1 >= len(state.tokens):
            return None
        nxt = state.tokens[ti + 1]
        if len(nxt.text) > 2 or not _given_ok(nxt.text, nxt.pos):
            return None
        if tok.pos.startswith(_BAD_GIVEN_TAGS + ("v",)) and not (
            nxt.pos.startswith("nr") or nxt.pos == "?"
        ):
            return None  # 主席都遭到, 主任向记者: 都/向 are words here, not surnames
        return pos, nxt.end
    plausible = tok.pos.startswith("nr") or tok.pos == "?" or _given_ok(tok.text[surname_len:], "?")
    if tok.pos.startswith(_BAD_GIVEN_TAGS + ("v",)):
        plausible = False  # a dictionary verb or function word (成立), not a name
    if len(tok.text) <= surname_len + 2 and plausible and tok.text not in _BAD_GIVEN:
        return pos, tok.end
    return None


def _name_before(state: DocState, pos: int) -> tuple[int, int] | None:
    """A Chinese name ending at character `pos` (right before a title), or None."""
    single, compound = lexicon.surnames()
    ti = state.token_at(pos - 1)
    if ti < 0 or state.tokens[ti].end != pos:
        return None
    tok = state.tokens[ti]
    has_surname = tok.text[:1] in single or tok.text[:2] in compound
    plausible = (
        (tok.pos.startswith("nr") or tok.pos == "?" or _given_ok(tok.text[1:], "?"))
        and tok.text not in _BAD_GIVEN
        and not tok.pos.startswith(("ns", "nt"))
    )
    if 2 <= len(tok.text) <= 3 and has_surname and plausible:
        return tok.start, pos
    if (
        len(tok.text) <= 2
        and ti > 0
        and state.tokens[ti - 1].text in single
        and _given_ok(tok.text, tok.pos)
    ):
        return state.tokens[ti - 1].start, pos
    return None


def _chinese(state: DocState) -> None:
    text = state.text
    foreign = bytearray(len(text))
    for m in state.mentions:
        if m.extractor == FOREIGN_RULE:
            foreign[m.start : m.end] = b"\x01" * (m.end - m.start)
    for m in lexicon.title_pattern().finditer(text):
        title = m.group()
        after = _name_after(state, m.end())
        if after is not None and not foreign[after[0]]:
            _add_person(state, after[0], after[1], TITLE_RULE, 0.85, title)
            continue
        before = _name_before(state, m.start())
        if before is not None and lexicon.titles()[title] != "role":
            _add_person(state, before[0], before[1], TITLE_RULE, 0.85, title)
    for i, tok in enumerate(state.tokens[:-1]):
        if state.tokens[i + 1].text in _SPEECH and (tok.pos.startswith("nr") or tok.pos == "?"):
            span = _name_before(state, tok.end)
            if span is not None:
                _add_person(state, span[0], span[1], SPEECH_RULE, 0.7, "")


def _inside_foreign(state: DocState, span: tuple[int, int]) -> bool:
    return any(m.extractor == FOREIGN_RULE and m.start <= span[0] < m.end for m in state.mentions)


# ---- English ----------------------------------------------------------------------------


def _english(state: DocState) -> None:
    text = state.text
    for m in _EN_TITLE.finditer(text):
        title = m.group(1).rstrip(".").lower()
        label = Label.ACADEMICIAN if title == "academician" else Label.PERSON
        start, end = m.span(2)
        state.add(Mention(start, end, label, EN_TITLE_RULE, 0.85, props={"titles": [m.group(1)]}))
    for m in _EN_APPOSITION.finditer(text):
        name = m.group(1)
        if name.split()[0] in _EN_TITLES:
            continue  # "Professor Jane Whitfield, director ...": the title rule has it
        if name.split()[0] in _EN_NOT_NAMES or _is_org_or_place(name):
            continue
        label = Label.ACADEMICIAN if m.group(2) == "academician" else Label.PERSON
        start, end = m.span(1)
        state.add(
            Mention(start, end, label, EN_APPOSITION_RULE, 0.75, props={"titles": [m.group(2)]})
        )


def _is_org_or_place(name: str) -> bool:
    last = name.split()[-1]
    return (
        last in lexicon.en_org_heads().label_of
        or lexicon.places().lookup(name) is not None
        or lexicon.known_orgs().lookup(name) is not None
    )
