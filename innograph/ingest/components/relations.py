"""`innograph_relations`: typed, directed relations from clause structure and trigger words.

Relations are never drawn from bare co-occurrence. Each rule family reads one structure:

- chain      `ORG + title + PERSON` (香港科技大学校长叶志明, 中国工程院院士X) -> AFFILIATED_WITH with
             the title as `role` (FOUNDED for 创始人); English `PERSON, director of ORG`;
- object     clause subject + trigger + object (该基地依托G60科创走廊 -> LOCATED_IN; 专注于A、B和C
             -> FOCUSES_ON each listed technology; 出席了此次盛会 -> PARTICIPATED_IN);
- agent      agent + trigger (+ object), the object defaulting to the clause subject
             (华创资本领投 -> INVESTS_IN the company; 由X孵化 -> SPUN_OFF_FROM X; led by X);
- with       subject + 与/和 + partner + a cooperation verb later in the clause (A与B签署...);
- nesting    a name that starts with its parent's name (俄罗斯科学院远东分院 PART_OF 俄罗斯科学院).

The clause subject is the first person/organisation mention at the start of a clause (only
time words and connectives before it), extended over coordinated mentions (A、B和C); when a
sentence has none, the previous sentence's subject carries over (topic continuity), with
lower confidence. Trigger words live in `lexicons/relation_triggers.tsv`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import english_relations, lexicon
from innograph.ingest.components.state import DocState, EntityDraft, RelationDraft, state_of
from innograph.model import SYMMETRIC_TYPES, Family, Label, RelType

_ACTORS = (Family.ORG, Family.PERSON)
_ORG_LABELS = (Label.INSTITUTE, Label.FIRM, Label.PARK, Label.ORGANIZATION)
_PEOPLE = (Label.PERSON, Label.ACADEMICIAN)
_ACTOR_LABELS = frozenset((*_ORG_LABELS, *_PEOPLE))

# What each relation type may connect: (source labels, target labels).
_SIGNATURE: dict[RelType, tuple[tuple[Label, ...], tuple[Label, ...]]] = {
    RelType.AFFILIATED_WITH: (_PEOPLE, _ORG_LABELS),
    RelType.COLLABORATES_WITH: ((*_ORG_LABELS, *_PEOPLE), (*_ORG_LABELS, *_PEOPLE)),
    RelType.FOUNDED: ((*_PEOPLE, *_ORG_LABELS), _ORG_LABELS),
    RelType.SPUN_OFF_FROM: (_ORG_LABELS, _ORG_LABELS),
    RelType.PART_OF: (_ORG_LABELS, _ORG_LABELS),
    RelType.LOCATED_IN: ((*_ORG_LABELS, Label.EVENT), (Label.PARK, Label.PLACE)),
    RelType.FOCUSES_ON: ((*_ORG_LABELS, *_PEOPLE), (Label.TECHNOLOGY,)),
    # an Organization target is a programme the cohort takes part in (see `_en_cohort`)
    RelType.PARTICIPATED_IN: ((*_ORG_LABELS, *_PEOPLE), (Label.EVENT, Label.ORGANIZATION)),
    RelType.INVESTS_IN: ((*_ORG_LABELS, *_PEOPLE), (Label.FIRM, Label.INSTITUTE, Label.PARK)),
}
_CONFIDENCE = {
    "chain": 0.9,
    "nesting": 0.9,
    "object": 0.8,
    "agent": 0.8,
    "with": 0.75,
    "list": 0.8,
}
_WEAK_TRIGGERS = frozenset(["链接", "深度链接", "对接", "联合", "面向", "从事"])
_TOPIC_DISCOUNT = 0.85
# Cooperation words that also describe people acting together (共同揭牌).
_JOINT_FOUNDING = frozenset(["共建", "合作共建", "共同建设"])
# Cooperation words that need the partner after 与 (与帕夫洛娃院士团队签约): subjects listed
# before them did not sign with each other.
_PARTNER_ONLY = frozenset(["签约"])
_WEAK_WITH = frozenset(["共同", "联合", "协同", "建立", "共建"])
# Relations whose trigger may take a coordinated list of objects.
_LISTED_OBJECTS = frozenset(
    [RelType.FOCUSES_ON, RelType.COLLABORATES_WITH, RelType.INVESTS_IN, RelType.PARTICIPATED_IN]
)

_ZH_CLAUSE = re.compile(r"[，,；;：:】]")  # 】 closes a dateline (【记者X/台北报导】)
_ZH_FILLER = re.compile(
    r"^(?:[0-9]{2,4}年|[0-9]{1,2}月|[0-9]{1,2}日|近日|日前|目前|此外|同时|另外|随后|其中|今年|"
    r"去年|会上|此前|届时|未来|如今|并且|并|而|也|还|将|已|同样|此次|本次|以及|[ \"“”])*$"
)
_ZH_COORD = re.compile(r"^(?:、|和|与|及|以及|,|，|同|跟)$")
_ZH_LIST_SEP = re.compile(r"^(?:、|和|及|与|以及|或|,|，|、以及)$")
_EN_FILLER = re.compile(
    r"^(?:(?:The|the|A|An|a|an|Meanwhile|Also|Today|Yesterday|Recently|In \d{4}|Last year|"
    # "Copenhagen-based Solvik Pharma": where the subject is based
    r"[A-Z][A-Za-z\-]*-based|"
    r"Professor|Prof\.?|Dr\.?|Academician|Mr\.?|Ms\.?|Mrs\.?|Sir|Dame|,|"
    # "Bristol robotics start-up X", "London-based chipmaker X": a descriptor before the name
    r"(?:[A-Z][A-Za-z\-]+\s+)?(?:[a-z][a-z\-]*\s+){0,2}(?:start-up|startup|spin-out|"
    r"spinout|spin-off|scale-up|chipmaker|drugmaker|biotech|company|firm|investors?|backers?|"
    r"shareholders?)|"
    r"(?:Its|Their)(?:\s+[a-z][a-z\-]*){1,2})\s*)*$"
)
_EN_COORD = re.compile(r"^(?:,\s*|\s+and\s+|,\s+and\s+|\s*&\s*)(?:the\s+)?$")
_EN_LIST_SEP = re.compile(r"^(?:,\s*|\s+and\s+|,\s+and\s+|\s+or\s+|,\s+or\s+)$")
_EN_AFFILIATION = re.compile(
    r"^,?\s+(?:(?:a|an|the)\s+)?"
    # a role's words, never a new clause (", and is headquartered at the X")
    r"((?:(?!(?:and|is|was|are|were|will|has|have|had|headquartered|based|located)\s)"
    r"[a-z][a-z\-]*\s+){0,4}?)(?:of|at|from|in)\s+(?:the\s+)?$"
)
_ZH_POSSESSIVE = re.compile(r"^(?:了|过)?的?(?:[\u4e00-\u9fff]{0,10}[“\"「『])?$")
_EN_POSSESSIVE_ROLE = re.compile(
    r"^(?:'s|’s)\s+((?:[a-z][a-z\-]*\s+){0,3}?[a-z][a-z\-]*)\s*,?\s*"
    r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs|Sir|Dame)\.?\s+)?"
)
# ", a neurologist at " / ", the chair of ": an apposition describing the mention before it
_EN_APPOSITION = re.compile(
    r"^,\s+(?:a|an|the|its|their)\s+[^,;.()]{0,60}?\b(?:at|of|from|in|with)\s+(?:the\s+)?$"
)
# "UCL spin-out Ferrowave" / "Ferrowave, a UCL spin-out": the company came out of the body
_EN_SPINOUT = r"(?:spin-out|spinout|spin-off|spinoff|spun-out)"
_EN_SPINOUT_BETWEEN = re.compile(r"^\s+" + _EN_SPINOUT + r"\s+$")
_EN_SPINOUT_AFTER = re.compile(r"^\s+" + _EN_SPINOUT + r"\b")
_EN_AN = re.compile(r"^,\s+(?:a|an|the)\s+(?:[a-z][a-z\-]*\s+)?$")
_EN_AT = re.compile(r"^\s+at\s+(?:the\s+)?$")
_EN_APPOSED_ORG = re.compile(r"^,\s+(?:(?:the|its|their)\s+)?$")
_EN_FOUNDER = frozenset(["founder", "co-founder", "cofounder", "founders", "co-founders"])
_EN_PARTNERS = re.compile(
    r"(?:,\s+whose\s+|'s\s+|’s\s+)?\b(?:[Pp]artners|[Pp]artner institutions|[Mm]embers|"
    r"[Cc]ollaborators)\s+(?:include|includes|including|are|such as)\s+(?:the\s+)?"
    # "with six founding partners: A, B and C"
    r"|\bwith\s+(?:(?:[a-z]+|\d+)\s+)?(?:founding\s+|industrial\s+|industry\s+)?"
    r"(?:partners|partner organisations|partner organizations|members)\s*:\s*(?:the\s+)?"
)
_EN_PREPOSED = re.compile(r"\b(?:at|in|from|by|on|into|for)\s+(?:the\s+)?$")
# ", who met as postdoctoral researchers at" / ", who heads the": a person's organisation
_EN_WHO = re.compile(
    r"^,\s+(?:both|all|each)\s+(?:[a-z\-]+\s+){0,3}?(?:of|at|from)\s+(?:the\s+)?$|"
    r"^,?\s+who\s+(?:(?P<role>heads|leads|directs|runs|chairs|founded|co-founded|advises|"
    r"advised|mentors|mentored|also advises)\s+"
    r"|(?:(?:met|worked|works|work|studied|trained|taught|teaches|was|were|is|are|had been|"
    r"has been|previously|once|both|all)\s+)+(?:[a-z][a-z\-]*\s+){0,5}?(?:at|of|in|with)\s+)"
    r"(?:the\s+)?$"
)
# "the Pengcheng Institute, where director Huang Jiaming showed ...": the role at the body
_EN_WHERE_ROLE = re.compile(
    r"^,\s+where\s+(?:its\s+|the\s+)?((?:[a-z][a-z\-]*\s+){0,2}?(?:director|head|president|"
    r"dean|chair|chairman|chief executive|founder|co-founder|manager|professor|researcher|"
    r"scientist|engineer|chief scientist))\s+(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?$"
)
_EN_TITLE_END = re.compile(r"(?:Dr|Prof|Professor|Mr|Ms|Mrs|Sir|Dame)\.?\s+$")
# "Rotterdam-based Havenkracht": a premodifier inside a list, not a separator
_EN_BASED = re.compile(r"(?:[A-Z][\w.\-]*-based\s+)$")
# "Chief executive X said": a sentence opening with a role, no organisation named
_EN_OPENING_ROLE = re.compile(
    r"^\s*(?i:((?:co-)?founder|(?:chief|managing|executive|founding)\s+[a-z]+(?:\s+officer)?|"
    r"ceo|cto|director|president|chair(?:man|woman)?|head))\s+$"
)
# "Its director, Professor X": a role at the organisation the text is about
_EN_ITS_ROLE = re.compile(
    r"^\s*(?:Its|Their)\s+((?:[a-z][a-z\-]*\s+){0,3}?[a-z][a-z\-]*)\s*,?\s*"
    r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs|Sir|Dame)\.?\s+)?$"
)
_ZH_PARTNERS = re.compile(
    r"(?:的)?(?:合作伙伴|合作单位|合作方|成员单位|共建单位)(?:包括|有|为|是|：|:)"
)
_ROLE_OF_FOUNDER = frozenset(["创始人", "联合创始人", "创办人"])
_FOUNDER_TITLES = tuple(_ROLE_OF_FOUNDER)  # for str.endswith
# A firm's officers, named by title alone in a clause about the firm (执行长王思齐表示)
_FIRM_HEADS_TITLES = ("执行长", "首席执行官", "总经理", "董事长", "首席技术官", "技术长", "总裁")
_STOP = re.compile(r"[。，,;；:：.!?！？]")
_GOVERNING_GAP = re.compile(r"(?:正式|已|已经|将|也|还|均|共同|先后|曾|)")
_WITH = re.compile(r"[与和同跟]")
# Rank words before a title (高级副总裁, 首席科学家 is a title of its own): the title decides.
_RANK_PREFIX = re.compile(
    r"^(?:正高级|副高级|高级|资深|常务|执行|特聘|终身|荣誉|名誉(?=[^校])|兼职|客座|代理|青年|讲座|讲席|"
    r"[一二三四]级)+"
)
# 由清华大学教授刘建国创办的 + X: a relative clause before the subject of the sentence
_ZH_BY_RELATIVE = re.compile(
    r"^由[^，。；！？,;]{1,40}的(?:初创|新创|高科技|科技)?(?:企业|公司|机构|团队)?$"
)
# 在 EVENT 上/期间: the clause's subject took part in the event
_ZH_AT_EVENT_AFTER = re.compile(
    r"^(?:暨[^，。；]{1,20}?)?(?:上|期间|中|现场|开幕式上|举办期间|会上|召开期间|"
    r"主会场|分会场|会场|展区|展台|展馆)"
)
# "At the summit," / "Over at the pitch day," / "On the sidelines of the forum,"
_EN_AT_EVENT_BEFORE = re.compile(
    r"(?:^|[.;]\s*|\b)(?:At|at|During|during|On the sidelines of|on the sidelines of)"
    r"\s+(?:the\s+)?$"
)
# 等三位, 两名, 3位: a count of the people just listed, before their shared title
_COUNTED = re.compile(r"^等?(?:[0-9]+|[一二两三四五六七八九十]+)(?:位|名|个)")
_ZH_TITLE_SEP = re.compile(r"^([\u4e00-\u9fff]{1,8})[、，,]$")
_ZH_SEP_TITLE = re.compile(r"^(?:、|和|及|与|以及)([\u4e00-\u9fff]{1,8})$")
# ",澳门大学中华医药研究院院长" / "、" / ",以及香港浸会大学教授": between listed people
# "... a partnership with X at the event." (not "At the summit," opening a clause)
_EN_AT_THE = re.compile(r"\s(?:at|during)\s+(?:the\s+)?$")
# "who joins Kestrel's board", "joined the board of Kestrel", "sits on the X board"
_EN_JOINS = re.compile(r"\b(?:joins|joined|join|will join|sits on|sat on|is on)\s+(?:the\s+)?$")
_EN_BOARD_AFTER = re.compile(r"^(?:'s|’s)?\s+board\b")
_EN_BOARD_OF = re.compile(
    r"\b(?:joins|joined|join|will join|sits on|sat on)\s+the\s+board\s+of\s+(?:the\s+)?$"
)
# "The cohort includes A, B and C" / "this year's cohort comprises ..."
_EN_COHORT = re.compile(
    r"\b[Cc]ohort\s+(?:includes|included|comprises|comprised|features|featured|is made up of)\s+"
)
_PROGRAMME_WORD = re.compile(
    r"(?:Programme|Program|Accelerator|Incubator|Incubation|Fellowship|Initiative|Scheme)\b"
)
# "Speakers included A, co-founder of X, and Dr B of the C"
_EN_ATTENDEES = re.compile(
    r"\b(?:[Ss]peakers|[Aa]ttendees|[Pp]articipants|[Gg]uests|[Pp]anell?ists|[Dd]elegates)\s+"
    r"(?:included|include|were|are)\s+"
)
# a speech verb closing the speaker's clause: what follows is reported, with its own subject
_ZH_REPORTED = re.compile(r"(?:介绍|表示|指出|强调|透露|认为|说|称|谈到|坦言)[，,：:]")
_ZH_COUNTED_TITLE = re.compile(
    r"^等?(?:[0-9]+|[一二两三四五六七八九十]+)(?:位|名)[\u4e00-\u9fff]{1,5}?(?=也|还|都|均|亦|$)"
)
_ZH_LIST_GAP = re.compile(r"^[,，、](?:以及|和|及)?[^，。；,;：:！？]{0,25}$")
# 首任主任由 / 主任一职由: a title, then 由 and the person who holds it
_ZH_TITLE_BY = re.compile(r"(?:首任|新任|现任|第一任)?([\u4e00-\u9fff]{1,6}?)(?:一职)?由")
_ZH_RECEIVED = re.compile(r"(?:获得|获|得到|拿到|迎来)(?:了)?$")
# 1500万元天使轮投资 / 数千万元A轮融资 / 战略投资: what the organisation gave
_ZH_INVESTMENT_AFTER = re.compile(
    r"^(?:的)?(?:[0-9.]+|[一二三四五六七八九十百千]+|数)?(?:亿|千万|百万|万)?(?:美元|港元|港币|新台币|"
    r"人民币|元)?(?:的)?(?:[A-Za-z]+\+?|天使|种子|战略|Pre-[A-Za-z]+)?(?:轮)?(?:股权)?"
    r"(?:投资|融资|注资|资助)"  # 获澳门科学技术发展基金资助: a grant is funding too
)
_ZH_SEP = re.compile(r"^(?:、|和|及|与|以及)")
# Heads of a local government: 赣州市副市长X works at 赣州市人民政府
_GOVERNMENT_HEADS = frozenset(
    ["市长", "副市长", "省长", "副省长", "区长", "副区长", "县长", "副县长", "州长", "副州长"]
)
# 国立成功大学医学院衍生新创公司晶涌生医: a spin-off (or subsidiary) named after its origin
# X是<ORG>……的衍生企业 / 孵化的公司 (the match ends where the parent's name starts)
_ZH_IS_OFFSPRING = re.compile(
    r"是(?=[^,，。；;]{2,40}?(?:衍生|孵化|分拆)(?:出)?的?(?:新创|初创|高科技|科技)?(?:公司|企业))"
)
_ZH_OFFSPRING = re.compile(
    r"^(衍生|孵化|分拆|旗下|下属)(?:出)?的?(?:新创|初创|高科技|科技)?(?:公司|企业)?$"
)
# 双方将共建C / 双方还将联合成立C: the parties just named found what follows
_ZH_BOTH_FOUND = re.compile(
    r"(?:双方(?:将|还将|计划|拟|决定|同意|并|还)?(?:共同|联合)?"
    # 签署合作备忘录，共同成立「C」: the signing parties, right after their agreement
    r"|(?<=[,，])(?:并|将|还将)?(?:共同|联合))"
    r"(?:成立|共建|组建|建立|设立|建设|打造)(?:了)?[“「\"]?"
)
_ZH_INVITE = re.compile(r"邀请(?:了)?")
_ZH_CO_FOUND = frozenset(["共建", "共同建设", "联合建设", "合作共建", "共同成立", "联合成立"])
_ZH_CO_HOLD = re.compile(r"(?:担任|出任|兼任)")
_ZH_PROJECTS_SIGNED = re.compile(
    r"(?:了)?(?:[0-9一二三四五六七八九十百]+(?:个|项|批))?(?:重大|重点|产业)?项目"
)
# 在<venue>(隆重)举行: where an event takes place (the venue is matched as a mention)
_ZH_HELD_AT = re.compile(
    r"在[^,，。；;在]{2,30}?(?P<verb>(?:隆重|正式|顺利|盛大)?(?:举行|开幕|召开|举办|启幕|闭幕|落幕))"
)
# between coordinated events, or between the last of them and 在
_ZH_EVENT_JOIN = re.compile(r"[”」\"]?(?:暨|和|与|及|、|)?(?:今天|今日|昨天|昨日|日前|近日)?")
# 正式入园，其中包括 / 入驻园区，分别是: a list of the bodies that settled follows
_ZH_ENTRANTS = re.compile(
    r"(?:入园|入驻|落户|进驻)[^。；;,，]{0,8}[,，](?:其中)?(?:包括|包含|分别是|分别为)(?:了)?"
)
_ZH_LIST_SEP_AT = re.compile(r"(?:、|和|及|与|以及)")
# A founding verb and the opening quote of the name of what it creates
_ZH_FOUNDING = re.compile(
    r"(?:共同|联合)?(?:设立|成立|共建|组建|建立|建设|打造|筹建|创建)(?:了)?[“「\"]?"
)
# Between the created body's name and a clause about it: its closing quote, a comma, 并/将
_ZH_HEAD_SUBJECT = re.compile(
    r"[”」\"]?[,，](?:该|这个)?(?P<head>[\u4e00-\u9fff]{2,4}?)(?:将|还将|主要|重点|也将)"
)
_ZH_CLAUSE_JOIN = re.compile(r"[”」\"]?[,，]?(?:并|将|主要|重点)?")
# 在<park>(共同)设立: where a new body is set up (the park is matched as a mention)
_ZH_FOUNDED_AT = re.compile(
    r"在(?P<at>)[^,，。；;]{2,30}?(?:共同|联合)?(?:设立|成立|共建|组建|建立|建设|打造|筹建)(?:了)?[“「\"]?"
)
# 以A、B和C为特色: technologies made the emphasis of the subject's work
_ZH_WITH_AS = re.compile(
    r"以(?P<items>[^，。；,;：:]{2,60}?)为(?:特色|重点|主导|核心|主攻方向|重点方向|主要方向|"
    r"发展方向|研究方向|方向|主线|引领|支撑|主体)"
)
# 由A牵头、B和C参与: the cue after the leaders, then the joining organisations
_ZH_LEAD = re.compile(r"(?:共同)?牵头(?:[、，,]|(?=[\u4e00-\u9fff]))(?P<with>联合|会同|携手|协同)?")
_ZH_JOIN_VERB = re.compile(
    r"^(?:等[\u4e00-\u9fff]{0,4}?(?:单位|企业|机构|高校|院所))?(?:共同|联合)?"
    r"(?:参与|参加|承担|实施|组建|申报|攻关|完成|合作|配合|加入)"
)
_ZH_DEPARTMENT = re.compile(
    r"^[\u4e00-\u9fff]{2,12}?(?:学系|系|学院|研究所|研究中心|实验室|课题组)(?=.)"
)
_TIME_GAP = re.compile(r"(?:于|在)?[0-9]{4}年(?:[0-9]{1,2}月)?(?:[0-9]{1,2}日)?(?:初|底|末|中)?")
_PREPOSITIONS = frozenset("向对为与和在于从到赴")
_TEAM_GAP = re.compile(r"^(?:教授|院士|研究员|博士|博士生导师|团队|课题组|等人|等)+")


_ACADEMY_HEADS = ("科学院", "工程院", "Academy of Sciences", "Academy of Engineering")


# "founded in 2022 by materials scientist A", "set up by ophthalmologist A": the agent may
# follow a year and an occupation after "by"
_EN_BY_GAP = re.compile(
    r"^\s+(?:(?:the|a|an)\s+)?(?:(?!and\s|or\s|with\s|in\s|at\s)[a-z][a-z\-]*\s+){1,3}$"
)
# "and electrochemist B", "and the Portuguese innovation agency B": a description of the
# next agent, no break in the list
_EN_DECLARED_ABBREV = re.compile(r"^\s*\([^()]{1,20}\)")
_EN_OCCUPATION_AFTER_AND = re.compile(
    r"^(,?\s+and\s+)(?:the\s+(?:[A-Z][a-z]+\s+)?(?:[a-z][a-z\-]*\s+){1,3}|"
    r"(?!the\s)(?:[a-z][a-z\-]+\s+){1,2})$"
)


def _en_agent_gap(trigger: str, gap: str) -> bool:
    """Whether the text between an English trigger and a name lets the name be its agent
    ("founded in 2022 by materials scientist A": an occupation may come between)."""
    gap = _EN_TITLE_END.sub("", gap)  # "by immunologist Dr A"
    return len(gap) <= 12 or (trigger.endswith("by") and _EN_BY_GAP.match(gap) is not None)


def _is_academician_title(title: str) -> bool:
    return lexicon.titles().get(title) == "academician"


@cache
def _title_lengths() -> tuple[int, ...]:
    """The distinct title lengths, longest first."""
    return tuple(sorted({len(t) for t in lexicon.titles()}, reverse=True))


def _title_at_start(after: str) -> str:
    """The longest title `after` starts with ("" when none): only one string of each length
    is a prefix, so testing prefixes longest first finds what a longest-first scan would."""
    titles = lexicon.titles()
    for n in _title_lengths():
        if n <= len(after) and after[:n] in titles:
            return after[:n]
    return ""


@dataclass(slots=True)
class Ref:
    """A mention linked to an entity, as relations see it."""

    start: int
    end: int
    entity: int
    label: Label


@Language.component("innograph_relations")
def relations_component(doc: Doc) -> Doc:
    state = state_of(doc)
    _Relations(state).run()
    return doc


@cache
def _trigger_patterns(lang: str) -> list[tuple[RelType, str, str, re.Pattern[str]]]:
    out = []
    for rel, families in lexicon.relation_triggers().items():
        for family, words in families.items():
            if not family.startswith(lang):
                continue
            ordered = sorted(words, key=len, reverse=True)
            if lang == "zh":
                body = lexicon.trie_regex(ordered)
            else:
                body = r"\b(?:" + "|".join(_en_phrase(w) for w in ordered) + r")\b"
            out.append((RelType(rel), family.split("_", 1)[1], body, re.compile(body)))
    return out


def _all_at(text: str, needle: str) -> list[int]:
    """Every start of `needle` in `text` (`needle` cannot overlap itself)."""
    out = []
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + len(needle))
    return out


def _en_phrase(words: str) -> str:
    # "founded by" also matches "founded in 2019 by"; "..." stands for up to eight words
    # (opened a production line for silicon nitride photonic chips at).
    parts = [re.escape(w) if w != "..." else r"(?:\S+\s+){0,7}?\S+" for w in words.split()]
    if words[:1].islower():
        # "Funded by X, the hub ...": a sentence may open with the trigger
        parts[0] = f"[{words[0]}{words[0].upper()}]{parts[0][1:]}"
    phrase = r"\s+".join(parts)
    if words.endswith(" by"):
        phrase = phrase[: -len(r"\s+by")] + r"(?:\s+in\s+\d{4})?\s+by"
    return phrase


class _Relations:
    def __init__(self, state: DocState) -> None:
        self.state = state
        self.text = state.text
        self.lang = "en" if state.lang == "en" else "zh"
        entities = state.entities
        refs = [
            Ref(m.start, m.end, m.entity, entities[m.entity].label)
            for m in state.mentions
            if m.entity >= 0
        ]
        refs.sort(key=lambda r: (r.start, -r.end))
        self.by_sentence: list[list[Ref]] = [[] for _ in state.sentences]
        if state.sentences:
            starts = state._sentence_starts
            for r in refs:  # the sentence as `state.sentence_at` finds it
                self.by_sentence[max(0, bisect.bisect_right(starts, r.start) - 1)].append(r)
        self.out: dict[tuple[int, int, RelType], RelationDraft] = {}
        # objects of agent triggers already read, per (sentence, type): 跟投 follows 领投
        self._agent_objects: dict[tuple[int, RelType], list[Ref]] = {}
        self._agent_triggers: list[tuple[int, RelType]] = []  # (start, type) in this sentence
        self.parents: dict[int, list[tuple[int, int]]] = {}  # sentence -> (parent, child)
        for m in state.mentions:
            parent = m.props.get("parent_entity", -1) if m.props else -1
            if parent >= 0 and m.entity >= 0 and state.sentences:
                self.parents.setdefault(state.sentence_at(m.start), []).append((parent, m.entity))
        self.entity_parent = {
            child: parent for pairs in self.parents.values() for parent, child in pairs
        }
        self.groups: list[list[Ref]] = []  # subject groups of the current sentence
        self.topic: list[Ref] = []  # subject carried over from earlier sentences
        self.org_topic: list[Ref] = []  # the last sentence subject that is an organisation
        self._cuts: list[int] | None = None  # clause starts after punctuation (see below)
        self._handlers: dict[str, Callable[..., None] | None] = {}

    # ---- emitting -----------------------------------------------------------------------

    def emit(
        self,
        src: int,
        tgt: int,
        rel: RelType,
        sentence: int,
        rule: str,
        confidence: float,
        props: dict[str, str] | None = None,
    ) -> None:
        if src < 0 or tgt < 0 or src == tgt:
            return
        entities: list[EntityDraft] = self.state.entities
        sources, targets = _SIGNATURE[rel]
        if entities[src].label not in sources or entities[tgt].label not in targets:
            return
        if rel in SYMMETRIC_TYPES and src > tgt:
            src, tgt = tgt, src
        key = (src, tgt, rel)
        s, e = self.state.sentences[sentence]
        if key in self.out and self.out[key].confidence >= confidence:
            return
        self.out[key] = RelationDraft(
            src, tgt, rel, s, e, f"rel.{rule}", round(confidence, 3), dict(props or {})
        )

    # ---- structure ----------------------------------------------------------------------

    def run(self) -> None:
        if not self.state.sentences:
            return
        triggers: list[list[tuple[int, int, RelType, str, str]]] = [[] for _ in self.by_sentence]
        sentence_starts = self.state._sentence_starts
        by_sentence = self.by_sentence
        for rel, family, _body, pattern in _trigger_patterns(self.lang):
            for m in pattern.finditer(self.text):
                start, end = m.span()
                # the sentence as `state.sentence_at` finds it
                si = max(0, bisect.bisect_right(sentence_starts, start) - 1)
                if any(r.start <= start and end <= r.end for r in by_sentence[si]):
                    continue  # inside a mention
                if end - start == 1 and self.lang == "zh" and not self._whole_word(start, end):
                    continue  # 任 inside 主任, 投 inside 投票: a one-character verb is a word
                triggers[si].append((start, end, rel, family, m.group()))
        topic: list[Ref] = []
        for si, refs in enumerate(self.by_sentence):
            subjects = self._subjects(si, refs)
            self.groups, self.topic = subjects, topic
            self._agent_triggers = [
                (start, rel) for start, _, rel, family, _ in triggers[si] if family == "agent"
            ]
            self._chains(si, refs, topic)
            if self.lang == "zh":
                self._at_event(si, refs)
            else:
                self._en_at_event(si, refs)
            self._nesting(si, refs)
            if self.lang == "zh":
                self._lead_and_join(si, refs)
                self._offspring(si, refs)
                self._spun_off_predicate(si, refs)
                self._received_investment(si, refs, subjects, topic)
                self._with_as_focus(si, refs, subjects, topic)
            for start, end, rel, family, word in sorted(triggers[si]):
                group, from_topic = self._subject_at(si, refs, subjects, topic, start)
                conf = _CONFIDENCE[family if family in _CONFIDENCE else "object"]
                if word in _WEAK_TRIGGERS:
                    conf -= 0.2
                if from_topic:
                    conf *= _TOPIC_DISCOUNT
                handler = self._handler(family)
                if handler is not None:
                    handler(si, refs, group, start, end, rel, word, conf)
            if self.lang == "zh":
                self._both_parties(si, refs)
                self._invited(si, refs)
                self._founded_at(si, refs)
                self._held_at(si, refs)
                self._entrants(si, refs)
            if subjects:
                topic = subjects[0]
                if topic[0].label in _ORG_LABELS:
                    self.org_topic = topic
        if self.lang == "en":
            english_relations.structures(self)
        self.state.relations.extend(self.out.values())

    def _whole_word(self, start: int, end: int) -> bool:
        """Whether text[start:end] is one jieba token of its own."""
        state = self.state
        i = state.token_at(start)
        return 0 <= i < len(state.tokens) and (state.tokens[i].start, state.tokens[i].end) == (
            start,
            end,
        )

    def _handler(self, family: str) -> Callable[..., None] | None:
        """The bound method reading a trigger family (`_object`, `_agent` ...), or None."""
        if family not in self._handlers:
            self._handlers[family] = getattr(self, f"_{family}", None)
        return self._handlers[family]

    def _clause_start(self, si: int, pos: int) -> int:
        """Where the clause containing `pos` starts: just after the last clause punctuation
        (zh) or ", "/"; " (en) between the sentence start and `pos`, else the sentence start.
        The punctuation of the whole text is listed once, then bisected."""
        s, _ = self.state.sentences[si]
        cuts = self._cuts
        if cuts is None:
            text = self.text
            if self.lang == "en":
                found = {i + 2 for i in _all_at(text, ", ")} | {i + 2 for i in _all_at(text, "; ")}
                cuts = sorted(found)
            else:
                cuts = [m.end() for m in _ZH_CLAUSE.finditer(text)]
            self._cuts = cuts
        # the last cut whose punctuation lies wholly in text[s:pos]
        i = bisect.bisect_right(cuts, pos) - 1
        if i >= 0:
            best = cuts[i]
            if best - (2 if self.lang == "en" else 1) >= s:
                return best
        return s

    def _is_actor(self, r: Ref) -> bool:
        return r.label in _ACTOR_LABELS

    def _subjects(self, si: int, refs: list[Ref]) -> list[list[Ref]]:
        """Every clause-initial actor group of the sentence, in order."""
        groups: list[list[Ref]] = []
        filler = _EN_FILLER if self.lang == "en" else _ZH_FILLER
        coord = _EN_COORD if self.lang == "en" else _ZH_COORD
        used: set[int] = set()
        for i, r in enumerate(refs):
            if r.label not in _ACTOR_LABELS or i in used:
                continue
            before = self.text[self._clause_start(si, r.start) : r.start]
            if not filler.match(before) and not (
                self.lang == "zh" and _ZH_BY_RELATIVE.match(before)
            ):
                continue
            if (
                self.lang == "en"
                and i > 0
                and self._is_actor(refs[i - 1])
                and coord.match(self.text[refs[i - 1].end : r.start])
                and not (
                    self.text.startswith("the ", r.start)
                    and not self.text.startswith(("'s", "’s", ","), r.end)
                )
            ):
                # "include A, B and C": B follows a comma inside a list, no clause ("..., the
                # company builds": an anaphor opens the main clause)
                continue
            if (
                self.lang == "en"
                and i > 0
                and self._is_actor(refs[i - 1])
                and _EN_AN.match(self.text[refs[i - 1].end : r.start])
            ):
                continue  # "Brightwater, a University of Leeds spin-out, ...": an apposition
            head = self._chain_person(refs, i)
            group = [refs[head]]
            used.update(range(i, head + 1))
            j = head + 1
            while j < len(refs):
                if (
                    self.lang == "zh"
                    and refs[j].label == Label.PLACE
                    and j + 1 < len(refs)
                    and refs[j + 1].label in _PEOPLE
                    and self._placed_title_gap(self.text[group[-1].end : refs[j + 1].start])
                ):
                    j += 1  # 罗振邦、赣州市副市长廖春华: the city names the office, not an actor
                if not self._is_actor(refs[j]):
                    break
                gap = self.text[group[-1].end : refs[j].start]
                if not coord.match(gap) and not (self.lang == "zh" and self._placed_title_gap(gap)):
                    break
                k = self._chain_person(refs, j)
                group.append(refs[k])
                used.update(range(j, k + 1))
                j = k + 1
            groups.append(group)
        return groups

    def _placed_title_gap(self, gap: str) -> bool:
        """、赣州市副市长 between two people: a list separator, a place and a title."""
        m = _ZH_SEP.match(gap)
        if m is None:
            return False
        rest = gap[m.end() :]
        place = lexicon.places().pattern.match(rest)
        if place is not None:
            rest = rest[place.end() :].removeprefix("市").removeprefix("省")
        return bool(rest) and self._title_gap(rest) is not None

    def _government_of(self, place: Ref) -> int:
        """The city's (province's ...) people's government named in the text, else -1:
        赣州市副市长 holds office at 赣州市人民政府."""
        surface = self.text[place.start : place.end]
        stem = surface.rstrip("市省区县")
        for i, e in enumerate(self.state.entities):
            if (
                e.label == Label.ORGANIZATION
                and e.name.endswith("人民政府")
                and e.name.startswith(stem)
                and len(e.name) - len(stem) <= 5
            ):
                return i
        return -1

    def _chain_person(self, refs: list[Ref], i: int) -> int:
        """In `ORG + title + PERSON`, the person is the head: return its index (else i).
        Likewise the company in `ORG + 衍生新创公司 + FIRM` (what the clause is about), and
        the person after several positions (中国工程院院士、广州中医药大学教授X)."""
        k = i
        while (
            self.lang == "zh"
            and k + 2 < len(refs)
            and refs[k].label in _ORG_LABELS
            and refs[k + 1].label in _ORG_LABELS
            and (sep := _ZH_TITLE_SEP.match(self.text[refs[k].end : refs[k + 1].start]))
            and self._title_gap(sep.group(1)) is not None
        ):
            k += 1
        if k + 1 < len(refs) and refs[k].label in _ORG_LABELS and refs[k + 1].label in _PEOPLE:
            gap = self.text[refs[k].end : refs[k + 1].start]
            if self._title_gap(gap) is not None:
                return k + 1
            if self.lang == "zh" and not gap and self._titled_list(refs, refs[k + 1]):
                return k + 1  # 研究院陈永明、黄晓燕两位研究员: the people are the subject
        if (
            i + 1 < len(refs)
            and refs[i].label in _ORG_LABELS
            and refs[i + 1].label in _ORG_LABELS
            and (_ZH_OFFSPRING if self.lang == "zh" else _EN_SPINOUT_BETWEEN).match(
                self.text[refs[i].end : refs[i + 1].start]
            )
        ):
            return i + 1  # "Imperial College London spinout Vireo ... signed": Vireo did
        return i

    def _spun_off_predicate(self, si: int, refs: list[Ref]) -> None:
        """X是浙江工业大学首批以专利作价入股的衍生企业: the firm the sentence is about came out
        of the body named after 是."""
        s, e = self.state.sentences[si]
        for m in _ZH_IS_OFFSPRING.finditer(self.text, s, e):
            parent = next((r for r in refs if r.start == m.end() and r.label in _ORG_LABELS), None)
            if parent is None:
                continue
            subject = self.groups[0] if self.groups else self.topic
            for firm in subject:
                if (
                    firm.label == Label.FIRM
                    and firm.entity != parent.entity
                    and firm.end <= m.start()
                ):
                    self.emit(firm.entity, parent.entity, RelType.SPUN_OFF_FROM, si, "chain", 0.7)

    def _offspring(self, si: int, refs: list[Ref]) -> None:
        """国立成功大学医学院衍生新创公司晶涌生医 / 某集团旗下的X公司: a company named with the body
        it came out of (SPUN_OFF_FROM) or belongs to (PART_OF)."""
        for a, b in zip(refs, refs[1:], strict=False):
            if a.label not in _ORG_LABELS or b.label not in _ORG_LABELS:
                continue
            m = _ZH_OFFSPRING.match(self.text[a.end : b.start])
            if m is None:
                continue
            rel = RelType.PART_OF if m.group(1) in ("旗下", "下属") else RelType.SPUN_OFF_FROM
            self.emit(b.entity, a.entity, rel, si, "chain", 0.8)

    def _title_gap(self, gap: str) -> str | None:
        """The title a gap between an organisation and a person consists of, else None.
        Several titles held at the one organisation (党组书记、常务副主席) name the last."""
        titles = lexicon.titles()
        found = None
        # 中兴大学机械工程学系教授X: a department the text does not name as an entity
        gap = _ZH_DEPARTMENT.sub("", gap.removeprefix("的"), count=1)
        for part in gap.split("、"):
            found = _RANK_PREFIX.sub("", part)
            if not found or found not in titles:
                return None
        return found

    def _subject_at(
        self, si: int, refs: list[Ref], groups: list[list[Ref]], topic: list[Ref], pos: int
    ) -> tuple[list[Ref], bool]:
        before = [g for g in groups if g[0].start < pos]
        if before:
            if self.lang == "zh" and _ZH_REPORTED.search(self.text, before[-1][-1].end, pos):
                # 主任X介绍，榜单聚焦A、B: the speaker is not the subject of what is reported
                # (an organisation speaking may be: 计划主持人X表示，计划已与A建立合作)
                return [g for g in before[-1] if g.label in _ORG_LABELS], False
            return before[-1], False
        if groups:
            return groups[0], False
        return topic, True

    # ---- families -----------------------------------------------------------------------

    def _chains(self, si: int, refs: list[Ref], topic: list[Ref]) -> None:
        if self.lang == "zh":
            for a, b in zip(refs, refs[1:], strict=False):
                if a.label != Label.PLACE or b.label not in _PEOPLE:
                    continue
                rest = self.text[a.end : b.start].removeprefix("市").removeprefix("省")
                title = self._title_gap(rest)
                if title in _GOVERNMENT_HEADS:
                    gov = self._government_of(a)
                    if gov >= 0:
                        self.emit(
                            b.entity,
                            gov,
                            RelType.AFFILIATED_WITH,
                            si,
                            "chain",
                            0.8,
                            {"role": title},
                        )
        for a, b in zip(refs, refs[1:], strict=False):
            if self.lang == "en" or b.label not in _PEOPLE:
                continue
            gap = self.text[a.end : b.start]
            title = self._title_gap(gap)
            if title is None or a.label not in _ORG_LABELS:
                continue
            rel = RelType.FOUNDED if title in _ROLE_OF_FOUNDER else RelType.AFFILIATED_WITH
            org = self._academy_of(a.entity) if _is_academician_title(title) else a.entity
            for person in self._people_list(refs, b):
                # 该院院士A、B和C: every listed person holds the title at the organisation
                self.emit(
                    person.entity, org, rel, si, "chain", _CONFIDENCE["chain"], {"role": title}
                )
            self._earlier_titles(refs, a, b, si)
        for a, b in zip(refs, refs[1:], strict=False):
            # 中国科学技术大学郭国平教授: organisation, person, then the title
            if self.lang == "en" or a.label not in _ORG_LABELS or b.label not in _PEOPLE:
                continue
            if a.end != b.start:
                continue
            title = _title_at_start(self.text[b.end : b.end + 6])
            if title:
                rel = RelType.FOUNDED if title in _ROLE_OF_FOUNDER else RelType.AFFILIATED_WITH
                self.emit(b.entity, a.entity, rel, si, "chain", 0.8, {"role": title})
                continue
            # 粉末冶金研究院刘新宇、曹佳敏、欧阳振三位教授: a list of people, then one title
            # (often counted) that every one of them holds at the organisation
            members = self._people_list(refs, b)
            if len(members) > 1:
                title = self._titled_list(refs, b)
                if title:
                    rel = RelType.FOUNDED if title in _ROLE_OF_FOUNDER else RelType.AFFILIATED_WITH
                    for person in members:
                        self.emit(person.entity, a.entity, rel, si, "chain", 0.8, {"role": title})
        for i, a in enumerate(refs):
            if a.label not in _PEOPLE or i + 1 >= len(refs):
                continue
            b = refs[i + 1]
            m = _EN_AFFILIATION.match(self.text[a.end : b.start])
            if m is None or b.label not in _ORG_LABELS:
                continue
            role = m.group(1).strip() or ("academician" if a.label == Label.ACADEMICIAN else "")
            rel = RelType.FOUNDED if role in {"founder", "co-founder"} else RelType.AFFILIATED_WITH
            self.emit(a.entity, b.entity, rel, si, "chain", 0.8, {"role": role} if role else {})
        if self.lang == "en":
            self._en_possessives(si, refs)
            self._en_its_role(si, refs, topic)
            self._en_relative_roles(si, refs)
            self._en_cohort(si, refs)
            self._en_board(si, refs)
            self._en_part_at(si, refs)
            self._en_spinouts(si, refs)
        self._partners(si, refs, topic)
        # 创始人X with the company only in context: X founded the topic company; 执行长X
        # opening a sentence about a company: X works there
        for r in refs:
            if r.label not in _PEOPLE:
                continue
            title = self.text[max(0, r.start - 5) : r.start]
            if title.endswith(_FOUNDER_TITLES):
                prev = [x for x in refs if x.end <= r.start - 3 and x.label == Label.FIRM]
                firm = prev[-1] if prev else (topic[0] if topic else None)
                if firm is not None:
                    self.emit(r.entity, firm.entity, RelType.FOUNDED, si, "chain", 0.7)
            elif self.lang == "zh" and title.endswith(_FIRM_HEADS_TITLES):
                clause = self._clause_start(si, r.start)
                lead = self.text[clause : r.start]
                firm = topic[0] if topic and topic[0].label == Label.FIRM else None
                if firm is not None and lead.endswith(_FIRM_HEADS_TITLES) and len(lead) <= 6:
                    self.emit(r.entity, firm.entity, RelType.AFFILIATED_WITH, si, "chain", 0.6)

    def _titled_list(self, refs: list[Ref], first: Ref) -> str:
        """The title after a list of two or more people starting at `first`, as in
        A、B两位研究员 (a count may stand before it); else ""."""
        members = self._people_list(refs, first)
        if len(members) < 2:
            return ""
        after = _COUNTED.sub("", self.text[members[-1].end : members[-1].end + 10], 1)
        return _title_at_start(after)

    def _academy_of(self, org: int) -> int:
        """Academicians are members of an academy, not of its branch: 俄罗斯科学院西伯利亚分院院士
        is an academician of 俄罗斯科学院. The branch's parent academy when the text names it."""
        parent = self.entity_parent.get(org, -1)
        if parent >= 0 and self.state.entities[parent].name.endswith(_ACADEMY_HEADS):
            return parent
        return org

    def _earlier_titles(self, refs: list[Ref], org: Ref, person: Ref, si: int) -> None:
        """中国工程院院士、西安交通大学教授卢秉恒: every `ORG title、` before the last one
        names another position of the same person."""
        i = refs.index(org)
        while i > 0:
            prev = refs[i - 1]
            m = _ZH_TITLE_SEP.match(self.text[prev.end : refs[i].start])
            if prev.label not in _ORG_LABELS or m is None:
                return
            title = self._title_gap(m.group(1))
            if title is None:
                return
            rel = RelType.FOUNDED if title in _ROLE_OF_FOUNDER else RelType.AFFILIATED_WITH
            target = self._academy_of(prev.entity) if _is_academician_title(title) else prev.entity
            self.emit(person.entity, target, rel, si, "chain", 0.85, {"role": title})
            held_by = self.state.entities[person.entity]
            if _is_academician_title(title) and held_by.label == Label.PERSON:
                # 中国工程院院士、浙江大学教授X: the first title makes X an academician
                held_by.label = Label.ACADEMICIAN
            i -= 1

    def _people_list(self, refs: list[Ref], first: Ref) -> list[Ref]:
        """`first` and the people coordinated right after it (A、B和C / A, B and C), also
        with a title of their own at the same organisation (党委书记卢建军和校长王树国)."""
        sep = _EN_LIST_SEP if self.lang == "en" else _ZH_LIST_SEP
        out = [first]
        i = refs.index(first) + 1
        while i < len(refs):
            r = refs[i]
            if r.start < out[-1].end:
                i += 1
                continue  # a mention nested in the previous one
            gap = self.text[out[-1].end : r.start]
            if r.label not in _PEOPLE:
                break
            if not sep.match(gap):
                titled = _ZH_SEP_TITLE.match(gap) if self.lang == "zh" else None
                if titled is None or self._title_gap(titled.group(1)) is None:
                    break
            out.append(r)
            i += 1
        return out

    def _en_possessives(self, si: int, refs: list[Ref]) -> None:
        """ "the academy's members A, B and C", "Acme's chief executive X" and "X, the
        centre's director": a person holding a role at an organisation named by a
        possessive (often an anaphor: the academy, the company)."""
        for i, a in enumerate(refs[:-1]):
            b = refs[i + 1]
            if a.label in _ORG_LABELS and b.label in _PEOPLE:
                m = _EN_POSSESSIVE_ROLE.match(self.text[a.end : b.start])
                if m is not None:
                    role = m.group(1).strip()
                    rel = RelType.FOUNDED if role in _EN_FOUNDER else RelType.AFFILIATED_WITH
                    for person in self._people_list(refs, b):
                        self.emit(person.entity, a.entity, rel, si, "chain", 0.85, {"role": role})
            elif a.label in _PEOPLE and b.label in _ORG_LABELS:
                if not _EN_APPOSED_ORG.match(self.text[a.end : b.start]):
                    continue
                m = _EN_POSSESSIVE_ROLE.match(self.text[b.end : b.end + 60])
                if m is not None:
                    role = m.group(1).strip()
                    rel = RelType.FOUNDED if role in _EN_FOUNDER else RelType.AFFILIATED_WITH
                    self.emit(a.entity, b.entity, rel, si, "chain", 0.85, {"role": role})

    def _en_board(self, si: int, refs: list[Ref]) -> None:
        """ "X, a partner at Y who joins Kestrel's board" / "X joined the board of Kestrel":
        the person nearest before the verb sits on the organisation's board."""
        for r in refs:
            if r.label not in _ORG_LABELS:
                continue
            before = self.text[max(0, r.start - 30) : r.start]
            after = self.text[r.end : r.end + 12]
            board = (_EN_JOINS.search(before) and _EN_BOARD_AFTER.match(after)) or (
                _EN_BOARD_OF.search(before)
            )
            if not board:
                continue
            people = [p for p in refs if p.end <= r.start and p.label in _PEOPLE]
            if people:
                self.emit(
                    people[-1].entity,
                    r.entity,
                    RelType.AFFILIATED_WITH,
                    si,
                    "chain",
                    0.7,
                    {"role": "board member"},
                )

    def _en_cohort(self, si: int, refs: list[Ref]) -> None:
        """ "The cohort includes A, which ...; B, a ... maker; C; and D": every organisation
        listed takes part in the programme (or sits in the incubator) named last before."""
        s, e = self.state.sentences[si]
        cue = _EN_COHORT.search(self.text, s, e)
        if cue is None:
            return
        host = None
        for k in range(si, max(-1, si - 3), -1):
            hosts = [
                r
                for r in self.by_sentence[k]
                if r.end <= cue.start()
                and r.label in (Label.PARK, Label.ORGANIZATION)
                and _PROGRAMME_WORD.search(self.state.entities[r.entity].name)
            ]
            if hosts:
                host = hosts[-1]
                break
        if host is None:
            return
        rel = RelType.LOCATED_IN if host.label == Label.PARK else RelType.PARTICIPATED_IN
        for r in refs:
            if r.start >= cue.end() and r.label in (Label.FIRM, Label.INSTITUTE):
                self.emit(r.entity, host.entity, rel, si, "list", 0.7)

    def _en_relative_roles(self, si: int, refs: list[Ref]) -> None:
        """ "by A and B, who met as researchers at ORG" / "Orlov, who heads the ORG": every
        person of the list before `who` works at the organisation; "ORG, where director X":
        X holds the role at ORG."""
        for i, (a, b) in enumerate(zip(refs, refs[1:], strict=False)):
            gap = self.text[a.end : b.start]
            if a.label in _PEOPLE and b.label in _ORG_LABELS:
                m = _EN_WHO.match(gap)
                if m is None:
                    continue
                role = (m.group("role") or "").strip()
                rel = (
                    RelType.FOUNDED
                    if role in ("founded", "co-founded")
                    else RelType.AFFILIATED_WITH
                )
                people = [a]
                k = i - 1
                while (
                    k >= 0
                    and refs[k].label in _PEOPLE
                    and _EN_LIST_SEP.match(self.text[refs[k].end : people[0].start])
                ):
                    people.insert(0, refs[k])
                    k -= 1
                for person in people:
                    self.emit(person.entity, b.entity, rel, si, "chain", 0.75)
            elif a.label in _ORG_LABELS and b.label in _PEOPLE:
                m = _EN_WHERE_ROLE.match(gap)
                if m is not None:
                    role = m.group(1).strip()
                    self.emit(
                        b.entity,
                        a.entity,
                        RelType.AFFILIATED_WITH,
                        si,
                        "chain",
                        0.75,
                        {"role": role},
                    )

    def _en_its_role(self, si: int, refs: list[Ref], topic: list[Ref]) -> None:
        """ "Its director, Professor X, ..." / "Chief executive X said": X holds the role at
        the organisation the previous sentences are about (their subject)."""
        people = [r for r in refs if r.label in _PEOPLE]
        if not people or not topic or topic[0].label not in _ORG_LABELS:
            return
        s, _ = self.state.sentences[si]
        m = _EN_ITS_ROLE.match(self.text[s : people[0].start]) or _EN_OPENING_ROLE.match(
            self.text[s : people[0].start]
        )
        if m is None:
            return
        role = m.group(1).strip()
        rel = RelType.FOUNDED if role in _EN_FOUNDER else RelType.AFFILIATED_WITH
        self.emit(people[0].entity, topic[0].entity, rel, si, "chain", 0.75, {"role": role})

    def _en_spinouts(self, si: int, refs: list[Ref]) -> None:
        """ "UCL spin-out Ferrowave Photonics" and "Halcyon, a King's College London
        spin-out": the named company spun off from the body before the word."""
        for a, b in zip(refs, refs[1:], strict=False):
            if a.label not in _ORG_LABELS or b.label not in _ORG_LABELS:
                continue
            gap = self.text[a.end : b.start]
            if _EN_SPINOUT_BETWEEN.match(gap):
                self.emit(b.entity, a.entity, RelType.SPUN_OFF_FROM, si, "chain", 0.8)
            elif _EN_AN.match(gap) and _EN_SPINOUT_AFTER.match(self.text[b.end : b.end + 12]):
                self.emit(a.entity, b.entity, RelType.SPUN_OFF_FROM, si, "chain", 0.8)

    def _en_part_at(self, si: int, refs: list[Ref]) -> None:
        """ "the Centre for Protein Engineering at University College London": a unit named
        with the institution it sits in is part of it."""
        for a, b in zip(refs, refs[1:], strict=False):
            if a.label not in (Label.INSTITUTE, Label.ORGANIZATION) or b.label != Label.INSTITUTE:
                continue
            if _EN_AT.match(self.text[a.end : b.start]):
                self.emit(a.entity, b.entity, RelType.PART_OF, si, "nesting", 0.75)

    def _partners(self, si: int, refs: list[Ref], topic: list[Ref]) -> None:
        """ "X, whose partners include A, B and C" / X合作伙伴包括A、B和C: X collaborates with
        each listed organisation. X is the nearest organisation before the cue in the
        sentence, else the sentence's (or the topic's) subject."""
        s, e = self.state.sentences[si]
        pattern = _EN_PARTNERS if self.lang == "en" else _ZH_PARTNERS
        for cue in pattern.finditer(self.text, s, e):
            before = [r for r in refs if r.end <= cue.start() and r.label in _ORG_LABELS]
            if (
                before
                and cue.group().startswith("with")
                and _EN_PREPOSED.search(self.text[max(0, before[-1].start - 9) : before[-1].start])
            ):
                before = []  # "launched at TU/e with six partners:" TU/e is where, not whose
            if before and cue.start() - before[-1].end <= 12:
                owner: Ref | None = before[-1]
            else:
                subjects = self.groups[0] if self.groups else topic
                owner = subjects[0] if subjects and subjects[0].label in _ORG_LABELS else None
                if owner is None and not self.groups and self.org_topic:
                    owner = self.org_topic[0]  # "Partners include ...": the body written about
            if owner is None:
                continue
            after = [r for r in refs if r.start >= cue.end()]
            if not after or after[0].start - cue.end() > 6:
                continue
            listed = [after[0]]
            sep = _EN_LIST_SEP if self.lang == "en" else _ZH_LIST_SEP
            for r in after[1:]:
                if r.start < listed[-1].end:
                    continue
                gap = self.text[listed[-1].end : r.start]
                if self.lang == "en":
                    gap = _EN_BASED.sub("", gap)
                if not sep.match(gap.removesuffix("the ")):
                    break
                listed.append(r)
            for r in listed:
                if r.label in _ORG_LABELS:
                    self.emit(owner.entity, r.entity, RelType.COLLABORATES_WITH, si, "list", 0.8)

    def _with_as_focus(
        self, si: int, refs: list[Ref], groups: list[list[Ref]], topic: list[Ref]
    ) -> None:
        """形成了以A、B和C为特色的产业集群 / 以X为主攻方向: the clause's subject focuses on the
        technologies listed between 以 and 为 + a word of emphasis."""
        s, e = self.state.sentences[si]
        for m in _ZH_WITH_AS.finditer(self.text, s, e):
            inner = [
                r
                for r in refs
                if m.start("items") <= r.start
                and r.end <= m.end("items")
                and r.label == Label.TECHNOLOGY
            ]
            listed: list[Ref] = []
            pos = m.start("items")
            for r in inner:
                if listed and r.start < listed[-1].end:
                    continue
                gap = self.text[listed[-1].end if listed else pos : r.start]
                if (listed and not _ZH_LIST_SEP.match(gap)) or (not listed and gap):
                    break
                listed.append(r)
            if not listed or self.text[listed[-1].end : m.end("items")] not in ("", "等"):
                continue  # the items must be the listed technologies and nothing else
            group, from_topic = self._subject_at(si, refs, groups, topic, m.start())
            conf = 0.75 * (_TOPIC_DISCOUNT if from_topic else 1.0)
            for subject in group:
                for tech in listed:
                    self.emit(subject.entity, tech.entity, RelType.FOCUSES_ON, si, "object", conf)

    def _received_investment(
        self, si: int, refs: list[Ref], groups: list[list[Ref]], topic: list[Ref]
    ) -> None:
        """已获得成都科创投集团1500万元天使轮投资: the organisation after 获得 invests in the
        clause's subject."""
        for r in refs:
            if r.label not in _ORG_LABELS or not _ZH_RECEIVED.search(
                self.text[max(0, r.start - 4) : r.start]
            ):
                continue
            if not _ZH_INVESTMENT_AFTER.match(self.text[r.end : r.end + 24]):
                continue
            group, from_topic = self._subject_at(si, refs, groups, topic, r.start)
            conf = 0.75 * (_TOPIC_DISCOUNT if from_topic else 1.0)
            for subject in group:
                self.emit(r.entity, subject.entity, RelType.INVESTS_IN, si, "agent", conf)

    def _both_parties(self, si: int, refs: list[Ref]) -> None:
        """A与B签署协议，双方将共建C: the two parties of the agreement just read found C."""
        s, e = self.state.sentences[si]
        for m in _ZH_BOTH_FOUND.finditer(self.text, s, e):
            made = next(
                (r for r in refs if 0 <= r.start - m.end() <= 1 and r.label in _ORG_LABELS), None
            )
            if made is None:
                continue
            lo = self.state.sentences[max(0, si - 1)][0]
            deals = [
                d
                for d in self.out.values()
                if d.type == RelType.COLLABORATES_WITH and lo <= d.start and d.end <= e
            ]
            if not deals:
                continue
            deal = max(deals, key=lambda d: (d.start, d.confidence))
            for party in (deal.source, deal.target):
                self.emit(party, made.entity, RelType.FOUNDED, si, "agent", 0.7)

    def _invited(self, si: int, refs: list[Ref]) -> None:
        """(工研院)将……，并邀请A、B等企业参与: the inviting subject works with each invitee."""
        s, e = self.state.sentences[si]
        for m in _ZH_INVITE.finditer(self.text, s, e):
            listed: list[Ref] = []
            for r in refs:
                if r.start < m.end():
                    continue
                if listed and r.start < listed[-1].end:
                    continue
                gap = self.text[listed[-1].end if listed else m.end() : r.start]
                if (
                    r.label not in _ORG_LABELS
                    or (listed and not _ZH_LIST_SEP.match(gap))
                    or (not listed and gap)
                ):
                    break
                listed.append(r)
            if not listed or not _ZH_JOIN_VERB.match(
                self.text[listed[-1].end : listed[-1].end + 12]
            ):
                continue
            group, from_topic = self._subject_at(si, refs, self.groups, self.topic, m.start())
            conf = 0.7 * (_TOPIC_DISCOUNT if from_topic else 1.0)
            for subject in group:
                if subject.label not in _ORG_LABELS:
                    continue
                for r in listed:
                    self.emit(subject.entity, r.entity, RelType.COLLABORATES_WITH, si, "list", conf)

    def _lead_and_join(self, si: int, refs: list[Ref]) -> None:
        """由A牵头、B和C参与 / A牵头，联合B、C共同承担: the leaders and the organisations
        joining them work together, every pair of them."""
        s, e = self.state.sentences[si]
        for cue in _ZH_LEAD.finditer(self.text, s, e):
            before = [r for r in refs if r.end == cue.start() and r.label in _ORG_LABELS]
            if not before:
                continue
            leaders = [
                r for r in self._coordinated_before(refs, before[-1]) if r.label in _ORG_LABELS
            ]
            joined: list[Ref] = []
            pos = cue.end()
            for r in refs:
                if r.start < pos:
                    continue
                if joined and r.start < joined[-1].end:
                    continue  # nested in the previous name
                gap = self.text[joined[-1].end if joined else pos : r.start]
                if r.label not in _ORG_LABELS or not (
                    _ZH_LIST_SEP.match(gap) if joined else gap == ""
                ):
                    break
                joined.append(r)
            if not joined:
                continue
            tail = self.text[joined[-1].end : joined[-1].end + 12]
            if not (cue.group("with") or _ZH_JOIN_VERB.match(tail)):
                continue  # 由A牵头、B负责: B is not said to join
            members = leaders + joined
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    self.emit(a.entity, b.entity, RelType.COLLABORATES_WITH, si, "list", 0.75)

    def _nesting(self, si: int, refs: list[Ref]) -> None:
        for parent, child in self.parents.get(si, []):
            self.emit(child, parent, RelType.PART_OF, si, "nesting", _CONFIDENCE["nesting"])

    def _objects_after(self, refs: list[Ref], end: int, rel: RelType) -> list[Ref]:
        """Mentions right after a trigger that `rel` accepts as targets; a list for
        technologies (A、B和C), one mention otherwise."""
        targets = _SIGNATURE[rel][1]
        max_gap = 30 if self.lang == "en" else 6
        sep = _EN_LIST_SEP if self.lang == "en" else _ZH_LIST_SEP
        found: list[Ref] = []
        for r in refs:
            if r.start < end:
                continue
            gap = self.text[found[-1].end if found else end : r.start]
            if not found:
                if len(gap) > max_gap or _STOP.search(gap):
                    return []
                if r.label not in targets:
                    if rel == RelType.AFFILIATED_WITH or r.label == Label.PLACE:
                        continue
                    return []
                found.append(r)
                if rel == RelType.LOCATED_IN:
                    continue  # 落户园区独墅湖科教创新区: a park inside a park, both
                if rel not in _LISTED_OBJECTS:
                    return found
                continue
            if rel == RelType.LOCATED_IN:
                if r.label == Label.PARK and r.start == found[-1].end:
                    found.append(r)
                    continue
                break
            if r.start < found[-1].end:
                continue  # nested in the previous object (a parent inside a name)
            if r.label not in targets or not sep.match(gap.removesuffix("the ")):
                break
            if rel != RelType.FOCUSES_ON and r.label == Label.TECHNOLOGY:
                break
            found.append(r)  # 与A、B等单位合作 / invested in A and B: each listed object
        return found

    def _actor_before(self, refs: list[Ref], start: int, max_gap: int = 4) -> Ref | None:
        before = [r for r in refs if r.end <= start and self._is_actor(r)]
        if not before:
            return None
        r = before[-1]
        gap = _TEAM_GAP.sub("", self.text[r.end : start])  # 郭国平教授团队创办 -> 郭国平
        gap = _TIME_GAP.sub("", gap)  # 邓一鸣于2022年创办 -> 邓一鸣
        if len(gap) > max_gap or _STOP.search(gap):
            return None
        return r

    def _object(
        self,
        si: int,
        refs: list[Ref],
        group: list[Ref],
        start: int,
        end: int,
        rel: RelType,
        word: str,
        conf: float,
    ) -> None:
        objects = self._objects_after(refs, end, rel)
        subjects = group
        if rel == RelType.FOCUSES_ON and self.lang == "zh":
            made = self._made_before(si, refs, start)
            if made is not None:
                subjects = [made]  # 共建武进智能制造研究院，聚焦A和B: the new body's fields
        by = self._by_agents(si, refs, start) if self.lang == "zh" else []
        if by and rel == RelType.PARTICIPATED_IN:
            # 论坛由A与B联合主办: the agents after 由 hold the event the clause is about
            subjects = by
        near = None if by else self._actor_before(refs, start, 6 if self.lang == "zh" else 12)
        if near is not None and not any(near.entity == g.entity for g in group):
            # "由...创办的杭州云栖公司正式入驻": the actor right before the trigger
            subjects = [near] if self._governs(near, start) else group
        if not objects and self.lang == "zh":
            objects = self._preposed_object(refs, start, rel)
        if word.startswith("open"):
            # "open a lab in the X Campus": the opener sits in that park; a city named there
            # is where the new lab is, not the opener
            objects = [o for o in objects if o.label == Label.PARK]
            if not objects:
                return
        if not objects and rel == RelType.AFFILIATED_WITH and self.lang == "zh":
            # 中心……，首任主任由X担任: X holds the title at what the sentence is about
            held = self._title_held_by(si, refs, start)
            if held is not None:
                person, title = held
                about = self.groups[0] if self.groups else self.topic
                for org in about:
                    if org.label in _ORG_LABELS:
                        self.emit(
                            person.entity, org.entity, rel, si, "object", conf, {"role": title}
                        )
                return
        if not objects and rel == RelType.PARTICIPATED_IN:
            # 出席并参观了展位: no object named, the event the text is about
            event = self._recent_event(si, start)
            objects = [event] if event is not None else []
            conf -= 0.2
        if not objects and rel == RelType.LOCATED_IN and subjects:
            parks = [r for r in refs if r.label == Label.PARK and r.end <= subjects[0].start]
            objects = parks[-1:]
            conf -= 0.2
        for s in subjects:
            for o in objects:
                role = self._role_after(o) if rel == RelType.AFFILIATED_WITH else ""
                props = {"role": role} if role else {}
                self.emit(s.entity, o.entity, rel, si, "object", conf, props)

    def _made_before(self, si: int, refs: list[Ref], pos: int) -> Ref | None:
        """The organisation a founding verb of this sentence creates, when the clause at
        `pos` follows it directly (共同设立「智慧医疗创新中心」,聚焦…); else None."""
        s = self.state.sentences[si][0]
        made = None
        for m in _ZH_FOUNDING.finditer(self.text, s, pos):
            made = next(
                (r for r in refs if 0 <= r.start - m.end() <= 1 and r.label in _ORG_LABELS), None
            )
        if made is None:
            return None
        gap = self.text[made.end : pos]
        if _ZH_CLAUSE_JOIN.fullmatch(gap):
            return made
        # 共建“韦伯院士工作站”，工作站将围绕…: the new subject is the body's own head word
        m = _ZH_HEAD_SUBJECT.fullmatch(gap)
        name = self.state.entities[made.entity].name
        if m is not None and name.endswith(m.group("head")):
            return made
        return None

    def _held_at(self, si: int, refs: list[Ref]) -> None:
        """A暨B在<park>举行 / 论坛在<park>开幕: each event named right before is held in the
        park (a venue that is an institute counts too)."""
        s, e = self.state.sentences[si]
        for m in _ZH_HELD_AT.finditer(self.text, s, e):
            venue = next(
                (
                    r
                    for r in refs
                    if r.start == m.start() + 1
                    and r.end == m.start("verb")
                    and r.label in (Label.PARK, Label.INSTITUTE)
                ),
                None,
            )
            if venue is None:
                continue
            events = []
            pos = m.start()
            for r in reversed([r for r in refs if r.end <= pos]):
                if r.label != Label.EVENT or not _ZH_EVENT_JOIN.fullmatch(self.text, r.end, pos):
                    break
                events.append(r)
                pos = r.start
            for ev in events:
                self.emit(ev.entity, venue.entity, RelType.LOCATED_IN, si, "object", 0.75)

    def _entrants(self, si: int, refs: list[Ref]) -> None:
        """7家企业正式入园，其中包括A、B和C: each listed body settles in the park the text is
        about (named in this sentence or one of the three before)."""
        s, e = self.state.sentences[si]
        for m in _ZH_ENTRANTS.finditer(self.text, s, e):
            listed: list[Ref] = []
            pos = m.end()
            for r in refs:
                if r.start < pos:
                    continue
                if r.start != pos or r.label not in (Label.FIRM, Label.INSTITUTE):
                    break
                listed.append(r)
                sep = _ZH_LIST_SEP_AT.match(self.text, r.end)
                if sep is None:
                    break
                pos = sep.end()
            park = None
            for k in range(si, max(-1, si - 4), -1):
                parks = [
                    r for r in self.by_sentence[k] if r.label == Label.PARK and r.end <= m.start()
                ]
                if parks:
                    park = parks[-1]
                    break
            if park is None:
                continue
            for r in listed:
                self.emit(r.entity, park.entity, RelType.LOCATED_IN, si, "object", 0.7)

    def _founded_at(self, si: int, refs: list[Ref]) -> None:
        """将在南部科学园区共同设立C / 在园区内建设C: the new body is in that park."""
        s, e = self.state.sentences[si]
        for m in _ZH_FOUNDED_AT.finditer(self.text, s, e):
            park = next((r for r in refs if r.start == m.end("at") and r.label == Label.PARK), None)
            if park is None or not _ZH_FOUNDING.fullmatch(self.text, park.end, m.end()):
                continue
            made = next(
                (r for r in refs if 0 <= r.start - m.end() <= 1 and r.label in _ORG_LABELS), None
            )
            if made is not None and made.entity != park.entity:
                self.emit(made.entity, park.entity, RelType.LOCATED_IN, si, "object", 0.7)

    def _title_held_by(self, si: int, refs: list[Ref], start: int) -> tuple[Ref, str] | None:
        """(首任)主任由X担任: the person after 由 and the title before it, else None."""
        clause = self._clause_start(si, start)
        m = _ZH_TITLE_BY.search(self.text, clause, start)
        if m is None or m.end() > start:
            return None
        title = self._title_gap(m.group(1))
        people = [r for r in refs if m.end() <= r.start and r.end <= start and r.label in _PEOPLE]
        if title is None or not people:
            return None
        return people[-1], title

    def _recent_event(self, si: int, pos: int) -> Ref | None:
        """The last event named before `pos` in this sentence or the two before it."""
        for k in range(si, max(-1, si - 3), -1):
            events = [r for r in self.by_sentence[k] if r.label == Label.EVENT and r.end <= pos]
            if events:
                return events[-1]
        return None

    def _at_event(self, si: int, refs: list[Ref]) -> None:
        """在EVENT上，公司展示了...: the subject of the clause after the event took part in it."""
        sent_start = self.state.sentences[si][0]
        for r in refs:
            if r.label != Label.EVENT:
                continue
            before = self.text[max(0, r.start - 1) : r.start]
            opens = r.start == sent_start or before in ("，", ",", "\n", "。")
            if before != "在" and not (opens and self.text.startswith("期间", r.end)):
                continue  # 在EVENT上 / (clause start) EVENT期间，
            m = _ZH_AT_EVENT_AFTER.match(self.text[r.end : r.end + 30])
            if m is None:
                continue
            if self.text[r.end + m.end() : r.end + m.end() + 1] in ",，":
                after = [g for g in self.groups if g[0].start > r.end]
                members = after[0] if after else []
            else:
                # A、B, 以及C在论坛上作主旨演讲: the people named before the event
                members = self._listed_before(r.start - 1)
            for member in members:
                self.emit(member.entity, r.entity, RelType.PARTICIPATED_IN, si, "object", 0.7)

    def _listed_before(self, pos: int) -> list[Ref]:
        """The subject group ending right before `pos` and the groups listed before it,
        separated by a comma or 、 and at most a description (A,B大学院长C,以及D)."""
        before = [g for g in self.groups if g[-1].end <= pos]
        if not before:
            return []
        # A、B两位研究员也在…上: a counted title after the list is no clause break
        gap = _ZH_COUNTED_TITLE.sub("", self.text[before[-1][-1].end : pos], count=1)
        if not _ZH_FILLER.match(gap):
            return []
        out = list(before[-1])
        for g in reversed(before[:-1]):
            gap = self.text[g[-1].end : out[0].start]
            if not _ZH_LIST_GAP.match(gap):
                break
            out = [*g, *out]
        return out

    def _en_at_event(self, si: int, refs: list[Ref]) -> None:
        """ "At the hardware summit, A and B presented ...": the subject of the clause after
        the event took part in it; "A announced a partnership at the event": the clause's
        subject did; "Speakers included A, ... and B": every person listed did."""
        s, e = self.state.sentences[si]
        for r in refs:
            if r.label != Label.EVENT:
                continue
            before = self.text[max(s, r.start - 40) : r.start]
            if self.text.startswith(",", r.end) and _EN_AT_EVENT_BEFORE.search(before):
                after = [g for g in self.groups if g[0].start > r.end]
                members = after[0] if after else []
            elif _EN_AT_THE.search(before) and not self.text[r.end : r.end + 1].isalnum():
                members, from_topic = self._subject_at(si, refs, self.groups, [], r.start)
            else:
                continue
            for member in members:
                self.emit(member.entity, r.entity, RelType.PARTICIPATED_IN, si, "object", 0.7)
        cue = _EN_ATTENDEES.search(self.text, s, e)
        event = self._recent_event(si, cue.start()) if cue is not None else None
        if cue is not None and event is not None:
            for r in refs:
                if r.start >= cue.end() and r.label in _PEOPLE:
                    self.emit(r.entity, event.entity, RelType.PARTICIPATED_IN, si, "list", 0.7)

    def _host(
        self,
        si: int,
        refs: list[Ref],
        group: list[Ref],
        start: int,
        end: int,
        rel: RelType,
        word: str,
        conf: float,
    ) -> None:
        """园区此前已引进A、B等机构: a park hosts the organisations it brought in."""
        parks = [g for g in group if g.label == Label.PARK and g.end <= start]
        if not parks:
            return
        listed: list[Ref] = []
        for r in refs:
            if r.start < end:
                continue
            gap = self.text[listed[-1].end if listed else end : r.start]
            if r.label not in _ORG_LABELS:
                if listed and r.start < listed[-1].end:
                    continue
                break
            if listed and r.start < listed[-1].end:
                continue  # nested in the previous name
            if (not listed and (len(gap) > 6 or _STOP.search(gap))) or (
                listed and not _ZH_LIST_SEP.match(gap)
            ):
                break
            listed.append(r)
        for park in parks:
            for r in listed:
                self.emit(r.entity, park.entity, RelType.LOCATED_IN, si, "object", conf)

    def _governs(self, near: Ref, trigger: int) -> bool:
        if self.text[max(0, near.start - 1) : near.start] in _PREPOSITIONS:
            return False  # 向该公司注资, 在张江召开: the object of a preposition, not the actor
        gap = self.text[near.end : trigger]
        return bool(_GOVERNING_GAP.fullmatch(gap.strip()))

    def _preposed_object(self, refs: list[Ref], start: int, rel: RelType) -> list[Ref]:
        """向该公司注资 / 对X投资: the object stands before the trigger after 向/对."""
        for r in reversed([r for r in refs if r.end <= start]):
            gap = self.text[r.end : start]
            if len(gap) > 6:
                break
            if (
                self.text[max(0, r.start - 1) : r.start] in ("向", "对", "为")
                and r.label in (_SIGNATURE[rel][1])
            ):
                return [r]
        return []

    def _role_after(self, org: Ref) -> str:
        return _title_at_start(self.text[org.end : org.end + 6])

    def _agent(
        self,
        si: int,
        refs: list[Ref],
        group: list[Ref],
        start: int,
        end: int,
        rel: RelType,
        word: str,
        conf: float,
    ) -> None:
        if self.lang == "en":  # "led by X": the agent follows the trigger
            found = [r for r in refs if r.start >= end and self._is_actor(r)]
            if not found or not _en_agent_gap(
                self.text[start:end], self.text[end : found[0].start]
            ):
                return
            agents = [found[0]]
            last = found[0]
            for r in found[1:]:  # "backed by A and the B": every coordinated agent
                if r.start < last.end:
                    continue
                gap = _EN_TITLE_END.sub("", self.text[last.end : r.start])
                gap = _EN_DECLARED_ABBREV.sub("", gap)  # "A (A*STAR) and B": one list
                # "by materials scientist A and electrochemist B": B's occupation is no break
                gap = _EN_OCCUPATION_AFTER_AND.sub(r"\1", gap)
                if _EN_LIST_SEP.match(gap.removesuffix("the ")):
                    agents.append(r)  # "by Dr A and Professor B": titles are no break
                elif last is agents[-1] and _EN_APPOSITION.match(gap):
                    pass  # "by A, a neurologist at B, and C": B describes A, C is an agent
                else:
                    break
                last = r
            if rel == RelType.PARTICIPATED_IN:
                # "The forum was organised by A and B": the agents hold the event named before
                event = self._recent_event(si, start)
                group = [event] if event is not None else []
            for a in agents[1:]:
                self._emit_agent(a, group, rel, si, conf)
            agent, objects = found[0], group
        else:
            by = self._by_agents(si, refs, start)
            actor = by[-1] if by else self._actor_before(refs, start, 3)
            if actor is None:
                return
            # 高盛和摩根士丹利领投: every member of a coordinated subject is an agent
            grouped = [g for g in self.groups if actor in g and len(g) > 1]
            agents = by or (grouped[0] if grouped else self._coordinated_before(refs, actor))
            agent = actor
            targets = _SIGNATURE[rel][1]
            after = [
                r
                for r in refs
                if r.start >= end and (r.label in targets or r.label != Label.TECHNOLOGY)
            ]
            objects = (
                [after[0]]
                if after and _ZH_POSSESSIVE.match(self.text[end : after[0].start])
                else []
            )
            taken = {a.entity for a in agents}
            if not objects and word in _JOINT_FOUNDING:
                return  # A与B共建C: what is built is named after the verb, never the subject
            if not objects:
                earlier = self._agent_objects.get((si, rel), [])
                if earlier:
                    # 红杉中国跟投: follows the earlier investment in this sentence
                    objects = [o for o in earlier if o.entity not in taken]
                else:
                    # 华创资本领投: the object is what the sentence is about (its subject),
                    # never one of the agents themselves
                    about = self.groups[0] if self.groups else group
                    if any(g.entity in taken for g in about):
                        about = self.topic
                    # 松禾基金和元和基金跟投: a coordinated group acting itself is no object
                    acting = bool(about) and self._acts(about[-1], rel)
                    objects = [
                        g
                        for g in about
                        if g.entity not in taken and not acting and not self._acts(g, rel)
                    ]
                    if not objects and about is not self.topic:
                        # 本轮融资由A领投，B跟投: the sentence's subjects are investors too
                        objects = [g for g in self.topic if g.entity not in taken]
            else:
                self._agent_objects[(si, rel)] = objects
            for a in agents:
                self._emit_agent(a, objects, rel, si, conf)
            return
        self._emit_agent(agent, objects, rel, si, conf)

    def _by_agents(self, si: int, refs: list[Ref], start: int) -> list[Ref]:
        """由 + agents + trigger in one clause (由南京工业大学教授A和其学生B于2021年共同创办):
        the people named between 由 and the trigger when there are any (an organisation
        before a person is where the person works), else the organisations."""
        clause = self._clause_start(si, start)
        k = self.text.rfind("由", clause, start)
        if k < 0 or start - k > 40 or not self._whole_word(k, k + 1):
            return []
        if "的" in self.text[k:start]:
            return []  # 由A孵化的B入驻: B is the subject of the later verb, A is no agent of it
        top: list[Ref] = []
        for r in refs:
            if r.start <= k or r.end > start or not self._is_actor(r):
                continue
            if top and r.start < top[-1].end:
                continue  # nested in the previous name
            top.append(r)
        people = [r for r in top if r.label in _PEOPLE]
        return people or top

    def _coordinated_before(self, refs: list[Ref], last: Ref) -> list[Ref]:
        """`last` and the actors coordinated before it (由A与B共同发起: A and B)."""
        out = [last]
        i = refs.index(last) - 1
        while i >= 0:
            r = refs[i]
            if r.end > out[0].start:
                i -= 1
                continue
            if not self._is_actor(r) or not _ZH_COORD.match(self.text[r.end : out[0].start]):
                break
            out.insert(0, r)
            i -= 1
        return out

    def _org_before(self, person: Ref) -> Ref | None:
        """The organisation written right before a person (中国科学技术大学郭光灿)."""
        for refs in self.by_sentence:
            if refs and refs[0].start <= person.start <= refs[-1].end:
                before = [r for r in refs if r.end == person.start and r.label in _ORG_LABELS]
                return before[-1] if before else None
        return None

    def _acts(self, ref: Ref, rel: RelType) -> bool:
        """Whether `ref` is itself the agent of a `rel` trigger in this sentence (红杉资本跟投):
        a co-investor, not what is invested in."""
        return any(rel == r and 0 <= start - ref.end <= 3 for start, r in self._agent_triggers)

    def _emit_agent(
        self, agent: Ref, objects: list[Ref], rel: RelType, si: int, conf: float
    ) -> None:
        if rel == RelType.SPUN_OFF_FROM and agent.label in _PEOPLE:
            # 由中国科学技术大学郭光灿院士团队孵化: spun off from the team's institution
            org = self._org_before(agent)
            if org is None:
                return
            agent = org
        for o in objects:
            if rel in (RelType.SPUN_OFF_FROM, RelType.PART_OF):
                self.emit(o.entity, agent.entity, rel, si, "agent", conf)
            else:
                self.emit(agent.entity, o.entity, rel, si, "agent", conf)

    def _round(
        self,
        si: int,
        refs: list[Ref],
        group: list[Ref],
        start: int,
        end: int,
        rel: RelType,
        word: str,
        conf: float,
    ) -> None:
        """ "Redwood Ventures and Halcyon Partners also joined the round": the subject invests
        in the firm the round belongs to, the target of the latest investment read so far."""
        earlier = [d for d in self.out.values() if d.type == RelType.INVESTS_IN]
        if not earlier:
            return
        target = max(earlier, key=lambda d: d.start).target
        for agent in group:
            if agent.end <= start:
                self.emit(agent.entity, target, rel, si, "agent", conf - 0.1)

    def _role(self, *args: object) -> None:
        """zh_role triggers (创始人X) are read structurally in `_chains`, where the person
        and the company are both known; nothing to do per trigger."""

    def _with(
        self,
        si: int,
        refs: list[Ref],
        group: list[Ref],
        start: int,
        end: int,
        rel: RelType,
        word: str,
        conf: float,
    ) -> None:
        clause = self._clause_start(si, start)
        # coordinated subjects joined by 与/和 (A与B签署): every pair collaborates
        members = [g for g in group if clause <= g.start < start] if group else []
        if (
            self.lang == "zh"
            and self.text[start - 1 : start] == "共"
            and _ZH_PROJECTS_SIGNED.match(self.text, end)
        ):
            return  # A和B共签约项目14个: in all, each with investors the text does not name
        if self.lang == "zh" and _ZH_CO_HOLD.match(self.text, end):
            return  # A与B共同担任主任: two people holding one post, not partners
        if word in _PARTNER_ONLY:
            members = []  # A、B等企业签约入驻 / A、B见证签约: each signs with someone else
        if word in _WEAK_WITH:
            # 刘晓峰、卢建军和王树国共同为研究院揭牌: people acting together, not partners
            members = [g for g in members if g.label in _ORG_LABELS]
        if len(members) >= 2:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    self.emit(a.entity, b.entity, rel, si, "with", conf)
        # subject ... 与 partner ... trigger
        for m in _WITH.finditer(self.text[clause:start]):
            pos = clause + m.end()
            partner = next((r for r in refs if r.start == pos and self._is_actor(r)), None)
            if partner is None:
                continue
            idx = refs.index(partner)
            head = refs[self._chain_person(refs, idx)]
            partners = [head]
            for r in refs[refs.index(head) + 1 :]:  # 与西北工业大学、陕西煤业集团建立...
                if r.start >= start or r.start < partners[-1].end:
                    continue
                if not self._is_actor(r) or not _ZH_LIST_SEP.match(
                    self.text[partners[-1].end : r.start]
                ):
                    break
                partners.append(r)
            for s in group:
                if s.start < pos:
                    for p in partners:
                        self.emit(s.entity, p.entity, rel, si, "with", conf)
            if self.lang == "zh" and word in _ZH_CO_FOUND:
                # A与B(签约)共建C: both parties found C
                made = next(
                    (r for r in refs if 0 <= r.start - end <= 1 and r.label in _ORG_LABELS),
                    None,
                )
                if made is not None:
                    for x in [*(g for g in group if g.start < pos), *partners]:
                        if x.entity != made.entity:
                            self.emit(x.entity, made.entity, RelType.FOUNDED, si, "agent", 0.7)

    def _pair(
        self,
        si: int,
        refs: list[Ref],
        group: list[Ref],
        start: int,
        end: int,
        rel: RelType,
        word: str,
        conf: float,
    ) -> None:
        members = [g for g in group if g.start < start]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                self.emit(a.entity, b.entity, rel, si, "with", conf)
