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


def test_appositions_founded_by_backed_by_and_part_of(ex: Extractor) -> None:
    found = rels(
        ex,
        "The Kent Institute for Marine Science (KIMS) has opened the Centre for Tidal Power, "
        "a £4 million facility backed by the Wessex Energy Trust. Among the first tenants of "
        "the Medway Innovation Park is Selkie Turbines, founded by Dr Joanna Pike, a former "
        "engineer at the University of Exeter. The Harbour Sensing Lab, a joint lab of the "
        "University of Kent and the University of Essex, will test the turbines.",
    )
    assert ("Wessex Energy Trust", "INVESTS_IN", "Centre for Tidal Power") in found
    assert ("Wessex Energy Trust", "INVESTS_IN", "Kent Institute for Marine Science") not in found
    assert ("Joanna Pike", "FOUNDED", "Selkie Turbines") in found
    assert ("Joanna Pike", "AFFILIATED_WITH", "University of Exeter") in found
    assert ("Selkie Turbines", "LOCATED_IN", "Medway Innovation Park") in found
    assert ("Harbour Sensing Lab", "PART_OF", "University of Kent") in found
    assert ("Harbour Sensing Lab", "PART_OF", "University of Essex") in found


def test_the_park_the_clause_names_and_both_firms_at_one_event(ex: Extractor) -> None:
    found = rels(
        ex,
        "At the Severn Science Park, battery maker Ampfield leased a test hall, while sensor "
        "company Glintwave moved its laboratory to the Avon Technology Campus. Both firms will "
        "exhibit at the Cardiff Energy Expo rather than at the Swansea Battery Forum.",
    )
    assert ("Ampfield", "LOCATED_IN", "Severn Science Park") in found
    assert ("Glintwave", "LOCATED_IN", "Avon Technology Campus") in found
    assert ("Glintwave", "LOCATED_IN", "Severn Science Park") not in found
    assert ("Ampfield", "LOCATED_IN", "Avon Technology Campus") not in found
    for firm in ("Ampfield", "Glintwave"):
        assert (firm, "PARTICIPATED_IN", "Cardiff Energy Expo") in found
        assert (firm, "PARTICIPATED_IN", "Swansea Battery Forum") not in found


def test_investor_lists_boards_and_a_role_that_speaks_for_a_body(ex: Extractor) -> None:
    found = rels(
        ex,
        "Glasgow start-up Corrie Labs has raised £5m in a round led by Kelvin Ventures. "
        "Existing investors Tollcross Partners and Ibrox Capital also took part. Sara Lund, a "
        "partner at Kelvin Ventures, will join the board. The researchers met at the "
        "university's School of Chemistry. Director Amir Haddad said the Clyde Catalysis "
        "Institute would host the pilot plant.",
    )
    for investor in ("Kelvin Ventures", "Tollcross Partners", "Ibrox Capital"):
        assert (investor, "INVESTS_IN", "Corrie Labs") in found, investor
    assert ("Sara Lund", "AFFILIATED_WITH", "Corrie Labs") in found
    assert ("Sara Lund", "AFFILIATED_WITH", "Kelvin Ventures") in found
    assert ("Amir Haddad", "AFFILIATED_WITH", "Clyde Catalysis Institute") in found


def test_programme_cohort_grants_and_roles(ex: Extractor) -> None:
    found = rels(
        ex,
        "The Foundry Accelerator, a hardware programme run by Lehigh University and the "
        "Bethlehem Tech District, has selected five start-ups for its autumn cohort. They "
        "include Ravelin, Copperleaf Sensing and Marrow Bio. Each company gets $90,000 from "
        "Saucon Valley Partners. Programme director Helen Okafor said demand was high.",
    )
    assert ("Foundry Accelerator", "PART_OF", "Lehigh University") in found
    assert ("Foundry Accelerator", "PART_OF", "Bethlehem Tech District") in found
    for firm in ("Ravelin", "Copperleaf Sensing", "Marrow Bio"):
        # in the programme (PARTICIPATED_IN) or, read as a park, hosted there (LOCATED_IN)
        assert {(firm, t, "Foundry Accelerator") for t in ("PARTICIPATED_IN", "LOCATED_IN")} & found
        assert ("Saucon Valley Partners", "INVESTS_IN", firm) in found, firm
    assert ("Helen Okafor", "AFFILIATED_WITH", "Foundry Accelerator") in found


def test_spinout_founders_arm_and_people_of_an_institute(ex: Extractor) -> None:
    found = rels(
        ex,
        "A team from the University of Leeds has launched Quillmark, a spin-out that prints "
        "batteries. It was formed with support from Leeds Ventures, the university's "
        "investment arm. Its founders are Dr Amara Osei and Professor Ian Rudd of the Bragg "
        "Centre for Materials Research. Partner Jonas Weber of the Institute of Physics, the "
        "institute's treasurer, said the cells were safe.",
    )
    assert ("Quillmark", "SPUN_OFF_FROM", "University of Leeds") in found
    assert ("Leeds Ventures", "PART_OF", "University of Leeds") in found
    for person in ("Amara Osei", "Ian Rudd"):
        assert (person, "FOUNDED", "Quillmark") in found, person
        assert (person, "AFFILIATED_WITH", "Bragg Centre for Materials Research") in found


def test_consortium_partners_funder_and_events_with_venues(ex: Extractor) -> None:
    found = rels(
        ex,
        "A consortium coordinated by the Leibniz Institute for Catalysis has won 9 million "
        "euros from the Horizon Europe programme. The partners are Aarhus University, the "
        "Swedish firm Kallvatten and the Spanish research body CSIC. Rostock hosted the Baltic "
        "Chemistry Forum at the Warnow campus and the Hanse Founders Week at Speicher 3. At the "
        "founders week, Kallvatten won a prize judged by Ostsee Capital. The work was shown at "
        "the Baltic Chemistry Forum, where Lena Brandt spoke with Minister Piotr Zielinski.",
    )
    coordinator = "Leibniz Institute for Catalysis"
    for partner in ("Aarhus University", "Kallvatten", "CSIC"):
        assert (coordinator, "COLLABORATES_WITH", partner) in found, partner
    assert ("Horizon Europe", "INVESTS_IN", coordinator) in found
    assert ("Baltic Chemistry Forum", "LOCATED_IN", "Warnow") in found
    assert ("Hanse Founders Week", "LOCATED_IN", "Warnow") not in found
    assert ("Kallvatten", "PARTICIPATED_IN", "Hanse Founders Week") in found
    assert ("Ostsee Capital", "PARTICIPATED_IN", "Hanse Founders Week") in found
    assert ("Lena Brandt", "PARTICIPATED_IN", "Baltic Chemistry Forum") in found
    assert ("Piotr Zielinski", "PARTICIPATED_IN", "Baltic Chemistry Forum") in found


def test_acquisitions_alumni_founders_and_roles_before_names(ex: Extractor) -> None:
    found = rels(
        ex,
        "Lyon-based Verdane Bio has agreed to buy Corvel Therapeutics, a 2020 spin-out from "
        "the University of Bristol, for an undisclosed sum. Corvel Therapeutics was co-founded "
        "by virologist Dr Maya Reddy and chemist Lars Holm, and is headquartered at the Bristol "
        "and Bath Science Park. Its backers, Hargreave Capital and the Elm Trust, will exit. "
        "Verdane chief executive Odile Marchand said the deal was complete. Tessa Byrne, "
        "previously a research scientist at Arm, will run the lab.",
    )
    assert ("Verdane Bio", "INVESTS_IN", "Corvel Therapeutics") in found
    assert ("Corvel Therapeutics", "SPUN_OFF_FROM", "University of Bristol") in found
    assert ("Verdane Bio", "SPUN_OFF_FROM", "University of Bristol") not in found
    for founder in ("Maya Reddy", "Lars Holm"):
        assert (founder, "FOUNDED", "Corvel Therapeutics") in found, founder
    assert ("Lars Holm", "AFFILIATED_WITH", "Bristol and Bath Science Park") not in found
    for backer in ("Hargreave Capital", "Elm Trust"):
        assert (backer, "INVESTS_IN", "Corvel Therapeutics") in found, backer
    assert ("Odile Marchand", "AFFILIATED_WITH", "Verdane Bio") in found
    assert ("Tessa Byrne", "AFFILIATED_WITH", "Arm") in found


def test_group_founders_member_firms_agreements_at_events_and_partners(ex: Extractor) -> None:
    found = rels(
        ex,
        "The Warwick Manufacturing Group has signed a memorandum with the Suzhou Industrial "
        "Park. The agreement was signed at the Anglo-Chinese Industry Forum. Kestrel Forge, a "
        "WMG member firm, raised £3m from Midlands Growth Fund and Coventry Angels. The "
        "company, set up by Warwick alumni Ruth Adebayo and Sam Pryce, makes turbine blades "
        "that were developed with the National Composites Centre. The group's new partners "
        "are Jaguar, Ferrum Alloys and the Aston Institute.",
    )
    forum = "Anglo-Chinese Industry Forum"
    assert ("Warwick Manufacturing Group", "PARTICIPATED_IN", forum) in found
    assert ("Suzhou Industrial Park", "PARTICIPATED_IN", forum) in found
    for investor in ("Midlands Growth Fund", "Coventry Angels"):
        assert (investor, "INVESTS_IN", "Kestrel Forge") in found, investor
    for founder in ("Ruth Adebayo", "Sam Pryce"):
        assert (founder, "FOUNDED", "Kestrel Forge") in found, founder
    assert ("Kestrel Forge", "COLLABORATES_WITH", "National Composites Centre") in found


def test_round_sentences_founders_opening_and_owned_funds(ex: Extractor) -> None:
    found = rels(
        ex,
        "Vireo, a Lyon start-up that builds photonic sensors, has raised €9 million. The round "
        "was co-led by Rhone Deep Tech Partners and the Alpine Seed Fund, with existing backer "
        "Confluence Venture Capital also investing. Founded in 2021 by engineers Chloe Martin "
        "and Idris Benali, who met at the Ecole Centrale de Lyon, Vireo is based at the Gerland "
        "campus. The photonics awards went to Lumisphere, a company backed by Orano's Nova "
        "Fund. Separately, the Lyon Photonics Awards drew 300 guests.",
    )
    for investor in ("Rhone Deep Tech Partners", "Alpine Seed Fund", "Confluence Venture Capital"):
        assert (investor, "INVESTS_IN", "Vireo") in found, investor
    assert ("Rhone Deep Tech Partners", "INVESTS_IN", "Confluence Venture Capital") not in found
    for founder in ("Chloe Martin", "Idris Benali"):
        assert (founder, "FOUNDED", "Vireo") in found, founder
    assert ("Nova Fund", "INVESTS_IN", "Lumisphere") in found
    assert ("Nova Fund", "PART_OF", "Orano") in found
