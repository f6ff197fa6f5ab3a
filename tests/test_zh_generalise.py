"""Chinese failure kinds of issue 15 on sentences written for these tests (none is taken from
the evaluation set): names opened by abbreviated partners before a bracketed place, compound
surnames, generic descriptors, member lists with one shared title, and the relation structures
of Chinese news. Each assertion depends on the rule it names."""

from __future__ import annotations

import pytest
from helpers import entities, relations

from innograph.ingest.components.state import DocState
from innograph.ingest.normalize import normalize
from innograph.ingest.pipeline import Extractor
from innograph.model import Label


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_stat_ner=False)


@pytest.fixture(scope="module")
def stat() -> Extractor:
    return Extractor()


def zh(ex: Extractor, text: str) -> DocState:
    return ex.analyse(normalize(text).text)


def test_abbreviated_partners_open_a_name_before_its_bracketed_place(ex: Extractor) -> None:
    found = entities(zh(ex, "宁波市政府与浙江大学共建的甬浙(宁波)海洋装备研究院正式揭牌。"))
    assert found.get("甬浙(宁波)海洋装备研究院") == Label.INSTITUTE
    assert "(宁波)海洋装备研究院" not in found
    # a word that runs on into the characters keeps them out of the name
    found = entities(zh(ex, "研究院设在青岛(黄岛)海洋科技园。"))
    assert "在青岛(黄岛)海洋科技园" not in found


def test_a_list_of_people_sharing_one_counted_title(ex: Extractor) -> None:
    state = zh(ex, "会上，吉林大学化学学院王海峰、李思远、欧阳明三位教授介绍了新型催化剂。")
    got = relations(state)
    for person in ("王海峰", "李思远"):
        assert (person, "AFFILIATED_WITH", "吉林大学化学学院") in got
    # without a title after the list nothing ties the people to the school
    state = zh(ex, "会上，吉林大学化学学院王海峰、李思远介绍了新型催化剂。")
    assert not any(
        r[2] == "吉林大学化学学院" and r[1] == "AFFILIATED_WITH" for r in relations(state)
    )


def test_a_young_scholars_list_after_the_school(ex: Extractor) -> None:
    state = zh(ex, "兰州大学草地农业科技学院青年学者王海峰、李思远分别作报告。")
    got = relations(state)
    assert ("王海峰", "AFFILIATED_WITH", "兰州大学草地农业科技学院") in got
    assert ("李思远", "AFFILIATED_WITH", "兰州大学草地农业科技学院") in got


def test_compound_surname_and_generic_bodies_with_the_model(stat: Extractor) -> None:
    state = zh(
        stat,
        "湘潭大学材料学院张明远、欧阳振两位研究员获奖，学校将向国家有关部门推荐。"
        "深圳创投机构鹏城资本领投。",
    )
    found = entities(state)
    assert not any(name.endswith(("有关", "机构")) for name in found), found
    assert found.get("鹏城资本") == Label.FIRM
    assert found.get("欧阳振") == Label.PERSON and "欧阳" not in found


def test_bureaus_named_with_a_verb_and_datelines(ex: Extractor, stat: Extractor) -> None:
    state = zh(ex, "绍兴市经济发展局副局长王明、滨江科学园区管理局局长李强出席。")
    found = entities(state)
    assert found.get("绍兴市经济发展局") == Label.ORGANIZATION
    assert found.get("滨江科学园区管理局") == Label.ORGANIZATION
    assert ("王明", "AFFILIATED_WITH", "绍兴市经济发展局") in relations(state)
    # a verb and its object stay apart: 出席会议 is no body
    assert not any(name.endswith("会议") for name in entities(zh(ex, "各方代表出席会议。")))
    found = entities(zh(stat, "【记者陈美玲/高雄报导】国立中山大学海洋科学学院昨日与财团签约。"))
    assert not any("】" in name or "/" in name for name in found), found


def test_taiwan_foundation_names(ex: Extractor) -> None:
    found = entities(zh(ex, "医学院昨日与高雄慈光医疗财团法人签署合作备忘录。"))
    assert found.get("高雄慈光医疗财团法人") == Label.ORGANIZATION


def test_headline_abbreviation_is_the_full_forms_entity(ex: Extractor) -> None:
    state = zh(
        ex,
        "德阳市科协举办科普活动\n近日，德阳市科学技术协会（以下简称“市科协”）在德阳举办科普活动。",
    )
    names = [e.name for e in state.entities if e.label == Label.ORGANIZATION]
    assert names.count("德阳市科学技术协会") == 1 and "德阳市科协" not in names, names


def test_focus_lists_with_taiwan_and_monitoring_terms(ex: Extractor) -> None:
    state = zh(ex, "该中心研究方向包括桥梁健康监测、长者居家照护及低功耗感测晶片。")
    found = entities(state)
    for tech in ("桥梁健康监测", "长者居家照护", "低功耗感测晶片"):
        assert found.get(tech) == Label.TECHNOLOGY, found


def test_a_new_bodys_fields_and_park(ex: Extractor) -> None:
    state = zh(
        ex,
        "泉州市政府与华侨大学签署合作协议，双方将在泉州经济技术开发区共同设立"
        "「海丝智能装备研究院」，聚焦工业机器人与数控系统。",
    )
    got = relations(state)
    assert ("海丝智能装备研究院", "LOCATED_IN", "泉州经济技术开发区") in got
    assert ("海丝智能装备研究院", "FOCUSES_ON", "工业机器人") in got
    assert not any(r[0] == "华侨大学" and r[1] == "FOCUSES_ON" for r in got), got


def test_a_bare_park_short_form_is_the_park_named_before(stat: Extractor) -> None:
    state = zh(
        stat,
        "九江经济技术开发区（以下简称“九江经开区”）今年引进项目20个。经开区将与南昌大学共建九江新材料研究院。",
    )
    parks = [e.name for e in state.entities if e.label == Label.PARK]
    assert parks == ["九江经济技术开发区"], parks
    assert ("九江经济技术开发区", "COLLABORATES_WITH", "南昌大学") in relations(state) or (
        "南昌大学",
        "COLLABORATES_WITH",
        "九江经济技术开发区",
    ) in relations(state)


def test_parks_signing_projects_in_all_are_no_partners(ex: Extractor) -> None:
    state = zh(ex, "南通高新技术产业开发区和海门经济技术开发区共签约项目9个，总投资30亿元。")
    assert not any(r[1] == "COLLABORATES_WITH" for r in relations(state))
    found = entities(zh(ex, "无锡两大园区新一批项目集中签约。"))
    assert not any(name.endswith("两大园区") for name in found), found


def test_spin_off_predicate_and_partners_of_a_joint_trial(ex: Extractor) -> None:
    state = zh(
        ex,
        "宁波芯澜科技有限公司成立于2020年，是宁波大学首批以专利作价入股的衍生企业。"
        "宁波芯澜科技有限公司还将与浙江省电子研究院、宁波港集团开展工业示范。",
    )
    got = relations(state)
    assert ("宁波芯澜科技有限公司", "SPUN_OFF_FROM", "宁波大学") in got
    for partner in ("浙江省电子研究院", "宁波港集团"):
        assert ("宁波芯澜科技有限公司", "COLLABORATES_WITH", partner) in got or (
            partner,
            "COLLABORATES_WITH",
            "宁波芯澜科技有限公司",
        ) in got


def test_mistagged_place_inside_an_institute_name(ex: Extractor) -> None:
    found = entities(zh(ex, "他此前在中国科学院大连化学物理研究所从事博士后研究。"))
    assert found.get("中国科学院大连化学物理研究所") == Label.INSTITUTE, found


def test_events_joined_by_ji_and_held_in_a_park(ex: Extractor) -> None:
    state = zh(
        ex,
        "10月9日，江西省科技成果转化推进会暨第二届赣鄱科技人才论坛在南昌高新技术产业开发区举行。",
    )
    found = entities(state)
    assert found.get("江西省科技成果转化推进会") == Label.EVENT, found
    assert found.get("第二届赣鄱科技人才论坛") == Label.EVENT, found
    got = relations(state)
    for event in ("江西省科技成果转化推进会", "第二届赣鄱科技人才论坛"):
        assert (event, "LOCATED_IN", "南昌高新技术产业开发区") in got
    state = zh(ex, "9月3日，2025长沙科技活动周和首届湘江新材料对接会同期开幕。")
    assert not any("和首届" in name for name in entities(state))


def test_school_named_after_two_fields_one_a_verb(ex: Extractor) -> None:
    state = zh(ex, "北京理工大学机械与运载学院教授孙凯表示。")
    assert ("孙凯", "AFFILIATED_WITH", "北京理工大学机械与运载学院") in relations(state)


def test_headline_place_and_abbreviation_is_the_full_body(stat: Extractor) -> None:
    state = zh(
        stat,
        "江西省科技厅发布2026年度江西省科技创新团队名单\n江西省科学技术厅近日公布名单，"
        "省科技厅副厅长王强表示将加大支持。",
    )
    orgs = [e for e in state.entities if e.label == Label.ORGANIZATION]
    assert [e.name for e in orgs] == ["江西省科学技术厅"], [e.name for e in orgs]
    assert "江西省科技厅" in orgs[0].aliases
    assert not any(e.label == Label.FIRM for e in state.entities)


def test_party_committee_titles_grants_and_co_held_posts(ex: Extractor) -> None:
    state = zh(
        ex,
        "嘉兴经济技术开发区党工委书记孙海涛出席。南湖实验室首期获浙江省自然科学基金资助五百万元。"
        "中心由浙江大学教授王立与清华大学讲座教授陈峰共同担任主任。",
    )
    got = relations(state)
    assert ("孙海涛", "AFFILIATED_WITH", "嘉兴经济技术开发区") in got
    assert ("浙江省自然科学基金", "INVESTS_IN", "南湖实验室") in got
    assert ("陈峰", "AFFILIATED_WITH", "清华大学") in got
    assert not any(r[1] == "COLLABORATES_WITH" and "陈峰" in (r[0], r[2]) for r in got), got


def test_events_named_again_in_short(ex: Extractor) -> None:
    state = zh(
        ex,
        "10月9日，第三届珠江科技成果交易会在广州开幕，同期举办首届新能源汽车产业链对接会和"
        "2025广州科技活动周。在新能源汽车产业链对接会上，广州锐驰电池有限公司与华南理工大学签约。"
        "科技活动周期间，广州启明星科技有限公司发布了新产品。",
    )
    got = relations(state)
    assert ("广州锐驰电池有限公司", "PARTICIPATED_IN", "首届新能源汽车产业链对接会") in got
    assert ("广州启明星科技有限公司", "PARTICIPATED_IN", "2025广州科技活动周") in got


def test_a_title_before_an_unknown_word_without_surname(ex: Extractor) -> None:
    found = entities(zh(ex, "杭州市政府与俄方共建的中俄(杭州)院士科创中心揭牌。"))
    assert found.get("中俄(杭州)院士科创中心") == Label.INSTITUTE, found


def test_park_entrants_listed_after_the_count_and_the_bare_park_word(ex: Extractor) -> None:
    state = zh(
        ex,
        "无锡惠山未来产业园公布新一批入园企业。本季度共有5家企业正式入园，其中包括无锡澄芯微电子有限公司、"
        "江苏禾川机器人有限公司和无锡蓝晶生物科技有限公司。园区负责人周立新表示将提供租金补贴。",
    )
    got = relations(state)
    for firm in ("无锡澄芯微电子有限公司", "江苏禾川机器人有限公司", "无锡蓝晶生物科技有限公司"):
        assert (firm, "LOCATED_IN", "无锡惠山未来产业园") in got
    assert ("周立新", "AFFILIATED_WITH", "无锡惠山未来产业园") in got


def test_workstations_named_after_academicians_and_co_founders(stat: Extractor) -> None:
    state = zh(
        stat,
        "10月8日，浙江天衡新材料股份有限公司吴立群院士工作站在湖州揭牌。中国工程院院士、浙江大学教授吴立群作报告。"
        "会上，湖州学院与湖州南太湖新区管委会签约共建“南太湖低碳技术研究院”，研究院将围绕固态电池和氢燃料电池开展攻关。",
    )
    found = entities(state)
    assert found.get("吴立群院士工作站") in (Label.INSTITUTE, Label.ORGANIZATION), found
    assert found.get("吴立群") == Label.ACADEMICIAN
    got = relations(state)
    assert ("吴立群", "AFFILIATED_WITH", "中国工程院") in got
    assert ("湖州学院", "FOUNDED", "南太湖低碳技术研究院") in got
    assert ("南太湖低碳技术研究院", "FOCUSES_ON", "固态电池") in got


def test_people_listed_under_a_school_then_counted_take_part(ex: Extractor) -> None:
    state = zh(
        ex,
        "首届长三角材料论坛在上海开幕。厦门大学化学化工学院王立、张强两位教授也在论坛上作了报告。",
    )
    got = relations(state)
    assert ("王立", "PARTICIPATED_IN", "首届长三角材料论坛") in got
    assert ("张强", "AFFILIATED_WITH", "厦门大学化学化工学院") in got


def test_taiwan_incubator_officer_and_dateline(ex: Extractor) -> None:
    state = zh(
        ex,
        "【记者李文华/新竹报导】由清华大学教授陈建宏创办的晶采光电股份有限公司昨日宣布完成募资，"
        "既有股东中华开发资本跟投。晶采光电成立于2020年，进驻竹科育成中心，专注于微型LED显示。"
        "执行长黄志明表示，将扩大产能。",
    )
    found = entities(state)
    assert found.get("竹科育成中心") == Label.PARK, found
    got = relations(state)
    assert ("中华开发资本", "INVESTS_IN", "晶采光电股份有限公司") in got
    assert ("晶采光电股份有限公司", "LOCATED_IN", "竹科育成中心") in got
    assert ("黄志明", "AFFILIATED_WITH", "晶采光电股份有限公司") in got


def test_quoted_body_founded_after_an_agreement(ex: Extractor) -> None:
    state = zh(
        ex,
        "清华大学与北京协和医院昨日签署合作备忘录，共同成立「智能诊疗与再生医学联合研究中心」。",
    )
    found = entities(state)
    assert found.get("智能诊疗与再生医学联合研究中心") == Label.INSTITUTE, found
    got = relations(state)
    assert ("清华大学", "FOUNDED", "智能诊疗与再生医学联合研究中心") in got
    assert ("北京协和医院", "FOUNDED", "智能诊疗与再生医学联合研究中心") in got


def test_academia_sinica_short_form_opens_an_institute_name(ex: Extractor) -> None:
    state = zh(ex, "中研院化学研究所特聘研究员、中研院院士林志明出席。")
    found = entities(state)
    assert found.get("中央研究院化学研究所") == Label.INSTITUTE, found
    assert ("林志明", "AFFILIATED_WITH", "中央研究院") in relations(state)


def test_cooperation_zone_and_partner_park_names(ex: Extractor) -> None:
    found = entities(
        zh(
            ex,
            "论坛由深圳大学与前海深港现代服务业合作区管理局主办。企业落户中德合作先进制造产业园。",
        )
    )
    assert found.get("中德合作先进制造产业园") == Label.PARK, found
    # a relation verb between two names still separates them
    found = entities(zh(ex, "浙江大学与宁波大学合作共建研究院。"))
    assert not any(name.startswith("浙江大学与") for name in found), found


def test_given_name_completed_by_a_bound_morpheme_and_listed_names(ex: Extractor) -> None:
    state = zh(ex, "宁波大学教授沈静怡、许凯作报告。")
    found = entities(state)
    assert found.get("沈静怡") == Label.PERSON and "沈静" not in found, found
    assert ("许凯", "AFFILIATED_WITH", "宁波大学") in relations(state)
