"""English people named with no title, role or speech verb nearby: the given-names lexicon
(built offline from Faker's MIT-licensed lists) and pinyin surnames, and the guards that keep
capitalised pairs inside organisation names from becoming people."""

from __future__ import annotations

import pytest
from helpers import entities

from innograph.ingest.components import english_names
from innograph.ingest.normalize import normalize
from innograph.ingest.pipeline import Extractor
from innograph.model import Label


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_stat_ner=False)


def test_lexicon_sections_loaded() -> None:
    assert {"Jane", "Tomasz", "Sanne", "Priya"} <= english_names.given_names()
    assert "May" not in english_names.given_names()  # a month, not a name
    assert {"Wang", "Fang", "Liu"} <= english_names.pinyin_surnames()
    assert english_names.is_pinyin_given("Yuchen")
    assert english_names.is_pinyin_given("Kaifeng")
    assert not english_names.is_pinyin_given("Robotics")


def test_bare_names_in_a_sentence_about_a_university(ex: Extractor) -> None:
    state = ex.analyse(
        normalize(
            "The grant brings Helena Marsh and Tomasz Wielgosz to University College London, "
            "where they will work with Fang Yuchen on photonic chips."
        ).text,
        lang="en",
    )
    found = entities(state)
    for person in ("Helena Marsh", "Tomasz Wielgosz", "Fang Yuchen"):
        assert found.get(person) == Label.PERSON, person
    assert found["University College London"] == Label.INSTITUTE


def test_pairs_inside_longer_names_are_not_people(ex: Extractor) -> None:
    state = ex.analyse(
        normalize(
            "The round was led by Morgan Stanley Ventures with Grant Thornton Advisory, and "
            "the Helena Marsh Foundation gave a further grant in May Street."
        ).text,
        lang="en",
    )
    found = entities(state)
    assert not any(label == Label.PERSON for label in found.values()), found


def test_organisations_from_context_lists_and_foreign_heads(ex: Extractor) -> None:
    state = ex.analyse(
        normalize(
            "The trial is run with NHS Tayside and Universidade de Aveiro. Existing investors "
            "Kelpie Growth and Marlowe Capital joined, as did the Dutch innovation agency RVO. "
            "Partners include Ferngate Mills, the University of the West of England and "
            "Osprey Tooling. The Finnish Academy of Science and Letters sent Pavel Dvořák."
        ).text,
        lang="en",
    )
    found = entities(state)
    assert found["NHS Tayside"] == Label.ORGANIZATION
    assert found["Universidade de Aveiro"] == Label.INSTITUTE
    assert found["Kelpie Growth"] == Label.FIRM
    assert found["RVO"] == Label.ORGANIZATION
    assert "Dutch" not in found  # an adjective before "innovation agency"
    assert found["Ferngate Mills"] == Label.FIRM
    assert found["Osprey Tooling"] == Label.FIRM
    assert found["University of the West of England"] == Label.INSTITUTE
    assert found["Finnish Academy of Science and Letters"] == Label.INSTITUTE
    assert found["Pavel Dvořák"] == Label.PERSON


def test_names_from_descriptions_lower_case_heads_and_comma_topics(ex: Extractor) -> None:
    state = ex.analyse(
        normalize(
            "The Conservation and Ecology Hub has chosen four start-ups. They include Fernhill, "
            "Tidewater Analytics and Corvid Labs. Each gets desk space at Dock 7, a former "
            "grain warehouse. Funding comes from the Nordic Bioeconomy programme and the "
            "Italian research body INFN, with the Agency for Science, Technology and "
            "Research (A*STAR) and the Accademia delle Scienze di Torino advising. "
            "Investors Harbour Lane Capital and Kittiwake Angels attended, as did Commissioner "
            "Marta Novak."
        ).text,
        lang="en",
    )
    found = entities(state)
    assert "Conservation and Ecology Hub" in found
    assert found["Fernhill"] == Label.FIRM
    assert found["Dock 7"] == Label.PARK
    assert found["Nordic Bioeconomy"] == Label.ORGANIZATION
    assert "INFN" in found and "Italian" not in found
    assert "Agency for Science, Technology and Research" in found
    assert "A*STAR" not in found  # an alias of the agency, not a second entity
    assert found["Accademia delle Scienze di Torino"] == Label.INSTITUTE
    assert found["Harbour Lane Capital"] == Label.FIRM  # "Investors" is no part of the name
    assert found["Marta Novak"] == Label.PERSON
