"""The failure kinds of issue 15 (extraction on unseen real news), one authored example each:
English names without a suffix or gazetteer entry, Chinese boundaries, derived government
abbreviations, generic phrases, and the relation structures (coordination, appositions,
founded by, partner lists, nearest event/park). Rules only unless a test says otherwise, so
each outcome depends on the rule under test."""

from __future__ import annotations

import pytest
from helpers import aliases, entities, relations

from innograph.ingest.components import references
from innograph.ingest.components.state import DocState
from innograph.ingest.normalize import normalize
from innograph.ingest.pipeline import Extractor
from innograph.model import Label


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_stat_ner=False)


def en(ex: Extractor, text: str) -> DocState:
    return ex.analyse(normalize(text).text, lang="en")


def zh(ex: Extractor, text: str) -> DocState:
    """As ingest sees it: normalised (full-width brackets become ASCII ones)."""
    return ex.analyse(normalize(text).text)


# ---- English names -------------------------------------------------------------------------


def test_english_people_from_titles_appositions_roles_and_speech(ex: Extractor) -> None:
    state = en(
        ex,
        "Acme Biologics was founded by Dr Jane Porter. The company's chief executive Tom "
        'Becker said the trial would start soon. "It works," said Mark Ellison, the '
        "programme's director. Dr Porter, director of the Centre for Protein Engineering, agreed.",
    )
    found = entities(state)
    for person in ("Jane Porter", "Tom Becker", "Mark Ellison"):
        assert found[person] == Label.PERSON
    assert "Porter" not in found  # "Dr Porter" is Jane Porter, not a second person
    assert found["Acme Biologics"] == Label.FIRM
    assert found["Centre for Protein Engineering"] == Label.INSTITUTE


def test_english_organisations_without_suffix(ex: Extractor) -> None:
    state = en(
        ex,
        "Northwind, a Shanghai robotics company, signed an agreement with Redwood and the "
        "Technical University of Munich. Sarah Chen founded Lumen Grid in 2019. Lumen Grid's "
        "chief scientist joined from University College London. The Technology Incubation "
        "Program at Imperial College London backed the Fraunhofer Institute for Solar Energy "
        "Systems.",
    )
    found = entities(state)
    assert found["Northwind"] == Label.FIRM
    assert found["Redwood"] == Label.FIRM  # coordinated with an organisation
    assert found["Lumen Grid"] == Label.FIRM
    assert found["Sarah Chen"] == Label.PERSON
    assert found["University College London"] == Label.INSTITUTE
    assert found["Imperial College London"] == Label.INSTITUTE
    assert found["Technology Incubation Program"] == Label.ORGANIZATION
    assert found["Fraunhofer Institute for Solar Energy Systems"] == Label.INSTITUTE
    assert "Solar Energy Systems" not in found


def test_english_runs_stop_at_a_sentence_end(ex: Extractor) -> None:
    state = en(
        ex, "She worked at the Fraunhofer Institute for Solar Energy Systems. The Berlin team."
    )
    assert "Fraunhofer Institute for Solar Energy Systems" in entities(state)
    assert not any("Systems. The" in name for name in entities(state))


# ---- Chinese boundaries --------------------------------------------------------------------


def test_chinese_boundaries(ex: Extractor) -> None:
    state = zh(
        ex,
        "浦俄（上海）科技创新中心近日成立。园区此前已引进中国科学院苏州纳米技术与纳米仿生研究所。"
        "本轮融资由深创投领投，老股东国元创投继续加码。中国工程院院士李兰娟出席会议。"
        "合肥市产业投资控股(集团)有限公司跟投。",
    )
    found = entities(state)
    assert found["浦俄(上海)科技创新中心"] == Label.INSTITUTE  # place prefix kept
    assert found["中国科学院苏州纳米技术与纳米仿生研究所"] == Label.INSTITUTE  # not cut at 与
    assert found["深创投"] == Label.FIRM  # not 融资由深创投
    assert found["国元创投"] == Label.FIRM  # not 老股东国元创投
    assert found["李兰娟"] == Label.ACADEMICIAN
    assert found["合肥市产业投资控股(集团)有限公司"] == Label.FIRM
    assert not any(name.endswith("出席会议") for name in found)


def test_boundaries_of_descriptors_prepositions_places_and_legal_names(ex: Extractor) -> None:
    """新创公司 before a trade name describes it; a preposition buried in an unknown word
    (…由…) ends what is before a name; a place jieba split (台/q 中/f) opens a name; a
    chartered (国立) or legal (股份有限公司) name is specific in common words."""
    state = zh(
        ex,
        "国立清水大学医学院衍生新创公司蓝湾生医股份有限公司完成募资。蓝湾生医由清大医学院"
        "教授叶书豪创办。台中精密光学科技创新园区与明亮视觉科技股份有限公司签约。"
        "高雄智慧渔业新创加速器计划公布名单。",
    )
    found = entities(state)
    assert found.get("蓝湾生医股份有限公司") == Label.FIRM
    assert "新创公司蓝湾生医股份有限公司" not in found
    assert found.get("国立清水大学医学院") == Label.INSTITUTE
    assert not any(name.endswith("由清大医学院") for name in found)
    assert found.get("台中精密光学科技创新园区") == Label.PARK
    assert found.get("明亮视觉科技股份有限公司") == Label.FIRM
    assert "高雄智慧渔业新创加速器计划" in found


def test_rank_words_are_titles_not_names(ex: Extractor) -> None:
    state = zh(ex, "深圳灵犀智能科技有限公司高级副总裁陈思远表示，公司将扩大团队。")
    found = entities(state)
    assert found["陈思远"] == Label.PERSON
    assert "高级" not in found
    assert ("陈思远", "AFFILIATED_WITH", "深圳灵犀智能科技有限公司") in relations(state)


def test_event_fragments_after_ji_are_not_names(ex: Extractor) -> None:
    state = zh(ex, "在2024深圳国际高新技术成果交易会暨第一次全体大会上，公司展示了新产品。")
    found = entities(state)
    assert found["2024深圳国际高新技术成果交易会"] == Label.EVENT
    assert not any("全体大会" in name for name in found)


def test_founded_research_body_is_named_in_full(ex: Extractor) -> None:
    state = zh(ex, "双方将共建代谢疾病联合实验室。两校宣布共同成立联合研发中心。")
    found = entities(state)
    assert found["代谢疾病联合实验室"] == Label.INSTITUTE
    assert "联合研发中心" not in found  # only generic words: what kind, not which one


# ---- abbreviations and short forms -----------------------------------------------------------


def test_government_abbreviations_derived_from_full_names(ex: Extractor) -> None:
    state = zh(
        ex,
        "上海市科学技术委员会和上海市科学技术协会联合召开会议。市科委副主任王建华、"
        "市科协党组书记陈立新出席。",
    )
    found = entities(state)
    assert "市科委" not in found and "市科协" not in found  # aliases, not separate bodies
    assert "市科委" in aliases(state, "上海市科学技术委员会")
    assert "市科协" in aliases(state, "上海市科学技术协会")
    rels = relations(state)
    assert ("王建华", "AFFILIATED_WITH", "上海市科学技术委员会") in rels
    assert ("陈立新", "AFFILIATED_WITH", "上海市科学技术协会") in rels
    assert ("王建华", "AFFILIATED_WITH", "上海市科学技术协会") not in rels  # 任 in 主任


def test_standalone_government_abbreviation(ex: Extractor) -> None:
    state = zh(ex, "市科协将组织院士专家深入园区企业开展服务。")
    assert entities(state)["市科协"] == Label.ORGANIZATION
    assert "市科学技术协会" in aliases(state, "市科协")


def test_park_short_forms(ex: Extractor) -> None:
    state = zh(
        ex,
        "苏州工业园区与新加坡国立大学签署协议。园区管委会主任周国强出席。"
        "研究院将落户园区独墅湖科教创新区。",
    )
    found = entities(state)
    assert found["苏州工业园区"] == Label.PARK
    assert found["苏州工业园区管委会"] == Label.ORGANIZATION
    assert "园区管委会" in aliases(state, "苏州工业园区管委会")
    assert found["独墅湖科教创新区"] == Label.PARK
    assert ("周国强", "AFFILIATED_WITH", "苏州工业园区管委会") in relations(state)


def test_firm_called_by_its_first_words(ex: Extractor) -> None:
    state = zh(ex, "合肥本源量子计算科技有限责任公司完成融资。本源量子成立于2017年。")
    assert "本源量子" not in entities(state)
    assert "本源量子" in aliases(state, "合肥本源量子计算科技有限责任公司")


# ---- generic phrases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "generic"),
    [
        ("国家有关部门", True),
        ("本市科创机构", True),
        ("研究所", True),
        ("第一次全体大会", True),
        ("各级政府", True),
        ("中国科学院上海营养与健康研究所", False),
        ("国家发展和改革委员会", False),
    ],
)
def test_generic_phrases(phrase: str, generic: bool) -> None:
    assert references.generic_phrase(phrase) is generic


# ---- technologies --------------------------------------------------------------------------


def test_technology_list_items(ex: Extractor) -> None:
    state = zh(ex, "公司专注于量子计算机、量子芯片和量子软件的研发，并重点发展新材料、激光技术。")
    found = entities(state)
    for tech in ("量子芯片", "量子软件", "新材料"):
        assert found[tech] == Label.TECHNOLOGY
    assert "芯片" not in found and "发展新材料" not in found


def test_objects_of_a_focus_verb_are_technologies(ex: Extractor) -> None:
    """Each item listed after a focus verb is one technology, grown over the lexicon's shorter
    term (锂 in 锂硫电池正极材料) or found with no lexicon entry at all."""
    state = zh(
        ex,
        "研究院将聚焦锂硫电池正极材料、柔性显示面板和深海探测装备等方向。"
        "该团队长期从事果树病害防控药物研究，并面向全国高校开放。",
    )
    found = entities(state)
    for tech in ("锂硫电池正极材料", "柔性显示面板", "深海探测装备", "果树病害防控药物"):
        assert found.get(tech) == Label.TECHNOLOGY, tech
    assert "深海探测装备等方向" not in found and "果树病害防控药物研究" not in found
    assert "全国高校" not in found  # 面向 names an audience as often as a field
    english = en(
        ex,
        "Harbour Cells Ltd will focus on zinc-air batteries, thermal storage and grid-scale "
        "hydrogen electrolysis. It works on growth for the region.",
    )
    found = entities(english)
    for tech in ("zinc-air batteries", "thermal storage"):
        assert found.get(tech) == Label.TECHNOLOGY, tech
    assert "growth" not in found
    assert ("Harbour Cells Ltd", "FOCUSES_ON", "zinc-air batteries") in relations(english)


# ---- relations -----------------------------------------------------------------------------


def test_coordinated_members_of_an_organisation(ex: Extractor) -> None:
    state = en(
        ex,
        "A delegation of the Russian Academy of Sciences arrived. The academy's members Viktor "
        "Sokolov, Elena Morozova and Pavel Ivanov attended the forum.",
    )
    rels = relations(state)
    for person in ("Viktor Sokolov", "Elena Morozova", "Pavel Ivanov"):
        assert entities(state)[person] == Label.ACADEMICIAN
        assert (person, "AFFILIATED_WITH", "Russian Academy of Sciences") in rels
    zh_state = zh(
        ex,
        "俄罗斯科学院西伯利亚分院代表团来访。出席仪式的还有该院院士彼得罗夫·安德烈、"
        "斯米尔诺娃·奥尔加和库兹涅佐夫·德米特里。",
    )
    zh_rels = relations(zh_state)
    for person in ("彼得罗夫·安德烈", "斯米尔诺娃·奥尔加", "库兹涅佐夫·德米特里"):
        # academicians belong to the academy, not to its branch
        assert (person, "AFFILIATED_WITH", "俄罗斯科学院") in zh_rels


def test_appositions_and_possessive_roles(ex: Extractor) -> None:
    state = en(
        ex,
        "The Sino-Russian Technology Transfer Center will open next year, said Sergei Volkov, "
        "the center's director. Lumen Grid's chief scientist, Dr Omar Haddad, previously led "
        "a group at King's College London.",
    )
    rels = relations(state)
    assert ("Sergei Volkov", "AFFILIATED_WITH", "Sino-Russian Technology Transfer Center") in rels
    assert ("Omar Haddad", "AFFILIATED_WITH", "Lumen Grid") in rels
    assert ("Omar Haddad", "AFFILIATED_WITH", "King's College London") in rels


def test_founded_by(ex: Extractor) -> None:
    state = en(ex, "Acme Biologics, a Cambridge start-up founded by Dr Jane Porter, raised money.")
    assert ("Jane Porter", "FOUNDED", "Acme Biologics") in relations(state)
    zh_state = zh(
        ex, "由清华大学教授刘建国创办的深圳灵犀智能科技有限公司完成融资，深创投领投，红杉中国跟投。"
    )
    rels = relations(zh_state)
    assert ("刘建国", "FOUNDED", "深圳灵犀智能科技有限公司") in rels
    assert ("深创投", "INVESTS_IN", "深圳灵犀智能科技有限公司") in rels
    assert (
        "红杉资本",
        "INVESTS_IN",
        "深圳灵犀智能科技有限公司",
    ) in rels  # 红杉中国: its canonical name
    both = zh(ex, "该中心由上海浦东新区管委会与俄罗斯科学院西伯利亚分院共同发起。")
    assert len([r for r in relations(both) if r[1] == "FOUNDED"]) == 0  # 该中心 has no antecedent
    full = zh(
        ex,
        "浦俄（上海）科技创新中心近日成立。该中心由上海浦东新区管委会与俄罗斯科学院西伯利亚分院共同发起。",
    )
    rels = relations(full)
    assert ("上海浦东新区管委会", "FOUNDED", "浦俄(上海)科技创新中心") in rels
    assert ("俄罗斯科学院西伯利亚分院", "FOUNDED", "浦俄(上海)科技创新中心") in rels


def test_partner_lists(ex: Extractor) -> None:
    state = en(
        ex,
        "The Sino-Russian Technology Transfer Center, whose partners include Fudan University, "
        "Northwind Robotics and the Skolkovo Institute of Science and Technology, opened.",
    )
    rels = relations(state)
    for partner in (
        "Fudan University",
        "Northwind Robotics",
        "Skolkovo Institute of Science and Technology",
    ):
        assert ("Sino-Russian Technology Transfer Center", "COLLABORATES_WITH", partner) in rels
    zh_state = zh(
        ex,
        "浦俄（上海）科技创新中心成立。中心合作伙伴包括上海交通大学、华东师范大学和上海微技术工业研究院。",
    )
    zh_rels = relations(zh_state)
    for partner in ("上海交通大学", "华东师范大学", "上海微技术工业研究院"):
        assert ("浦俄(上海)科技创新中心", "COLLABORATES_WITH", partner) in zh_rels


def test_nearest_event_and_parks(ex: Extractor) -> None:
    state = zh(
        ex,
        "2024深圳国际高新技术成果交易会开幕。深圳市科技创新委员会副主任黄伟出席并参观了展位。"
        "苏州工业园区此前已引进西交利物浦大学、中国科学院苏州纳米技术与纳米仿生研究所等机构。",
    )
    rels = relations(state)
    assert ("黄伟", "PARTICIPATED_IN", "2024深圳国际高新技术成果交易会") in rels
    assert ("西交利物浦大学", "LOCATED_IN", "苏州工业园区") in rels
    assert ("中国科学院苏州纳米技术与纳米仿生研究所", "LOCATED_IN", "苏州工业园区") in rels


def test_investors_joining_a_round(ex: Extractor) -> None:
    state = en(
        ex,
        "Acme Biologics raised $40 million in a round led by Northwind Capital. Redwood "
        "Ventures and Halcyon Partners also joined the round.",
    )
    rels = relations(state)
    for investor in ("Northwind Capital", "Redwood Ventures", "Halcyon Partners"):
        assert (investor, "INVESTS_IN", "Acme Biologics") in rels


def test_spin_outs_co_founders_with_appositions_and_the_named_centre(ex: Extractor) -> None:
    state = en(
        ex,
        "Imperial College London spin-out Larkspur Sensors Ltd raised money. Brightwater "
        "Optics Ltd, a University of Leeds spin-out, was co-founded by Dr Amara Okafor, a "
        "physicist at the University of Leeds, and Tom Rees. The Kelvin Centre for Cold "
        "Chemistry opened at the University of Bristol. Its director, Dr Jonas Berg, came from "
        "Lund University. The centre is funded in part by the Royal Society.",
    )
    rels = relations(state)
    assert ("Larkspur Sensors Ltd", "SPUN_OFF_FROM", "Imperial College London") in rels
    assert ("Brightwater Optics Ltd", "SPUN_OFF_FROM", "University of Leeds") in rels
    assert ("Amara Okafor", "FOUNDED", "Brightwater Optics Ltd") in rels
    assert ("Tom Rees", "FOUNDED", "Brightwater Optics Ltd") in rels  # past the apposition
    assert ("Amara Okafor", "FOUNDED", "University of Leeds") not in rels
    # "the centre" is the body named a centre, not the university named since
    assert ("Royal Society", "INVESTS_IN", "Kelvin Centre for Cold Chemistry") in rels
    assert ("Royal Society", "INVESTS_IN", "Lund University") not in rels


def test_several_titles_and_ranked_titles_at_one_organisation(ex: Extractor) -> None:
    state = zh(
        ex,
        "宜宾市科学技术协会党组书记、主席彭晓岚出席揭牌仪式。青岛市科学技术局二级巡视员于春雷出席仪式。"
        "项目负责人为中南工业大学正高级工程师谭立群。",
    )
    rels = relations(state)
    assert ("彭晓岚", "AFFILIATED_WITH", "宜宾市科学技术协会") in rels
    assert ("于春雷", "AFFILIATED_WITH", "青岛市科学技术局") in rels
    assert ("谭立群", "AFFILIATED_WITH", "中南工业大学") in rels
    # a list of titles must consist of titles only: a verb in it breaks the chain
    broken = zh(ex, "宜宾市科学技术协会党组书记、会见了彭晓岚。")
    assert ("彭晓岚", "AFFILIATED_WITH", "宜宾市科学技术协会") not in relations(broken)


def test_founders_between_you_and_the_verb(ex: Extractor) -> None:
    state = zh(
        ex,
        "安徽星衡量子科技有限公司成立。星衡量子主要从事量子精密测量仪器的研发,"
        "由中国科学技术大学博士后邓一鸣于2022年创办。"
        "精锐视觉科技股份有限公司由中兴大学教授何俊贤与业界工程师蔡明哲共同创立。",
    )
    rels = relations(state)
    assert ("邓一鸣", "FOUNDED", "安徽星衡量子科技有限公司") in rels  # past 于2022年
    assert ("邓一鸣", "AFFILIATED_WITH", "中国科学技术大学") in rels
    for founder in ("何俊贤", "蔡明哲"):  # every person between 由 and the verb
        assert (founder, "FOUNDED", "精锐视觉科技股份有限公司") in rels
    # the university before the founder is where he works, not a founder
    assert ("中兴大学", "FOUNDED", "精锐视觉科技股份有限公司") not in rels


def test_a_department_between_organisation_and_title(ex: Extractor) -> None:
    state = zh(ex, "精锐视觉科技股份有限公司由中兴大学机械工程学系教授何俊贤创立。")
    assert ("何俊贤", "AFFILIATED_WITH", "中兴大学") in relations(state)
    # without a title after it, a department-like word is no chain
    plain = zh(ex, "中兴大学机械工程学系何俊贤发言。")
    assert ("何俊贤", "AFFILIATED_WITH", "中兴大学") not in relations(plain)


def test_colon_partner_lists_and_its_role(ex: Extractor) -> None:
    state = en(
        ex,
        "The Kelvin Centre for Cold Chemistry was launched at the University of Bristol with "
        "four founding partners: Redwood Analytics, the Fraunhofer Institute for Solar Energy "
        "Systems, Leeds-based Northwind Robotics and Lund University. The centre will focus "
        "on cold chemistry. Its director, Professor Jonas Berg, previously led a group.",
    )
    rels = relations(state)
    centre = "Kelvin Centre for Cold Chemistry"
    for partner in (
        "Redwood Analytics",
        "Fraunhofer Institute for Solar Energy Systems",
        "Northwind Robotics",  # past "Leeds-based"
        "Lund University",
    ):
        assert (centre, "COLLABORATES_WITH", partner) in rels
        # the university it was launched at is where, not whose partners
        assert ("University of Bristol", "COLLABORATES_WITH", partner) not in rels
    assert ("Jonas Berg", "AFFILIATED_WITH", centre) in rels


def test_a_lead_organisation_and_those_joining_it(ex: Extractor) -> None:
    state = zh(
        ex,
        "其中,由中南工业大学牵头、株洲时代智控科技有限公司和湘潭岳塘电机股份有限公司参与的项目获得支持。"
        "华为技术有限公司牵头，联合清华大学、北京大学共同承担该项目。",
    )
    rels = relations(state)
    members = ("中南工业大学", "株洲时代智控科技有限公司", "湘潭岳塘电机股份有限公司")
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            assert (a, "COLLABORATES_WITH", b) in rels
    assert "清华大学" in entities(state)  # 联合 is the verb, not part of the name
    for a, b in (("华为技术有限公司", "清华大学"), ("清华大学", "北京大学")):
        assert (a, "COLLABORATES_WITH", b) in rels
    # without a verb of joining, organisations after the lead are not its partners
    alone = zh(ex, "由中南工业大学牵头、株洲时代智控科技有限公司负责生产。")
    assert ("中南工业大学", "COLLABORATES_WITH", "株洲时代智控科技有限公司") not in relations(alone)


def test_a_park_called_by_its_first_characters_and_its_emphasis(ex: Extractor) -> None:
    state = zh(
        ex,
        "合肥云谷未来产业园发布公告。禾田智农科技有限公司专注于无人机。"
        "据了解,云谷园已累计引进科创企业126家,形成了以量子信息、第三代半导体为特色的产业集群。",
    )
    assert "云谷园" in aliases(state, "合肥云谷未来产业园")
    rels = relations(state)
    for tech in ("量子信息", "第三代半导体"):
        assert ("合肥云谷未来产业园", "FOCUSES_ON", tech) in rels
        assert ("禾田智农科技有限公司", "FOCUSES_ON", tech) not in rels
    # a park named by its kind alone has no short form of its own
    plain = zh(ex, "苏州工业园区发布公告。")
    assert "苏州园" not in aliases(plain, "苏州工业园区")


def test_a_spin_off_named_with_its_origin_heads_the_clause(ex: Extractor) -> None:
    state = zh(
        ex,
        "国立成功大学医学院衍生新创公司晶涌生医股份有限公司日前宣布完成A轮募资,由华岳创投领投。",
    )
    rels = relations(state)
    assert ("晶涌生医股份有限公司", "SPUN_OFF_FROM", "国立成功大学医学院") in rels
    assert ("华岳创投", "INVESTS_IN", "晶涌生医股份有限公司") in rels  # the company, not its origin
    assert ("华岳创投", "INVESTS_IN", "国立成功大学医学院") not in rels


def test_at_the_event_the_clause_subject_took_part(ex: Extractor) -> None:
    state = en(
        ex,
        "Helsinki Quantum Week opened with the Nordic Quantum Hardware Summit. At the hardware "
        "summit, Aalto University and the VTT Technical Research Centre of Finland presented a "
        "processor. Arctic Qubit, founded by Mikael Rautio and Sofia Berg, also pitched.",
    )
    rels = relations(state)
    for body in ("Aalto University", "VTT Technical Research Centre of Finland"):
        assert (body, "PARTICIPATED_IN", "Nordic Quantum Hardware Summit") in rels
        assert (body, "PARTICIPATED_IN", "Helsinki Quantum Week") not in rels
    for founder in ("Mikael Rautio", "Sofia Berg"):  # "and" is no premodifier of a name
        assert (founder, "FOUNDED", "Arctic Qubit") in rels
    zh_state = zh(
        ex,
        "第六届长江中游城市群科技成果交易会开幕。在成果交易会主会场,华中光电研究院、"
        "湖北楚芯微电子有限公司等62家单位集中发布了成果。",
    )
    zh_rels = relations(zh_state)
    for body in ("华中光电研究院", "湖北楚芯微电子有限公司"):
        assert (body, "PARTICIPATED_IN", "第六届长江中游城市群科技成果交易会") in zh_rels


def test_a_part_of_a_transliterated_name_is_that_person(ex: Extractor) -> None:
    state = zh(
        ex,
        "俄罗斯科学院院士伊琳娜·帕夫洛娃到访。路演结束后,苏州恒冷超导科技有限公司与帕夫洛娃院士团队签约。"
        "成都天府细胞谷孵化器举行入驻仪式，蓉生细胞治疗科技有限公司、成都锦绣基因技术有限公司等企业签约入驻。",
    )
    people = [name for name, label in entities(state).items() if label == Label.ACADEMICIAN]
    assert people == ["伊琳娜·帕夫洛娃"]  # 帕夫洛娃 is no second person
    rels = relations(state)
    assert ("苏州恒冷超导科技有限公司", "COLLABORATES_WITH", "伊琳娜·帕夫洛娃") in rels
    # firms that each sign up with an incubator did not sign with each other
    assert (
        "蓉生细胞治疗科技有限公司",
        "COLLABORATES_WITH",
        "成都锦绣基因技术有限公司",
    ) not in rels


def test_relative_clauses_name_where_people_work(ex: Extractor) -> None:
    state = en(
        ex,
        "The company was founded in 2021 by Dr Priya Anand and Tomasz Wielgosz, who met as "
        "postdoctoral researchers at the University of Manchester. The delegation toured the "
        "Pengcheng Institute for Functional Materials, where director Huang Jiaming showed "
        "them a pilot line. Dr Elena Kuznetsova, who heads the Ioffe Laboratory of Thin Films, "
        "spoke.",
    )
    rels = relations(state)
    for person in ("Priya Anand", "Tomasz Wielgosz"):
        assert (person, "AFFILIATED_WITH", "University of Manchester") in rels
    assert (
        "Huang Jiaming",
        "AFFILIATED_WITH",
        "Pengcheng Institute for Functional Materials",
    ) in rels
    assert ("Elena Kuznetsova", "AFFILIATED_WITH", "Ioffe Laboratory of Thin Films") in rels


def test_every_prefecture_level_city_opens_a_name(ex: Extractor) -> None:
    # 营口 is tagged as a verbal noun by jieba: only the gazetteer knows it is a city
    state = zh(
        ex,
        "中国科学院沈阳自动化研究所与营口市人民政府签署协议，新研究院落户营口高新技术产业开发区。",
    )
    found = entities(state)
    assert found["营口市人民政府"] == Label.ORGANIZATION
    assert found["营口高新技术产业开发区"] == Label.PARK
    assert ("中国科学院沈阳自动化研究所", "COLLABORATES_WITH", "营口市人民政府") in relations(state)


def test_events_held_by_name_and_city_officials(ex: Extractor) -> None:
    state = zh(
        ex,
        "9月12日，江西省科学技术厅与赣州市人民政府在赣州联合召开稀土新材料产业创新推进会。"
        "省科技厅厅长罗振邦、赣州市副市长廖春华出席会议并讲话。",
    )
    found = entities(state)
    # named with common words only, but introduced by a verb of holding it
    assert found["稀土新材料产业创新推进会"] == Label.EVENT
    rels = relations(state)
    assert ("廖春华", "AFFILIATED_WITH", "赣州市人民政府") in rels  # the city's government
    for person in ("罗振邦", "廖春华"):  # one list across the second person's office
        assert (person, "PARTICIPATED_IN", "稀土新材料产业创新推进会") in rels
    assert "工作会" not in entities(zh(ex, "赣州市人民政府召开工作会。"))


def test_people_listed_before_the_event_and_hosts_after_you(ex: Extractor) -> None:
    state = zh(
        ex,
        "2024粤港澳大湾区中医药创新论坛在澳门开幕。论坛由澳门科技大学与澳门大学联合主办。"
        "中国工程院院士、广州中医药大学教授伍绍麟,澳门大学中华医药研究院院长梁颖珊,"
        "以及香港浸会大学中医药学院教授司徒振邦在论坛上作主旨演讲。",
    )
    rels = relations(state)
    forum = "2024粤港澳大湾区中医药创新论坛"
    for actor in ("澳门科技大学", "澳门大学", "伍绍麟", "梁颖珊", "司徒振邦"):
        assert (actor, "PARTICIPATED_IN", forum) in rels
    assert ("伍绍麟", "AFFILIATED_WITH", "广州中医药大学") in rels


def test_investment_received_from_an_organisation(ex: Extractor) -> None:
    state = zh(
        ex,
        "成都锦绣基因技术有限公司成立于2023年,已获得成都科创投集团1500万元天使轮投资。",
    )
    rels = relations(state)
    assert ("成都科创投集团", "INVESTS_IN", "成都锦绣基因技术有限公司") in rels
    # getting an award from a body is no investment
    award = zh(ex, "成都锦绣基因技术有限公司获得成都市科学技术局颁发的奖项。")
    assert not [r for r in relations(award) if r[1] == "INVESTS_IN"]


def test_two_word_park_heads_and_a_place_owner(ex: Extractor) -> None:
    state = en(
        ex,
        "Lianchuang Materials is based in the Guangming Science City. Origin Photonics moved "
        "to Chengdu's Tianfu Future Science City. Zhao Kaifeng, director of the lab, spoke. "
        "He grew up in New York City.",
    )
    found = entities(state)
    assert found["Guangming Science City"] == Label.PARK
    assert found["Tianfu Future Science City"] == Label.PARK  # Chengdu's owns it
    assert found["Zhao Kaifeng"] == Label.PERSON  # a given name that is also a city's
    assert found.get("New York City") != Label.PARK


def test_common_technology_fields_in_both_languages(ex: Extractor) -> None:
    state = en(
        ex,
        "Photon Grid develops LiDAR and quantum key distribution systems. Its partner works on "
        "sodium-ion batteries and embodied AI.",
    )
    found = entities(state)
    for field in ("LiDAR", "quantum key distribution", "sodium-ion batteries", "embodied AI"):
        assert found[field] == Label.TECHNOLOGY
    zh_state = zh(ex, "该公司专注于激光雷达和钙钛矿太阳能电池。")
    zh_found = entities(zh_state)
    assert zh_found["激光雷达"] == Label.TECHNOLOGY
    assert zh_found["钙钛矿太阳能电池"] == Label.TECHNOLOGY


def test_english_roles_opening_a_sentence_and_bank_and_equity_heads(ex: Extractor) -> None:
    state = en(
        ex,
        "Quantafold, a protein design start-up spun out of the University of Edinburgh, raised "
        "money in a round led by Lomond Ventures, with participation from Scottish National "
        "Investment Bank and Par Equity. Chief executive Morag Sinclair co-founded the company.",
    )
    found = entities(state)
    assert found["Morag Sinclair"] == Label.PERSON
    rels = relations(state)
    assert ("Morag Sinclair", "AFFILIATED_WITH", "Quantafold") in rels
    for investor in ("Lomond Ventures", "Scottish National Investment Bank", "Par Equity"):
        assert (investor, "INVESTS_IN", "Quantafold") in rels


def test_hub_anaphors_sentence_initial_triggers_and_partner_lists(ex: Extractor) -> None:
    state = en(
        ex,
        "The Midlands Battery Innovation Hub opened at the University of Warwick. Funded by the "
        "Faraday Institution and Jaguar Land Rover, the hub will focus on battery recycling. "
        "Partners include Johnson Matthey, the University of Birmingham and Britishvolt.",
    )
    found = entities(state)
    assert found["Faraday Institution"] == Label.INSTITUTE
    assert found["University of Birmingham"] == Label.INSTITUTE  # "and Britishvolt" is a 2nd name
    rels = relations(state)
    hub = "Midlands Battery Innovation Hub"
    for funder in ("Faraday Institution", "Jaguar Land Rover"):
        assert (funder, "INVESTS_IN", hub) in rels
    for partner in ("Johnson Matthey", "University of Birmingham", "Britishvolt"):
        assert (hub, "COLLABORATES_WITH", partner) in rels
    # a topic word after "and" keeps one name
    one = en(ex, "The University of Science and Technology of China signed.")
    assert "University of Science and Technology of China" in entities(one)


def test_speakers_organisers_and_what_happened_at_the_event(ex: Extractor) -> None:
    state = en(
        ex,
        "More than 400 founders attended the Cambridge Deep Tech Forum on Thursday. Speakers "
        "included Hermann Hauser, co-founder of Amadeus Capital Partners, and Dr Sarah Connolly "
        "of the Babraham Institute. Riverlane, the quantum software company, announced a "
        "partnership with Oxford Instruments at the event. The forum was organised by "
        "Cambridge Enterprise and the Royal Academy of Engineering.",
    )
    rels = relations(state)
    forum = "Cambridge Deep Tech Forum"
    for actor in (
        "Hermann Hauser",
        "Sarah Connolly",
        "Riverlane",
        "Cambridge Enterprise",
        "Royal Academy of Engineering",
    ):
        assert (actor, "PARTICIPATED_IN", forum) in rels
    assert ("Oxford Instruments", "PARTICIPATED_IN", forum) not in rels  # the partner, not subject


def test_speaking_at_the_event_is_taking_part(ex: Extractor) -> None:
    state = zh(ex, "11月20日，2024长三角科技成果转化对接会在嘉兴举行。嘉兴市副市长王建华致辞。")
    assert ("王建华", "PARTICIPATED_IN", "2024长三角科技成果转化对接会") in relations(state)


def test_a_speaker_is_not_the_subject_of_what_is_reported(ex: Extractor) -> None:
    state = zh(
        ex,
        "赣州市科学技术委员会发布榜单。市科委主任钟永胜介绍，榜单聚焦稀土永磁材料和高端装备等领域。",
    )
    rels = relations(state)
    assert ("钟永胜", "AFFILIATED_WITH", "赣州市科学技术委员会") in rels
    assert not [r for r in rels if r[0] == "钟永胜" and r[1] == "FOCUSES_ON"]


def test_a_common_abbreviation_after_a_conjunction_stays_in_the_name(ex: Extractor) -> None:
    state = zh(
        ex,
        "近日,由中国科学院西安精密光学与光电技术研究所孵化的陕西曜影光电科技有限公司交付了设备。",
    )
    found = entities(state)
    assert found["中国科学院西安精密光学与光电技术研究所"] == Label.INSTITUTE
    assert "光电技术研究所" not in found
    rels = relations(state)
    assert (
        "陕西曜影光电科技有限公司",
        "SPUN_OFF_FROM",
        "中国科学院西安精密光学与光电技术研究所",
    ) in rels


def test_descriptors_before_names_and_founders_listed_with_both(ex: Extractor) -> None:
    state = en(
        ex,
        "Bristol robotics start-up Anthrobotix has closed a seed round led by Amadeus Capital, "
        "with Bristol Private Equity Club and angel investor Jonathan Reid also taking part. "
        "Founded in 2021 by Chloe Marsh and Idris Okoye, both graduates of the Bristol Robotics "
        "Laboratory, the company builds grippers. The Academia Europaea elected Ingrid Solberg.",
    )
    found = entities(state)
    assert found["Anthrobotix"] == Label.FIRM
    assert found["Bristol Private Equity Club"] == Label.ORGANIZATION
    assert found["Jonathan Reid"] == Label.PERSON
    assert found["Academia Europaea"] == Label.INSTITUTE
    rels = relations(state)
    assert ("Amadeus Capital", "INVESTS_IN", "Anthrobotix") in rels
    for founder in ("Chloe Marsh", "Idris Okoye"):
        assert (founder, "FOUNDED", "Anthrobotix") in rels  # "the company" opens the clause
        assert (founder, "AFFILIATED_WITH", "Bristol Robotics Laboratory") in rels
        # "Bristol" opens two names: a short form of neither
        assert (founder, "FOUNDED", "Bristol Private Equity Club") not in rels


def test_funds_trade_names_with_he_and_co_investors(ex: Extractor) -> None:
    state = zh(
        ex,
        "苏州固立新能源科技有限公司今日宣布完成3亿元B轮融资。"
        "本轮由深创远景资本领投，松禾致远基金和苏州元和产业投资基金跟投。"
        "由香港中文大学医学院孵化的初创企业康源基因科技有限公司完成融资，由红杉中国领投，"
        "香港科技园创投基金跟投。",
    )
    found = entities(state)
    assert found["松禾致远基金"] == Label.FIRM
    assert found["苏州元和产业投资基金"] == Label.FIRM  # 元和 is a trade name, not "and"
    rels = relations(state)
    firm = "苏州固立新能源科技有限公司"
    for investor in ("深创远景资本", "松禾致远基金", "苏州元和产业投资基金"):
        assert (investor, "INVESTS_IN", firm) in rels
    assert ("深创远景资本", "INVESTS_IN", "松禾致远基金") not in rels  # a co-investor
    assert ("红杉资本", "INVESTS_IN", "康源基因科技有限公司") in rels
    assert ("香港科技园创投基金", "INVESTS_IN", "康源基因科技有限公司") in rels
    two = zh(ex, "苏州市和南京市签署协议。")
    assert "苏州市和南京市" not in entities(two)


def test_a_cohort_takes_part_in_its_programme(ex: Extractor) -> None:
    state = en(
        ex,
        "Ten climate start-ups will pitch at the finale of the Greenhouse Accelerator. The "
        "cohort includes Soilwise, which maps soil carbon with satellites, and Kelpera, a "
        "seaweed packaging maker. The founders then join the Net Zero Innovation Summit, "
        "hosted by Innovate UK.",
    )
    found = entities(state)
    assert found["Soilwise"] == Label.FIRM  # "which maps ...": a described company
    rels = relations(state)
    for firm in ("Soilwise", "Kelpera"):
        assert (firm, "LOCATED_IN", "Greenhouse Accelerator") in rels
    assert ("Innovate UK", "PARTICIPATED_IN", "Net Zero Innovation Summit") in rels
    programme = en(
        ex,
        "The University of Strathclyde named the third cohort of its Clyde Deep Tech Incubation "
        "Programme. The cohort includes Tidal Loom Robotics and Bluefin Analytics.",
    )
    assert (
        "Bluefin Analytics",
        "PARTICIPATED_IN",
        "Clyde Deep Tech Incubation Programme",
    ) in relations(programme)


def test_an_english_spin_out_heads_its_clause_and_titled_co_founders(ex: Extractor) -> None:
    state = en(
        ex,
        "Imperial College London spinout Vireo Therapeutics has signed a research "
        "collaboration with AstraZeneca. Vireo was founded in 2020 by Dr Tom Ashby and "
        "Professor Nadia Karim of Imperial's Department of Bioengineering.",
    )
    found = entities(state)
    assert "Imperial's Department of Bioengineering" not in found
    rels = relations(state)
    assert ("Vireo Therapeutics", "COLLABORATES_WITH", "AstraZeneca") in rels
    assert ("Imperial College London", "COLLABORATES_WITH", "AstraZeneca") not in rels
    for founder in ("Tom Ashby", "Nadia Karim"):
        assert (founder, "FOUNDED", "Vireo Therapeutics") in rels


def test_an_adverb_glued_to_a_given_name_is_trimmed(ex: Extractor) -> None:
    state = zh(ex, "澳门科技大学副校长张红则指出，该校获得支持。")
    found = entities(state)
    assert found["张红"] == Label.PERSON
    assert "张红则" not in found
    assert ("张红", "AFFILIATED_WITH", "澳门科技大学") in relations(state)


def test_a_title_held_by_the_person_after_you(ex: Extractor) -> None:
    state = zh(
        ex,
        "近日，海洋传感与智能装备协同创新中心在宁波揭牌。"
        "中心由东海理工大学共同管理，首任主任由东海理工大学副校长顾明哲担任。",
    )
    rels = relations(state)
    assert ("顾明哲", "AFFILIATED_WITH", "海洋传感与智能装备协同创新中心") in rels
    assert ("顾明哲", "AFFILIATED_WITH", "东海理工大学") in rels


def test_board_seats_and_a_firm_called_by_its_first_word(ex: Extractor) -> None:
    state = en(
        ex,
        'Kestrel Biologics raised money. "It works," said Marcus Lindqvist, a partner at '
        "Northwind Capital who joins Kestrel's board. Anna Berg joined the board of the "
        "Babraham Institute.",
    )
    assert "Kestrel" not in entities(state)  # Kestrel's board: Kestrel Biologics
    rels = relations(state)
    assert ("Marcus Lindqvist", "AFFILIATED_WITH", "Kestrel Biologics") in rels
    assert ("Marcus Lindqvist", "AFFILIATED_WITH", "Northwind Capital") in rels
    assert ("Anna Berg", "AFFILIATED_WITH", "Babraham Institute") in rels


def test_supply_agreements_and_trials_with_partners(ex: Extractor) -> None:
    state = en(
        ex,
        "Lingxi Robotics has supply agreements with Sunbay Motion, a maker of robot joints, "
        "and is testing its robots with Huamei Home Services.",
    )
    rels = relations(state)
    assert ("Lingxi Robotics", "COLLABORATES_WITH", "Sunbay Motion") in rels
    assert ("Lingxi Robotics", "COLLABORATES_WITH", "Huamei Home Services") in rels


def test_opened_a_long_object_at_a_park(ex: Extractor) -> None:
    state = en(
        ex,
        "Ferrowave Photonics has opened a production line for silicon nitride photonic chips at "
        "the Harwell Science and Innovation Campus in Oxfordshire.",
    )
    rels = relations(state)
    assert ("Ferrowave Photonics", "LOCATED_IN", "Harwell Science and Innovation Campus") in rels


def test_a_university_called_by_its_distinctive_word(ex: Extractor) -> None:
    state = en(
        ex,
        "The University of Strathclyde named eight companies. Professor Alan Dunmore, "
        "vice-principal for innovation at Strathclyde, added that two had raised money.",
    )
    assert "Strathclyde" in aliases(state, "University of Strathclyde")
    assert ("Alan Dunmore", "AFFILIATED_WITH", "University of Strathclyde") in relations(state)


def test_both_parties_found_and_invited_partners(ex: Extractor) -> None:
    state = zh(
        ex,
        "國立臺灣大學與鴻海科技集團昨(3)日簽署合作備忘錄，雙方將共同成立「智慧醫療聯合研究中心」。"
        "鴻海董事長劉揚偉表示，鴻海將投入新臺幣5億元，並邀請長庚醫院、台積電等企業參與。",
    )
    rels = relations(state)
    for party in ("国立台湾大学", "鸿海科技集团"):
        assert (party, "FOUNDED", "智慧医疗联合研究中心") in rels
    for invitee in ("长庚医院", "台湾积体电路制造股份有限公司"):
        assert ("鸿海科技集团", "COLLABORATES_WITH", invitee) in rels
    # an invitation to attend is no partnership
    visit = zh(ex, "鸿海科技集团邀请长庚医院出席典礼。")
    assert ("鸿海科技集团", "COLLABORATES_WITH", "长庚医院") not in relations(visit)


def test_a_company_kind_before_its_name_and_existing_investors(ex: Extractor) -> None:
    state = en(
        ex,
        "Warehouse robotics company Stackwise has raised $35 million in a Series B round "
        "co-led by Eclipse Ventures and Obvious Ventures. Existing investors Lux Capital and "
        "Toyota Ventures also participated.",
    )
    assert entities(state)["Stackwise"] == Label.FIRM
    rels = relations(state)
    for investor in ("Eclipse Ventures", "Obvious Ventures", "Lux Capital", "Toyota Ventures"):
        assert (investor, "INVESTS_IN", "Stackwise") in rels


def test_the_startup_is_never_its_investor(ex: Extractor) -> None:
    state = en(
        ex,
        "Warehouse robotics company Stackwise has raised $35 million in a round led by Eclipse "
        "Ventures. Existing investors Lux Capital and Toyota Ventures also participated. The "
        "Pittsburgh-based startup, which was spun out of Carnegie Mellon University in 2019, "
        "makes picking robots. CEO Daniel Okafor said the company would grow.",
    )
    rels = relations(state)
    assert ("Stackwise", "SPUN_OFF_FROM", "Carnegie Mellon University") in rels
    assert ("Lux Capital", "SPUN_OFF_FROM", "Carnegie Mellon University") not in rels
    assert ("Daniel Okafor", "AFFILIATED_WITH", "Stackwise") in rels


def test_a_preposition_glued_to_a_name_and_itri(ex: Extractor) -> None:
    state = zh(
        ex,
        "晶曜半导体股份有限公司展示了车用晶片，该公司由前台积电工程师林俊宏于2018年创立。"
        "工研院发表20项新技术。",
    )
    found = entities(state)
    assert found["林俊宏"] == Label.PERSON and "林俊宏于" not in found
    assert found["工业技术研究院"] == Label.INSTITUTE  # 工研院, a known body
    assert ("林俊宏", "FOUNDED", "晶曜半导体股份有限公司") in relations(state)


def test_the_academy_is_the_academy_named_in_another_form(ex: Extractor) -> None:
    state = en(
        ex,
        "Three researchers from Zhejiang University were elected members of the Academia "
        "Europaea. Professor Li Na works at the university's College of Computer Science. The "
        "academy, founded in 1988, has about 5,000 members. Its president, Professor Marja "
        "Makarow, welcomed the new members.",
    )
    rels = relations(state)
    assert ("Marja Makarow", "AFFILIATED_WITH", "Academia Europaea") in rels
    assert ("Marja Makarow", "AFFILIATED_WITH", "College of Computer Science") not in rels
