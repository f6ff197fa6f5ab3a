"""`innograph migrate`: a graph copied between engines answers identically, and a copy that is
interrupted and run again ends with one copy of everything.

Sources are real graphs: the example corpus (plus the shared seed when present) through the
real ingest pipeline, with a merge undone (so merge records and keep-apart decisions exist),
and a generated ~20k-relationship graph."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import Graphs

from bench.synthetic import generate
from innograph.graph.service import GraphService
from innograph.graph.store.migrate import migrate
from innograph.model import Extraction, WriteResult

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = ROOT.parent / "shared" / "seeds" / "000_08ae5f582f59203a.txt"
ALL = 1_000_000_000

pytestmark = pytest.mark.neo4j


def corpus() -> list[Path]:
    files = [EXAMPLES]
    if SEED.exists():
        files.append(SEED)
    return files


def snapshot(store: Any) -> dict[str, Any]:
    """Everything a user can read from a graph, in a comparable form."""
    stats = store.stats()
    entities = sorted(
        (
            e.id,
            e.name,
            e.label,
            sorted(e.aliases),
            json.dumps(e.properties, sort_keys=True),
            sorted(e.doc_ids),
        )
        for e in store.iter_entities()
    )
    relations = sorted(store.iter_relations(), key=lambda r: r.key)
    evidence = store.relation_evidence([r.key for r in relations], per_relation=ALL)
    documents = sorted(
        (json.dumps(doc.metadata(), sort_keys=True), doc.text, doc.traditional, ingested_at)
        for doc, ingested_at in store.iter_documents()
    )
    return {
        "stats": (
            stats.entities_by_label,
            stats.relations_by_type,
            stats.documents,
            stats.evidence,
            stats.last_ingest,
        ),
        "entities": entities,
        "relations": [
            (r.key, r.evidence_count, r.confidence, sorted(r.doc_ids), r.properties)
            for r in relations  # sorted by key, unique
        ],
        "evidence": {
            key: sorted(
                (e.document_id, e.sentence, e.start, e.end, e.extractor, e.confidence)
                for e in items
            )
            for key, items in evidence.items()
        },
        "documents": documents,
        "kept_apart": [(k.a, k.b, k.note) for k in store.kept_apart()],
    }


def answers(store: Any, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """What the analytics say: top connectors, and shortest paths between the pairs."""
    service = GraphService(store)
    return {
        "connectors": [(row.entity.id, round(row.score, 6)) for row in service.connectors(top=10)],
        "paths": [
            [[(h.source, h.type, h.target) for h in p.hops] for p in service.paths(a, b, k=3)]
            for a, b in pairs
        ],
    }


def some_pairs(store: Any, n: int = 15) -> list[tuple[str, str]]:
    ids = sorted(e.id for e in store.iter_entities())
    rng = random.Random(11)
    return [tuple(rng.sample(ids, 2)) for _ in range(n)]  # type: ignore[misc]


@pytest.fixture(scope="module")
def examples_source(graphs: Graphs) -> Iterator[Any]:
    """The corpus in FalkorDB, with one merge undone (merge records + keep-apart)."""
    from test_unmerge import write_corpus

    with graphs.open("falkordb") as (settings, store):
        service = GraphService(store, settings)
        report = service.ingest_paths(corpus())
        assert report.read >= 15 and not report.failed
        tmp = settings.home / "unmerge-corpus"
        service.ingest_paths(write_corpus(tmp))
        from test_unmerge import BEICHEN, STAR

        service.unmerge(STAR, BEICHEN)
        assert store.kept_apart()
        yield store


def test_examples_copy_to_neo4j_answers_identically(examples_source: Any, graphs: Graphs) -> None:
    with graphs.open("neo4j") as (_, target):
        report = migrate(examples_source, target)
        assert report.skipped_evidence == 0
        assert report.keep_apart == len(examples_source.kept_apart()) > 0
        before = snapshot(examples_source)
        assert snapshot(target) == before
        assert any("merges" in str(e[4]) for e in before["entities"])  # merge records came along
        pairs = some_pairs(examples_source)
        assert answers(target, pairs) == answers(examples_source, pairs)
        # Copying again changes nothing.
        again = migrate(examples_source, target)
        assert (again.entities_created, again.relations_created, again.evidence_added) == (0, 0, 0)
        assert snapshot(target) == before


class Interrupting:
    """A target store whose `write` fails after `after` calls, like a killed process."""

    def __init__(self, store: Any, after: int) -> None:
        self.store, self.after, self.calls = store, after, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def write(self, extractions: Sequence[Extraction], now: str | None = None) -> WriteResult:
        self.calls += 1
        if self.calls > self.after:
            raise KeyboardInterrupt
        return self.store.write(extractions, now)


def test_interrupted_copy_rerun_ends_with_one_copy(examples_source: Any, graphs: Graphs) -> None:
    with graphs.open("neo4j") as (_, target):
        with pytest.raises(KeyboardInterrupt):
            migrate(examples_source, Interrupting(target, after=3), document_batch=2)
        partial = target.stats()
        assert 0 < partial.documents < examples_source.stats().documents
        migrate(examples_source, target, document_batch=2)
        assert snapshot(target) == snapshot(examples_source)


def test_copy_back_from_neo4j_to_falkordb(examples_source: Any, graphs: Graphs) -> None:
    with graphs.open("neo4j") as (_, middle), graphs.open("falkordb") as (_, back):
        migrate(examples_source, middle)
        migrate(middle, back)
        assert snapshot(back) == snapshot(examples_source)


@pytest.mark.slow
def test_generated_20k_relationship_graph(graphs: Graphs) -> None:
    graph = generate(entities=2_000, relations=20_000, seed=5)
    with graphs.open("falkordb") as (_, source), graphs.open("neo4j") as (_, target):
        docs = graph.to_extractions(100)
        for start in range(0, len(docs), 50):
            source.write(docs[start : start + 50])
        assert source.stats().relations >= 19_000
        report = migrate(source, target)
        assert report.relations == source.stats().relations
        assert snapshot(target) == snapshot(source)
        pairs = some_pairs(source, 20)
        assert answers(target, pairs) == answers(source, pairs)


def _cli(*args: str, home: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INNOGRAPH_", "NEO4J_"))}
    env["INNOGRAPH_HOME"] = str(home)
    env["NEO4J_PASSWORD"] = "innograph-test"
    done = subprocess.run(
        [sys.executable, "-m", "innograph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_cli_migrate_then_stats_show_path_connectors_agree(graphs: Graphs, tmp_path: Path) -> None:
    home = tmp_path / "graph"
    _cli("ingest", str(EXAMPLES), home=home)
    with graphs.open("neo4j") as (settings, _):
        uri = settings.neo4j_uri or ""
        out = _cli("--db", str(home), "migrate", "--to", uri, "--json", home=home)
        assert json.loads(out.splitlines()[-1])["documents"] >= 15
        # Interrupting is tested above; a plain rerun is a no-op.
        again = json.loads(_cli("migrate", "--to", uri, "--json", home=home).splitlines()[-1])
        assert again["relations_created"] == again["evidence_added"] == 0
        for command in (
            ["stats", "--json"],
            ["show", "周立衡", "--json"],
            ["path", "周立衡", "张江科学城", "--k", "3", "--json"],
            ["connectors", "--top", "10", "--json"],
        ):
            falkor = _cli("--db", str(home), *command, home=home)
            neo = _cli("--db", uri, *command, home=tmp_path / "neo-home")
            assert json.loads(falkor) == json.loads(neo), command
