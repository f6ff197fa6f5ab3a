"""Each rule family on small authored sentences (rules only: the statistical model is off so
the outcome depends on the rules under test)."""

from __future__ import annotations

import pytest
from helpers import aliases, entities, relations

from innograph.ingest.components.state import ANAPHOR
from innograph.ingest.pipeline import Extractor
from innograph.model import Label, RelType


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_stat_ner=False)


# ---- organisations ------------------------------------------------------------------------


def test_left_boundary_stops_at_verbs_and_keeps_nested_brackets(ex: Extractor) -> None:
    state = ex.analyse("该基地依托G60科创走廊，与卡尤迪生物科技(北京)有限公司开展合作。")
    found = entities(state)
    assert found["G60科创走廊"] == Label.PARK
    assert found["卡尤迪生物科技(北京)有限公司"] == Label.FIRM
    assert not any(name.startswith("依托") for name in found)


def test_place_qualifier_and_conjunction_inside_names(ex: Extractor) -> None:
    state = ex.analyse(
        "俄罗斯院士创新基地(中国)代表出席。中国科学院上海营养与健康研究所与浙江省经济和信息化厅签约。"
    )
    found = entities(state)
    assert found["俄罗斯院士创新基地(中国)"] == Label.INSTITUTE
    assert found["中国科学院上海营养与健康研究所"] == Label.INSTITUTE
    assert found["浙江省经济和信息化厅"] == Label.ORGANIZATION


def test_suffix_labels_and_generic_names_need_support(ex: Extractor) -> None:
    state = ex.analyse("华创资本参加了2024世界智能大会。杭州计划打造面向全国的科技创新中心。")
    found = entities(state)
    assert found["华创资本"] == Label.FIRM
    assert found["2024世界智能大会"] == Label.EVENT
    assert "科技创新中心" not in found  # common words only, no antecedent


def test_english_heads_split_coordinated_names(ex: Extractor) -> None:
    state = ex.analyse(
        "Tsinghua University and Baidu Inc. met the Department for Business and Trade "
        "at the University of Edinburgh.",
        lang="en",
    )
    found = entities(state)
    assert found["Tsinghua University"] == Label.INSTITUTE
    assert found["Baidu Inc."] == Label.FIRM
    assert found["Department for Business and Trade"] == Label.ORGANIZATION
    assert found["University of Edinburgh"] == Label.INSTITUTE


# ---- places and technologies ---------------------------------------------------------------


def test_places_are_places_and_parks_are_parks(ex: Extractor) -> None:
    state = ex.analyse("公司落户上海张江高科技园区，服务上海及长三角地区。")
    found = entities(state)
    assert found["上海张江高科技园区"] == Label.PARK
    assert found["上海"] == Label.PLACE
    assert found["长三角"] == Label.PLACE
    assert "长三角地区" in aliases(state, "长三角")


def test_technology_lexicon_synonyms_and_narrow_suffix_rule(ex: Extractor) -> None:
    state = ex.analyse("该所聚焦人工智能和自动驾驶技术，推动先进技术与海洋遥感技术落地。")
    found = entities(state)
    assert found["人工智能"] == Label.TECHNOLOGY
    assert "AI" in aliases(state, "人工智能")
    assert "自动驾驶技术" in aliases(state, "自动驾驶")
    # 遥感 is a lexicon synonym of 卫星遥感, so the lexicon (not the pattern) claims it
    assert Label.TECHNOLOGY in (found.get("海洋遥感技术"), found.get("卫星遥感"))
    assert "先进技术" not in found


def test_english_technologies_use_english_canonical_names(ex: Extractor) -> None:
    state = ex.analyse("The lab works on AI, quantum computing and gene editing.", lang="en")
    found = entities(state)
    assert found["artificial intelligence"] == Label.TECHNOLOGY
    assert "人工智能" in aliases(state, "artificial intelligence")
    assert {"quantum computing", "gene editing"} <= set(found)


# ---- people ------------------------------------------------------------------------------


def test_titles_are_not_part_of_names(ex: Extractor) -> None:
    state = ex.analyse("复旦大学教授张文宏表示，疫苗研发进展顺利。")
    found = entities(state)
    assert found["张文宏"] == Label.PERSON
    assert ("张文宏", "AFFILIATED_WITH", "复旦大学") in relations(state)


def test_academicians_and_their_academy(ex: Extractor) -> None:
    state = ex.analyse("中国工程院院士李兰娟出席会议。王志刚院士也到场。")
    found = entities(state)
    assert found["李兰娟"] == Label.ACADEMICIAN
    assert found["王志刚"] == Label.ACADEMICIAN
    rel = next(r for r in state.relations if state.entities[r.source].name == "李兰娟")
    assert rel.type == RelType.AFFILIATED_WITH and rel.props["role"] == "院士"
    assert state.entities[rel.target].name == "中国工程院"


def test_transliterated_and_english_names(ex: Extractor) -> None:
    zh = ex.analyse("远东分院院长伊万·彼得罗夫院士介绍了情况。")
    assert entities(zh)["伊万·彼得罗夫"] == Label.ACADEMICIAN
    en = ex.analyse("Prof. Jane Smith and Academician Li Wei spoke.", lang="en")
    assert entities(en)["Jane Smith"] == Label.PERSON
    assert entities(en)["Li Wei"] == Label.ACADEMICIAN


# ---- references ----------------------------------------------------------------------------


def test_short_forms_and_anaphors_map_to_one_entity(ex: Extractor) -> None:
    state = ex.analyse(
        "作为长三角G60科创走廊的平台，俄罗斯院士创新基地(中国)成立。"
        "俄罗斯院士创新基地代表出席。该基地依托G60科创走廊发展。"
    )
    names = [e.name for e in state.entities if e.label != Label.PLACE]
    assert names.count("俄罗斯院士创新基地(中国)") == 1
    assert "俄罗斯院士创新基地" in aliases(state, "俄罗斯院士创新基地(中国)")
    assert "G60科创走廊" in aliases(state, "长三角G60科创走廊")
    anaphor = next(m for m in state.mentions if m.kind == ANAPHOR and m.entity >= 0)
    assert state.entities[anaphor.entity].name == "俄罗斯院士创新基地(中国)"


def test_declared_and_known_abbreviations(ex: Extractor) -> None:
    en = ex.analyse(
        "The Royal Veterinary College (RVC) grew. RVC researchers met CAS staff.", lang="en"
    )
    assert "RVC" in aliases(en, "Royal Veterinary College")
    assert len([e for e in en.entities if e.name == "Royal Veterinary College"]) == 1
    assert "Chinese Academy of Sciences" in entities(en)
    zh = ex.analyse("中国科学院上海分院成立。上海分院与中科院合作。")
    assert "上海分院" in aliases(zh, "中国科学院上海分院")
    assert "中科院" in aliases(zh, "中国科学院")


def test_event_anaphor_resolves_for_participation(ex: Extractor) -> None:
    state = ex.analyse("西湖峰会2023数字经济大会在杭州开幕。华为技术有限公司派代表出席了此次盛会。")
    assert ("华为技术有限公司", "PARTICIPATED_IN", "西湖峰会2023数字经济大会") in relations(state)


# ---- relations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("香港科技大学校长叶志明指出。", "zh", ("叶志明", "AFFILIATED_WITH", "香港科技大学")),
        (
            "南开大学与天津市科学技术局签署合作协议。",
            "zh",
            ("南开大学", "COLLABORATES_WITH", "天津市科学技术局"),
        ),
        (
            "浙江大学教授周晓东创办了杭州云栖智能科技有限公司。",
            "zh",
            ("周晓东", "FOUNDED", "杭州云栖智能科技有限公司"),
        ),
        (
            "杭州云栖智能科技有限公司由浙江大学孵化。",
            "zh",
            ("杭州云栖智能科技有限公司", "SPUN_OFF_FROM", "浙江大学"),
        ),
        ("俄罗斯科学院远东分院成立。", "zh", ("俄罗斯科学院远东分院", "PART_OF", "俄罗斯科学院")),
        (
            "深圳市鹏芯微电子有限公司位于深圳湾科技生态园。",
            "zh",
            ("深圳市鹏芯微电子有限公司", "LOCATED_IN", "深圳湾科技生态园"),
        ),
        (
            "深圳市鹏芯微电子有限公司完成融资，华创资本领投。",
            "zh",
            ("华创资本", "INVESTS_IN", "深圳市鹏芯微电子有限公司"),
        ),
        (
            "Jane Smith, director of research at the Royal Veterinary College, spoke.",
            "en",
            ("Jane Smith", "AFFILIATED_WITH", "Royal Veterinary College"),
        ),
        (
            "DeepMatter Robotics Ltd, a spin-off from the University of Edinburgh, grew.",
            "en",
            ("DeepMatter Robotics Ltd", "SPUN_OFF_FROM", "University of Edinburgh"),
        ),
        (
            "Acme Robotics Ltd raised money in a round led by Sequoia Capital.",
            "en",
            ("Sequoia Capital", "INVESTS_IN", "Acme Robotics Ltd"),
        ),
        (
            "Acme Robotics Ltd was founded in 2019 by Dr. Alan Reid.",
            "en",
            ("Alan Reid", "FOUNDED", "Acme Robotics Ltd"),
        ),
    ],
)
def test_relation_rules(ex: Extractor, text: str, lang: str, expected: tuple[str, ...]) -> None:
    assert expected in relations(ex.analyse(text, lang=lang))


def test_focus_lists_take_every_listed_technology(ex: Extractor) -> None:
    state = ex.analyse("该公司专注于新材料、生物医药、人工智能、高端装备等方向的研发。")
    state = ex.analyse("卡尤迪生物科技(北京)有限公司成立。" + state.text)
    got = {t for s, r, t in relations(state) if r == "FOCUSES_ON"}
    assert got == {"新材料", "生物医药", "人工智能", "高端装备"}


def test_no_relation_from_bare_co_occurrence(ex: Extractor) -> None:
    state = ex.analyse("南开大学、华为技术有限公司、量子计算和上海都出现在这份名单里。")
    assert state.relations == []


def test_anaphor_is_not_its_own_clause_subject(ex: Extractor) -> None:
    state = ex.analyse("杭州云栖智能科技有限公司成立。阿里巴巴集团已向该公司注资2000万元。")
    assert ("阿里巴巴集团", "INVESTS_IN", "杭州云栖智能科技有限公司") in relations(state)
    assert all(s != t for s, _, t in relations(state))


def test_declared_translations_join_one_entity_with_a_chinese_name(ex: Extractor) -> None:
    state = ex.analyse(
        "Academician Zhou Liheng (周立衡) leads the Shanghai Institute of Quantum "
        "Materials (上海量子材料研究院).",
        lang="en",
    )
    found = entities(state)
    assert found["上海量子材料研究院"] == Label.INSTITUTE
    assert "Shanghai Institute of Quantum Materials" in aliases(state, "上海量子材料研究院")
    assert found["周立衡"] == Label.ACADEMICIAN
    assert "Shanghai" not in found  # a place inside a bracketed name is not separate


def test_known_abbreviation_prefix_expands_and_spaces_end_names(ex: Extractor) -> None:
    state = ex.analyse("中科院上海分院发布成果。量衡科技完成A轮融资 蓝湾创投领投。")
    found = entities(state)
    assert "中科院上海分院" in aliases(state, "中国科学院上海分院")
    assert found["蓝湾创投"] == Label.FIRM
    assert found["量衡科技"] == Label.FIRM  # brand + industry word, no legal suffix


# ---- investment rounds and generic names ---------------------------------------------------


def test_lead_and_follow_investors_all_invest_in_the_company(ex: Extractor) -> None:
    state = ex.analyse("高盛和摩根士丹利领投了字节跳动的新一轮融资，红杉中国跟投。")
    assert relations(state) == {
        ("高盛", "INVESTS_IN", "字节跳动"),
        ("摩根士丹利", "INVESTS_IN", "字节跳动"),
        ("红杉资本", "INVESTS_IN", "字节跳动"),
    }
    state = ex.analyse("量衡科技完成B轮融资，华创资本领投，蓝湾创投跟投。")
    assert relations(state) == {
        ("华创资本", "INVESTS_IN", "量衡科技"),
        ("蓝湾创投", "INVESTS_IN", "量衡科技"),
    }


def test_a_co_investor_is_never_what_is_invested_in(ex: Extractor) -> None:
    # no company is named as receiving the round: no relation rather than a wrong one
    state = ex.analyse("本轮融资由高盛领投，红杉资本跟投。")
    assert relations(state) == set()


def test_counted_and_common_heads_are_not_names(ex: Extractor) -> None:
    for text in (
        "光大三家银行的信用卡专家分别给出了建议。",
        "稿件为2019年银行卡安全征文活动投稿。",
        "许多大型银行收紧了房贷。",
        "比赛最终以平局收场。",
    ):
        assert not [e for e in ex.analyse(text).entities if e.label != Label.PLACE], text


def test_function_words_after_a_title_are_not_names(ex: Extractor) -> None:
    for text in ("俱乐部主席都遭到了批评。", "办公室王主任向记者透露了消息。"):
        assert not [e for e in ex.analyse(text).entities if e.label == Label.PERSON], text
    state = ex.analyse("院长张伟表示，教授李明指出。")
    assert {"张伟", "李明"} <= set(entities(state))


def test_central_banks_and_the_eu_are_government_bodies(ex: Extractor) -> None:
    state = ex.analyse("欧盟裁定征收关税。广东省人民银行印制了本票。")
    assert entities(state)["欧盟"] == Label.ORGANIZATION
    assert entities(state)["广东省人民银行"] == Label.ORGANIZATION
