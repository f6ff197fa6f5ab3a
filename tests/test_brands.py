"""Firms named by brand, with no legal suffix: the known-firm gazetteer (known_firms.tsv),
a known brand followed by an industry word, and the cases that must not become firms
(rules only: the statistical model is off so the outcome depends on the rules under test)."""

from __future__ import annotations

import pytest
from helpers import aliases, entities

from innograph.ingest.components import lexicon
from innograph.ingest.components.state import DocState
from innograph.ingest.normalize import normalize
from innograph.ingest.pipeline import Extractor
from innograph.model import Label, RelType
from innograph.names import name_key


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_stat_ner=False)


def zh(ex: Extractor, text: str) -> DocState:
    """Traditional input is analysed the way documents are: normalised to Simplified."""
    norm = normalize(text)
    return ex.analyse(norm.text, "zh", norm.traditional if norm.changed_script else "")


# ---- the gazetteer ------------------------------------------------------------------------


def test_every_form_names_one_firm() -> None:
    owner: dict[str, str] = {}
    for term in lexicon.known_firms():
        for form in term.forms:
            key = name_key(form)
            assert owner.setdefault(key, term.zh) == term.zh, f"{form} names two firms"
        assert term.weak <= set(term.forms)


def test_chinese_brands_are_firms_with_merged_forms(ex: Extractor) -> None:
    state = zh(
        ex, "红杉中国与高瓴联合领投了这家初创企业，腾讯和宁德时代跟投。随后红杉资本追加投资。"
    )
    found = entities(state)
    for name in ("红杉资本", "高瓴资本", "腾讯公司", "宁德时代"):
        assert found[name] == Label.FIRM
    # two spellings of one investor are one entity with the English name as an alias
    assert "红杉中国" in aliases(state, "红杉资本")
    assert "Sequoia Capital" in aliases(state, "红杉资本")
    assert sum(1 for e in state.entities if e.name.startswith("红杉")) == 1


def test_traditional_chinese_brands(ex: Extractor) -> None:
    state = zh(ex, "輝達與台積電簽署合作協議，聯發科也將參與。")
    found = entities(state)
    assert found["英伟达"] == Label.FIRM
    assert found["联发科"] == Label.FIRM
    assert found["台湾积体电路制造股份有限公司"] == Label.FIRM
    assert "NVIDIA" in aliases(state, "英伟达")


def test_english_brands_without_head_words(ex: Extractor) -> None:
    state = ex.analyse(
        "Morgan Stanley and Goldman Sachs invested in Lumora Robotics Ltd in 2023. "
        "Shares of Nvidia rose after Microsoft confirmed the order.",
        "en",
    )
    found = entities(state)
    for name in ("Morgan Stanley", "Goldman Sachs", "NVIDIA", "Microsoft"):
        assert found[name] == Label.FIRM
    assert "高盛" in aliases(state, "Goldman Sachs")
    invests = {
        (state.entities[r.source].name, state.entities[r.target].name)
        for r in state.relations
        if r.type == RelType.INVESTS_IN
    }
    assert ("Goldman Sachs", "Lumora Robotics Ltd") in invests


# ---- known brand + industry word ----------------------------------------------------------


def test_brand_and_industry_word_form_one_firm(ex: Extractor) -> None:
    state = zh(ex, "西门子医疗宣布扩大在华投资，华为云与比亚迪汽车签署协议。")
    found = entities(state)
    assert found["西门子医疗"] == Label.FIRM
    assert "Siemens Healthineers" in aliases(state, "西门子医疗")
    assert found["华为云"] == Label.FIRM  # not in the gazetteer: brand + 云
    assert found["比亚迪汽车"] == Label.FIRM
    assert "华为技术有限公司华为云" not in found  # named by its surface, not expanded


def test_brand_before_a_product_or_noun_phrase_is_not_a_new_firm(ex: Extractor) -> None:
    state = zh(ex, "华为手机销量上涨，华为汽车业务也在扩张。")
    found = entities(state)
    assert "华为手机" not in found
    assert "华为汽车" not in found
    assert found["华为技术有限公司"] == Label.FIRM  # the brand itself is still the firm


# ---- what is not a firm -------------------------------------------------------------------


def test_people_named_like_brands_are_not_firms(ex: Extractor) -> None:
    state = zh(ex, "李小米教授表示，王华为博士也将出席。")
    found = entities(state)
    assert Label.FIRM not in found.values()
    english = ex.analyse("Professor Julia Dell said the results were promising.", "en")
    assert Label.FIRM not in entities(english).values()


def test_brand_words_inside_ordinary_words_are_not_firms(ex: Extractor) -> None:
    state = zh(ex, "他喝了一碗小米粥，住进一家三星级酒店，窗外是绝美的海景。")
    assert Label.FIRM not in entities(state).values()
    state = zh(ex, "游客从南京东路步行前往外滩。")
    assert Label.FIRM not in entities(state).values()


def test_ordinary_capitalised_words_are_not_firms(ex: Extractor) -> None:
    state = ex.analyse(
        "Researchers said the apple harvest was early. Analysts expect meta studies to follow. "
        "Yesterday the team presented a new battery design.",
        "en",
    )
    assert Label.FIRM not in entities(state).values()
