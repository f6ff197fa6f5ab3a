"""bench/cluener.py: scoring rules on hand-made spans, and a run on the first dev sentences."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from innograph.ingest.components import stat_ner

ROOT = Path(__file__).resolve().parent.parent


def _load_bench() -> types.ModuleType:
    # bench/ is a folder of scripts, not an installed package: load the file itself.
    spec = importlib.util.spec_from_file_location("bench_cluener", ROOT / "bench" / "cluener.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


bench = _load_bench()
TYPES = bench.TYPES
DEV = ROOT.parent / "shared" / "benchmarks" / "cluener2020" / "dev.jsonl"


def _score(gold: list, predicted: list) -> dict:
    counts = {kind: bench.Counts() for kind in TYPES}
    bench.score_sentence(gold, predicted, counts)
    return counts


def test_exact_span_and_compatible_label_is_a_hit() -> None:
    gold = [(0, 3, "name"), (5, 9, "organization"), (10, 14, "government")]
    counts = _score(gold, [(0, 3, "Academician"), (5, 9, "Institute"), (10, 14, "Organization")])
    assert [(counts[k].tp, counts[k].fp, counts[k].fn) for k in ("name", "organization")] == [
        (1, 0, 0),
        (1, 0, 0),
    ]
    assert (counts["government"].tp, counts["government"].fp) == (1, 0)


def test_wrong_label_or_boundary_is_a_miss() -> None:
    gold = [(0, 3, "name"), (10, 14, "government")]
    counts = _score(gold, [(0, 3, "Firm"), (10, 13, "Organization"), (20, 22, "Place")])
    assert (counts["name"].tp, counts["name"].fn) == (0, 1)
    assert counts["company"].fp == 1  # a Firm on a name span is charged to company
    assert (counts["government"].fp, counts["government"].fn) == (1, 1)  # overlap -> government
    assert sum(c.fp for c in counts.values()) == 2  # Place is not scored


def test_duplicate_predictions_count_once() -> None:
    counts = _score([(0, 2, "company")], [(0, 2, "Firm"), (0, 2, "Firm")])
    assert (counts["company"].tp, counts["company"].fp) == (1, 0)


@pytest.mark.skipif(not DEV.is_file(), reason="../shared CLUENER2020 data is absent")
@pytest.mark.skipif(not stat_ner.available(), reason="stat NER model files missing")
def test_bench_json_on_first_dev_sentences() -> None:
    result = subprocess.run(
        [sys.executable, "bench/cluener.py", "--pipeline", "stat", "--limit", "100", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(last["per_type"]) == set(TYPES)
    assert 0.0 <= last["micro_f1"] <= 1.0
    for scores in last["per_type"].values():
        assert {"p", "r", "f", "tp", "fp", "fn"} <= set(scores)
    assert last["sentences"] == 100
    assert last["micro_f1"] > 0.5  # the shipped model is far better than chance on dev
    assert last["chars_per_s"] > 0
