"""bench/scale.py runs end to end on a small corpus (through the real store and a real
`innograph serve`) and reports what it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_scale_bench_small_run() -> None:
    result = subprocess.run(
        [sys.executable, "bench/scale.py", "--rels", "6000", "--pairs", "10", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("graph: 1,200 entities, 6,000 relationships, 6,000 evidence")
    assert any(line.startswith("projection load (s)") for line in lines)
    report = json.loads(lines[-1])
    assert list(report)[:6] == [
        "write_rels_per_s",
        "write_ratio_last_first",
        "projection_load_s",
        "serve_cold_start_s",
        "refresh_after_100_docs_s",
        "serve_rss_mb",
    ]
    assert report["relations"] == report["projection_edges"] == 6_000
    assert report["write_rels_per_s"] > 0 and report["write_ratio_last_first"] > 0
    # The server saw the 100 new documents (the bench waits for a path through them).
    assert 0 < report["refresh_after_100_docs_s"] < 60
    assert 0 < report["serve_cold_start_s"] < 120
    assert 30 < report["serve_rss_mb"] < 2_000
    assert report["baseline_projection_load_s"] > 0
