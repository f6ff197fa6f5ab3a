"""bench/ingest.py runs end to end on a small generated corpus and reports what it promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ingest_bench_prints_tables_and_json(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "bench/ingest.py", "--docs", "24", "--baseline-docs", "4"]
        + ["--repeat", "1", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "INNOGRAPH_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert any("median of 1 runs" in line for line in lines)
    report = json.loads(lines[-1])
    assert report["docs"] == 24
    assert (
        report["pipeline_slowest_chars_per_s"]
        <= report["pipeline_chars_per_s"]
        <= report["pipeline_fastest_chars_per_s"]
    )
    assert report["pipeline_rules_only_chars_per_s"] > 0
    assert report["chars_per_s"] > 0 and report["baseline_chars_per_s"] > 0
    assert report["relations_per_s_written"] > 0
