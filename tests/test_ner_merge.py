"""The policy that folds statistical NER spans into rule mentions (components/ner_merge.py)."""

from __future__ import annotations

import pytest

from innograph.ingest.components import ner_merge, stat_ner
from innograph.ingest.components.state import DocState, Mention
from innograph.ingest.pipeline import Extractor
from innograph.model import Label


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(use_stat_ner=False)


def state_for(ex: Extractor, text: str, mentions: list[Mention] | None = None) -> DocState:
    """Tokens from the real pipeline; mentions either the rules' or the given ones."""
    state = ex.analyse(text)
    state.mentions = (
        [m for m in state.mentions if m.kind == "name"] if mentions is None else mentions
    )
    state.entities, state.relations = [], []
    return state


def spans(state: DocState) -> list[tuple[str, str]]:
    return sorted((state.text[m.start : m.end], m.label.value) for m in state.mentions)


def test_model_only_club_without_suffix_head_enters(rules: Extractor) -> None:
    text = "2比1战胜曼联之后，球队仍然留在了前列。"
    state = state_for(rules, text, [])
    s = text.index("曼联")
    ner_merge.merge_span(state, s, s + 2, Label.ORGANIZATION, 0.7)
    assert spans(state) == [("曼联", "Organization")]
    assert state.mentions[0].extractor == ner_merge.MODEL_RULE


def test_wider_organisation_replaces_a_place_it_starts_with(rules: Extractor) -> None:
    text = "北京公安部门发布通告，提醒市民注意防范。"
    state = state_for(rules, text, [Mention(0, 2, Label.PLACE, "place.gazetteer", 0.9)])
    ner_merge.merge_span(state, 0, 6, Label.ORGANIZATION, 0.7)
    assert spans(state) == [("北京公安部门", "Organization")]
    assert state.mentions[0].props["replaced"] == [(0, 2, "place.gazetteer")]


def test_rule_start_moves_past_function_words(rules: Extractor) -> None:
    text = "由海川集团出资建设的园区即将完工。"
    rule = Mention(0, 5, Label.FIRM, "org.suffix", 0.85)
    state = state_for(rules, text, [rule])
    ner_merge.merge_span(state, 1, 5, Label.FIRM, 0.75)
    assert spans(state) == [("海川集团", "Firm")]
    assert state.mentions[0].extractor == ner_merge.MODEL_TRIMMED


def test_rule_start_kept_when_the_prefix_is_a_noun(rules: Extractor) -> None:
    text = "国家统计局发布了数据。"
    rule = Mention(0, 5, Label.ORGANIZATION, "org.suffix", 0.85)
    state = state_for(rules, text, [rule])
    ner_merge.merge_span(state, 2, 5, Label.ORGANIZATION, 0.7)
    assert spans(state) == [("国家统计局", "Organization")]


def test_span_ending_inside_a_title_is_rejected(rules: Extractor) -> None:
    text = "樊嘉院士介绍了研究进展。"
    state = state_for(rules, text, [Mention(0, 2, Label.PERSON, "person.title", 0.9)])
    ner_merge.merge_span(state, 0, 3, Label.PERSON, 0.75)  # 樊嘉院|士
    assert spans(state) == [("樊嘉", "Person")]


def test_edge_function_word_is_stripped_but_not_a_surname(rules: Extractor) -> None:
    text = "联影医疗与西门子医疗与多家企业签约。"
    state = state_for(rules, text, [])
    s = text.index("西门子")
    ner_merge.merge_span(state, s, s + 6, Label.FIRM, 0.75)  # 西门子医疗 + 与
    assert ("西门子医疗", "Firm") in spans(state)
    text = "崇礼县副县长于有斌表示，项目已开工。"
    state = state_for(rules, text, [])
    s = text.index("于有斌")
    ner_merge.merge_span(state, s, s + 3, Label.PERSON, 0.75)
    assert spans(state) == [("于有斌", "Person")]


def test_address_forms_and_digit_tags_are_not_names(rules: Extractor) -> None:
    text = "李总说，TH000和Alex都来了。"
    state = state_for(rules, text, [])
    for word in ("李总", "TH000", "Alex"):
        s = text.index(word)
        ner_merge.merge_span(state, s, s + len(word), Label.PERSON, 0.75)
    assert spans(state) == [("Alex", "Person")]


@pytest.mark.skipif(not stat_ner.available(), reason="statistical NER model not installed")
def test_component_uses_the_models_exact_offsets() -> None:
    ex = Extractor(use_stat_ner=True)
    text = "阿诺索在决赛里战胜了对手，全场欢呼。"
    doc = ex.nlp["zh"](text)
    for span in doc.spans["stat_ner"]:
        start, end = span._.model_chars
        assert span.start_char <= start < end <= span.end_char
    names = [text[m.start : m.end] for m in doc._.innograph.mentions]
    assert "阿诺索在" not in names


def test_rule_start_moves_past_a_verb_before_the_name(rules: Extractor) -> None:
    text = "他们响应中央宣传部的号召。"
    s = text.index("响应")
    rule = Mention(s, text.index("的"), Label.ORGANIZATION, "org.suffix", 0.85)
    state = state_for(rules, text, [rule])
    ner_merge.merge_span(state, text.index("中央"), text.index("的"), Label.ORGANIZATION, 0.8)
    assert spans(state) == [("中央宣传部", "Organization")]


def test_no_trailing_common_noun_after_a_complete_name(rules: Extractor) -> None:
    text = "俄罗斯科学院远东分院代表团访问了上海。"
    end = text.index("代表团")
    rule = Mention(0, end, Label.INSTITUTE, "org.suffix", 0.85)
    state = state_for(rules, text, [rule])
    ner_merge.merge_span(state, 0, end + 3, Label.ORGANIZATION, 0.8)
    assert spans(state) == [("俄罗斯科学院远东分院", "Institute")]


def test_branch_after_a_bank_widens_the_name(rules: Extractor) -> None:
    text = "交通银行深圳分行发布了新产品。"
    rule = Mention(0, 4, Label.FIRM, "org.suffix", 0.85)
    state = state_for(rules, text, [rule])
    ner_merge.merge_span(state, 0, 8, Label.FIRM, 0.8)
    assert spans(state) == [("交通银行深圳分行", "Firm")]


def test_a_short_form_of_a_rule_name_is_not_a_new_person(rules: Extractor) -> None:
    text = "深圳市鹏芯微电子有限公司发布新品，鹏芯表示将扩产。"
    rule = Mention(0, text.index("发布"), Label.FIRM, "org.suffix", 0.85)
    state = state_for(rules, text, [rule])
    s = text.rindex("鹏芯")
    ner_merge.merge_span(state, s, s + 2, Label.PERSON, 0.6)
    assert spans(state) == [("深圳市鹏芯微电子有限公司", "Firm")]


def test_an_unsure_common_noun_is_not_a_name(rules: Extractor) -> None:
    text = "论坛汇聚了政府领导和企业家。"
    s = text.index("政府")
    state = state_for(rules, text, [])
    ner_merge.merge_span(state, s, s + 2, Label.ORGANIZATION, 0.3)
    assert spans(state) == []
    ner_merge.merge_span(state, s, s + 2, Label.ORGANIZATION, 0.9)  # sure: it stays
    assert spans(state) == [("政府", "Organization")]
