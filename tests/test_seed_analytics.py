"""The user's own seed document, end to end through ingest and analytics on a real store:
the Russian Academician Innovation Base, which calls itself a "super-connector", ranks first
among connectors, and the path from the Russian Academy of Sciences to the G60 corridor goes
through it with evidence on every hop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from innograph.graph.service import GraphService
from innograph.ingest.service import Ingestor

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_08ae5f582f59203a.txt"
BASE = "俄罗斯院士创新基地(中国)"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the shared seed document is absent")


@pytest.fixture
def seeded(store: Any) -> GraphService:
    report = Ingestor(store).ingest_paths([SEED])
    assert report.read == 1 and not report.failed
    return GraphService(store)


def test_base_ranks_first_among_connectors(seeded: GraphService) -> None:
    rows = seeded.connectors(top=5)
    assert rows[0].entity.name == BASE
    assert rows[0].why  # a reason in words, not just a number


def test_path_from_the_academy_to_the_corridor_goes_through_the_base(
    seeded: GraphService,
) -> None:
    paths = seeded.paths("俄罗斯科学院", "G60科创走廊", k=1)
    assert paths, "no connection found"
    best = paths[0]
    assert [n.name for n in best.nodes] == ["俄罗斯科学院", BASE, "长三角G60科创走廊"]
    for hop in best.hops:
        assert hop.evidence is not None and hop.evidence.sentence
        assert hop.evidence.document_id
        assert hop.type in {"COLLABORATES_WITH", "LOCATED_IN"}


def test_introduction_between_academy_and_event_names_the_base(seeded: GraphService) -> None:
    rows = seeded.introduce("俄罗斯科学院", "青企峰会", top=3)
    assert rows and rows[0].entity.name == BASE
    assert rows[0].reason and rows[0].evidence
