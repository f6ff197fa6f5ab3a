"""English relation structures of issue 15 on the project's own text: founders introduced
with their occupations, anaphors resolved by the head word whatever label the rules guessed,
the centre an article is about preferred over a partner centre named later."""

from __future__ import annotations

import pytest
from helpers import relations

from innograph.ingest.normalize import normalize
from innograph.ingest.pipeline import Extractor


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(use_stat_ner=False)


def rels(ex: Extractor, text: str) -> set[tuple[str, str, str]]:
    return relations(ex.analyse(normalize(text).text, lang="en"))


def test_founders_with_occupations_between_by_and_the_names(ex: Extractor) -> None:
    found = rels(
        ex,
        "Brightmoor, a water-sensing startup, has raised £2m. The company was founded in 2023 "
        "by hydrologist Nadia Kowalczyk and data scientist Emeka Obi.",
    )
    assert ("Nadia Kowalczyk", "FOUNDED", "Brightmoor") in found
    assert ("Emeka Obi", "FOUNDED", "Brightmoor") in found


def test_the_centre_is_the_subject_not_the_partner_named_last(ex: Extractor) -> None:
    found = rels(
        ex,
        "The University of Kent has opened the Centre for Coastal Robotics. Its partners "
        "include the Marlowe Marine Centre and Tern Dynamics. Dr Olivia Grant, the centre's "
        "director, said trials start in May.",
    )
    assert ("Olivia Grant", "AFFILIATED_WITH", "Centre for Coastal Robotics") in found
    assert ("Olivia Grant", "AFFILIATED_WITH", "Marlowe Marine Centre") not in found


def test_member_list_under_a_possessive_anaphor(ex: Extractor) -> None:
    found = rels(
        ex,
        "A delegation from the Royal Society of Edinburgh visited Harbin. The society's "
        "fellows Alasdair Munro, Priya Raman and Isla Fraser met local researchers.",
    )
    for person in ("Alasdair Munro", "Priya Raman", "Isla Fraser"):
        assert (person, "AFFILIATED_WITH", "Royal Society of Edinburgh") in found, person
