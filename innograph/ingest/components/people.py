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

from innograph.ingest.components import english_names, lexicon
from innograph.ingest.components.state import DocState, Mention, state_of
from innograph.model import Label

TITLE_RULE = "person.title"
SPEECH_RULE = "person.speech_verb"
FOREIGN_RULE = "person.transliterated"
EN_TITLE_RULE = "person.en_title"
EN_APPOSITION_RULE = "person.en_apposition"
EN_ROLE_RULE = "person.en_role"
EN_SPEECH_RULE = "person.en_speech_verb"
EN_LIST_RULE = "person.en_member_list"

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
    "烈季萨哈柳鲍芙娜捷琳娜斯塔霍尔金奥列格鲍里戈里瑟盖伏尔加"
)
_FOREIGN = re.compile(rf"[{_TRANSLIT}]{{1,8}}(?:·[{_TRANSLIT}]{{1,8}})+")
_EN_NAME = r"(?:Mc|Mac|O')?[A-Z][a-z\u00df-\u024f]+(?:[-'][A-Z]?[a-z\u00df-\u024f]+)?"
# Sanne de Wit, Ludwig van Beethoven: a lower-case particle before the last name
_EN_PARTICLE = r"(?:(?:de|van|von|der|den|da|di|du|le|la|bin|al|dos|del)\s+){0,2}"
_EN_TITLE = re.compile(
    r"\b(Professor|Prof\.|Dr\.|Dr|Academician|Mr\.|Ms\.|Mrs\.|Sir|Dame)\s+"
    rf"({_EN_NAME}(?:\s+{_EN_PARTICLE}{_EN_NAME}){{0,2}})\b"
)
_EN_FULL = rf"{_EN_NAME}(?:\s+(?:[A-Z]\.\s+)?{_EN_PARTICLE}{_EN_NAME}){{1,2}}"
# Roles that name a person's position; in appositions (X, director of Y / X, the centre's
# director) and before a name (chief executive X).
_EN_ROLES = (
    r"(?:(?:vice|deputy|assistant|associate|executive|senior|chief|managing|general|"
    r"founding|programme|program|research|lead|principal)[\s\-]+)*"
    r"(?:professor|director|president|chief executive(?: officer)?|chief technology officer|"
    r"chief scientist|chief operating officer|chief financial officer|head|dean|chair|chairman|"
    r"chairwoman|founder|co-founder|cofounder|CEO|CTO|CFO|COO|researcher|scientist|academician|"
    r"fellow|lecturer|vice-president|vice president|partner|manager|engineer|economist|analyst|"
    r"spokesperson|spokesman|spokeswoman|minister|secretary|mayor|governor|officer|"
    r"investigator|physicist|chemist|biologist|member|leader|owner|adviser|advisor|"
    r"angel investor|investor|entrepreneur|roboticist|neuroscientist|inventor)"
)
_EN_APPOSITION = re.compile(
    rf"\b({_EN_FULL}),\s+(?:(?:a|an|the|its|their|his|her)\s+)?"
    r"(?:[A-Z]?[a-z]+(?:'s|’s)\s+)?(?:[a-z\-]+\s+){0,2}?"
    rf"(?P<role>{_EN_ROLES})\b"
)
# chief executive Tom Becker, the centre's director Anna Li (lower-case role, then the name)
# "chief executive X", also opening a sentence ("Chief executive X said")
_EN_ROLE_BEFORE = re.compile(rf"(?<![A-Za-z])(?P<role>(?i:{_EN_ROLES}))\s+(?P<name>{_EN_FULL})\b")
_EN_SPEECH = r"(?:said|says|told|added|noted|explained|stressed|warned|argued|recalled)"
_EN_SAID_BEFORE = re.compile(
    rf"\b(?:{_EN_SPEECH}|according to)\s+(?P<name>{_EN_FULL})\b(?!\s+(?:of|for)\b)"
)
_EN_SAID_AFTER = re.compile(rf"(?<![A-Za-z] )\b(?P<name>{_EN_FULL})\s+{_EN_SPEECH}\b")
# the academy's members A, B, C and D / academicians A and B / researchers including A and B
# / four members of the Chinese Academy of Engineering, A, B and C
_EN_MEMBER_LIST = re.compile(
    r"\b(?P<lead>members|academicians|professors|scientists|researchers|fellows|founders|"
    r"co-founders|experts|speakers|scholars|engineers|partners|executives)"
    r"(?:\s+of\s+(?:the\s+)?(?:[A-Z][A-Za-z\-]*\s+|of\s+|and\s+|for\s+){1,8}?"
    r"(?:[A-Z][A-Za-z\-]*),)?"
    r"(?:\s+(?:including|such as|like))?\s+"
    rf"{_EN_FULL}(?:\s*,\s*{_EN_FULL})*(?:,?\s+and\s+{_EN_FULL})"
)
_EN_NAME_IN_LIST = re.compile(_EN_FULL)
# "founded in 2021 by Dr Priya Anand and Tomasz Wielgosz", "founded by brothers Gao Ming and
# Gao Rui", "founded by Zhejiang University roboticist Fang Yuchen": the agents of founding
# and leading are people unless the rules found an organisation there
_EN_BY_AGENTS = re.compile(
    r"\b(?:[Cc]o-)?(?:[Ff]ounded|[Ss]tarted|[Ee]stablished|[Ss]et up|led|headed|run|chaired|"
    r"directed)"
    r"(?:\s+in\s+\d{4})?\s+by\s+"
    # a premodifier (brothers, Zhejiang University roboticist), never a coordinator: in
    # "by Mikael Rautio and Sofia Berg" both are names
    # (a preposition ends the agent instead: "led by Acme Ventures with Grant Thornton Advisory")
    r"(?:(?:[A-Z][A-Za-z\-]+\s+){0,3}?(?!(?:and|or|with|from|of|in|at|for|to|as|on)\s)"
    r"[a-z][a-z\-]+\s+(?:[a-z][a-z\-]+\s+)?)?"
    r"(?P<names>(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs|Sir|Dame)\.?\s+)?"
    # "... and electrochemist Oluwaseun Adeyemi": a later name may have its own occupation
    rf"{_EN_FULL}(?:\s*(?:,|,?\s+and)\s+(?:(?!the\s)[a-z][a-z\-]+\s+)?"
    r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs|Sir|Dame)\.?\s+)?"
    rf"{_EN_FULL})*)"
)
# "Sarah Chen founded ...": a two- or three-word name opening a sentence, then founded/leads
_EN_FOUNDER_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=[.!?][\"”]\s))(?P<name>{_EN_FULL})\s+"
    r"(?:co-founded|founded|cofounded|leads|heads|runs|chairs|directs|joined|set up)\b",
    re.M,
)
_HAS_UPPER_PAIR = re.compile(r"[A-Z][a-z]+\s+[A-Z][a-z]+")
_EN_TITLES = frozenset(["Professor", "Prof", "Dr", "Academician", "Mr", "Ms", "Mrs", "Sir"])
_EN_NOT_NAMES = frozenset(
    ["The", "This", "That", "During", "In", "On", "At", "It", "Its", "A", "An", "And", "But"]
    + ["For", "From", "With", "By", "After", "Before", "When", "While", "Monday", "Tuesday"]
    + ["Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March"]
    + ["April", "May", "June", "July", "August", "September", "October", "November", "December"]
    + ["Chinese", "American", "British", "Russian", "European", "German", "French", "Japanese"]
    + ["Series", "Phase", "New", "North", "South", "East", "West", "Central", "National", "Our"]
    # a role opening a sentence (Director Zhou Hanlin said): the role rule names the person
    + ["Director", "Chairman", "Chairwoman", "Chair", "President", "Dean", "Founder", "Minister"]
    + ["Secretary", "Mayor", "Governor", "Partner", "Investor", "Researcher", "Engineer"]
)
# Words that never sit inside a person's name (capitalised sentence starts, heads, months).
_EN_NOT_NAME_WORDS = frozenset(
    ["The", "Of", "And", "For", "Mr", "Ms", "Dr", "Professor", "University", "Institute", "He"]
    + ["She", "They", "We", "It", "Its", "His", "Her", "Their", "This", "That", "These"]
    + ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
)


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


# Adverbs jieba's HMM glues to the end of an unknown given name (张红则指出, 李明也表示).
_GLUED_ADVERBS = frozenset("则也亦均都还又就曾于")


# What a person 作 (gives) after the name: 作报告, 作主题报告, 作题为《…》的演讲
_REPORTS = ("报告", "主题", "主旨", "专题", "题为", "《", "演讲", "发言", "讲话", "交流", "分享")
# Light verbs and prepositions jieba's HMM glues after a name's last character (群作, 明行).
_GLUED_VERBS = frozenset("作行将在赴到向任获称说")


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
        # 周/nr|立新/d: jieba reads some given names as adverbs; after a surname it tags as
        # a person's, two characters that could be a given name are one
        adverb_name = (
            tok.pos == "nr" and len(nxt.text) == 2 and nxt.pos == "d" and _given_ok(nxt.text, "?")
        )
        if len(nxt.text) > 2 or not (_given_ok(nxt.text, nxt.pos) or adverb_name):
            return None
        if tok.pos.startswith(_BAD_GIVEN_TAGS + ("v",)) and not (
            nxt.pos.startswith("nr") or nxt.pos == "?"
        ):
            return None  # 主席都遭到, 主任向记者: 都/向 are words here, not surnames
        return pos, nxt.end
    plausible = tok.pos.startswith("nr") or tok.pos == "?" or _given_ok(tok.text[surname_len:], "?")
    if tok.pos.startswith(_BAD_GIVEN_TAGS + ("v",)):
        plausible = False  # a dictionary verb or function word (成立), not a name
    if (
        len(tok.text) == surname_len + 3
        and tok.text[-1] in _GLUED_ADVERBS
        and _given_ok(tok.text[surname_len:-1], "?")
    ):
        return pos, tok.end - 1  # 工程师林俊宏于|2018年: 于 is the preposition after the name
    if len(tok.text) <= surname_len + 2 and plausible and tok.text not in _BAD_GIVEN:
        if len(tok.text) == surname_len + 2 and tok.text[-1] in _GLUED_ADVERBS:
            return pos, tok.end - 1  # 副校长张红则指出: 则 is the adverb before the verb
        if (
            len(tok.text) == surname_len + 2
            and tok.text[-1] == "作"
            and state.text.startswith(_REPORTS, tok.end)
        ):
            return pos, tok.end - 1  # 许凯作|报告: 作 is the verb of the report
        nxt = state.tokens[ti + 1] if ti + 1 < len(state.tokens) else None
        if (
            len(tok.text) == surname_len + 1
            and nxt is not None
            and len(nxt.text) == 1
            and len(nxt.pos) == 2
            and nxt.pos.endswith("g")
            and _given_ok(nxt.text, "?")
            and nxt.text not in _GLUED_VERBS
        ):
            return pos, nxt.end  # 沈静/nr|怡/vg: a bound morpheme completes the given name
        if (
            len(tok.text) == surname_len + 1
            and nxt is not None
            and nxt.pos == "?"
            and len(nxt.text) == 2
            and nxt.text[1] in _GLUED_VERBS
            and _given_ok(nxt.text[0], "?")
        ):
            return (
                pos,
                nxt.start + 1,
            )  # 教授吴立|群作报告: the verb 作 took the name's last character
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
    for x in state.mentions:
        if x.extractor == FOREIGN_RULE:
            foreign[x.start : x.end] = b"\x01" * (x.end - x.start)
    for m in lexicon.title_pattern().finditer(text):
        title = m.group()
        after = _name_after(state, m.end())
        if after is not None and not foreign[after[0]]:
            _add_person(state, after[0], after[1], TITLE_RULE, 0.85, title)
            _listed_after(state, after[1], title)
            continue
        before = _name_before(state, m.start())
        if before is not None and lexicon.titles()[title] != "role":
            _add_person(state, before[0], before[1], TITLE_RULE, 0.85, title)
    _counted_lists(state)
    for i, tok in enumerate(state.tokens[:-1]):
        if state.tokens[i + 1].text in _SPEECH and (tok.pos.startswith("nr") or tok.pos == "?"):
            span = _name_before(state, tok.end)
            if span is not None:
                start, end = span
                if end - start == 3 and state.text[end - 1] in _GLUED_ADVERBS:
                    end -= 1  # 张红则指出: the person is 张红
                _add_person(state, start, end, SPEECH_RULE, 0.7, "")


def _compound_name_before(state: DocState, pos: int) -> tuple[int, int] | None:
    """欧阳/ns|振/v: a compound surname jieba reads as a place, then a one- or two-character
    given name, ending at `pos`."""
    ti = state.token_at(pos - 1)
    if ti < 1 or state.tokens[ti].end != pos:
        return None
    given, surname = state.tokens[ti], state.tokens[ti - 1]
    if (
        surname.text in lexicon.surnames()[1]
        and len(given.text) <= 2
        and _given_ok(given.text, "?")
    ):
        return surname.start, pos
    return None


def _listed_after(state: DocState, end: int, title: str) -> None:
    """青年学者周若兰、蒋晨阳、邓启航: names listed with 、 after a titled one share the title
    (only names jieba tags as such or does not know, so that 、 before a noun stops it)."""
    while end < len(state.text) and state.text[end] == "、":
        span = _name_after(state, end + 1)
        ti = state.token_at(end + 1)
        if (
            span is None
            or ti < 0
            or not (state.tokens[ti].pos.startswith("nr") or state.tokens[ti].pos == "?")
        ):
            return
        _add_person(state, span[0], span[1], TITLE_RULE, 0.8, title)
        end = span[1]


# A count of the people just listed before their shared title: 王海峰、李思远三位教授.
_COUNT_BEFORE = re.compile(r"等?(?:[0-9]+|[一二两三四五六七八九十]+)(?:位|名)$")
_LIST_JOINERS = ("、", "和", "与", "及")


def _counted_lists(state: DocState) -> None:
    """`A、B和C三位教授`: every name of a list closed by a count and a title holds it."""
    text = state.text
    for m in lexicon.title_pattern().finditer(text):
        count = _COUNT_BEFORE.search(text, max(0, m.start() - 4), m.start())
        if count is None:
            continue
        pos, found = count.start(), []
        while True:
            span = _name_before(state, pos) or _compound_name_before(state, pos)
            if span is None:
                break
            ti = state.token_at(span[0] - 1)
            if span[1] - span[0] == 2 and ti >= 0:
                prev = state.tokens[ti]
                if prev.end == span[0] and prev.pos == "nr" and len(prev.text) == 1:
                    span = (prev.start, span[1])  # 王/nr|海峰/n: the surname is its own token
            found.append(span)
            if span[0] < 1 or text[span[0] - 1] not in _LIST_JOINERS:
                break
            pos = span[0] - 1
        if len(found) >= 2:  # one name before a count is no list (张三两位 is odd Chinese)
            for start, end in found:
                _add_person(state, start, end, TITLE_RULE, 0.8, m.group())


def _inside_foreign(state: DocState, span: tuple[int, int]) -> bool:
    return any(m.extractor == FOREIGN_RULE and m.start <= span[0] < m.end for m in state.mentions)


# ---- English ----------------------------------------------------------------------------


def _english(state: DocState) -> None:
    text = state.text
    if not _HAS_UPPER_PAIR.search(text):
        return  # no two capitalised words in a row: no English name (most Chinese text)
    for m in _EN_TITLE.finditer(text):
        title = m.group(1).rstrip(".").lower()
        label = Label.ACADEMICIAN if title == "academician" else Label.PERSON
        start, end = m.span(2)
        state.add(Mention(start, end, label, EN_TITLE_RULE, 0.85, props={"titles": [m.group(1)]}))
    orgs = _org_cover(state)
    for m in _EN_APPOSITION.finditer(text):
        name = m.group(1)
        if name.split()[0] in _EN_TITLES:
            continue  # "Professor Jane Whitfield, director ...": the title rule has it
        role = m.group("role")
        if not _en_person_name(state, m.start(1), m.end(1), orgs):
            continue
        label = Label.ACADEMICIAN if role == "academician" else Label.PERSON
        start, end = m.span(1)
        state.add(Mention(start, end, label, EN_APPOSITION_RULE, 0.75, props={"titles": [role]}))
    for m in _EN_ROLE_BEFORE.finditer(text):
        if _en_person_name(state, m.start("name"), m.end("name"), orgs):
            role = " ".join(m.group("role").split())
            state.add(
                Mention(*m.span("name"), Label.PERSON, EN_ROLE_RULE, 0.75, props={"titles": [role]})
            )
    for pattern in (_EN_SAID_BEFORE, _EN_SAID_AFTER):
        for m in pattern.finditer(text):
            if _en_person_name(state, m.start("name"), m.end("name"), orgs):
                state.add(Mention(*m.span("name"), Label.PERSON, EN_SPEECH_RULE, 0.7))
    for m in _EN_BY_AGENTS.finditer(text):
        for name in _EN_NAME_IN_LIST.finditer(text, m.start("names"), m.end("names")):
            if name.group().split()[0] in _EN_TITLES:
                continue
            if _en_person_name(state, name.start(), name.end(), orgs):
                state.add(Mention(*name.span(), Label.PERSON, EN_ROLE_RULE, 0.75))
    for m in _EN_FOUNDER_SUBJECT.finditer(text):
        if _en_person_name(state, m.start("name"), m.end("name"), orgs):
            state.add(Mention(*m.span("name"), Label.PERSON, EN_SPEECH_RULE, 0.7))
    for m in _EN_MEMBER_LIST.finditer(text):
        lead = m.group("lead").lower()
        label = (
            Label.ACADEMICIAN
            if "academ" in text[max(0, m.start() - 30) : m.end("lead")].lower()
            or lead.startswith("academician")
            else Label.PERSON
        )
        for name in _EN_NAME_IN_LIST.finditer(text, m.end("lead"), m.end()):
            if _en_person_name(state, name.start(), name.end(), orgs):
                state.add(Mention(*name.span(), label, EN_LIST_RULE, 0.75, props={"list": True}))
    if state.lang == "en":
        english_names.english_given_names(state)


def _org_cover(state: DocState) -> bytearray:
    """Characters covered by organisation, place or technology mentions found so far."""
    cover = bytearray(len(state.text))
    for m in state.mentions:
        if m.label not in (Label.PERSON, Label.ACADEMICIAN):
            cover[m.start : m.end] = b"\x01" * (m.end - m.start)
    return cover


def _en_person_name(state: DocState, start: int, end: int, orgs: bytearray) -> bool:
    """Whether text[start:end] (two or three capitalised words) can be a person's name: not
    an organisation, place or technology found by the rules, no head word, no function word."""
    name = state.text[start:end]
    words = name.split()
    if len(words) < 2 or words[0] in _EN_NOT_NAMES or words[0] in _EN_TITLES:
        return False
    if any(w in _EN_NOT_NAME_WORDS for w in words):
        return False
    if orgs.find(1, start, end) >= 0:
        return False
    return not _is_org_or_place(name) and not any(
        lexicon.places().lookup(w) is not None for w in words
    )


def _is_org_or_place(name: str) -> bool:
    last = name.split()[-1]
    return (
        last in lexicon.en_org_heads().label_of
        or lexicon.places().lookup(name) is not None
        or lexicon.known_orgs().lookup(name) is not None
    )
