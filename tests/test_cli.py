"""The `innograph` command line as a user runs it: a subprocess per command, with its own
INNOGRAPH_HOME, so every command starts and stops its own embedded FalkorDB. Each test class
shares one home (and so one graph)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from innograph.model import Label, RelType

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_08ae5f582f59203a.txt"
SCORE = SHARED / "eval" / "score.py"

# 12 files plus a three-line feed; README.md is skipped when the folder is walked
EXAMPLE_DOCUMENTS = 15
REPORT_KEYS = {
    "read",
    "unchanged",
    "resumed",
    "failed",
    "entities_added",
    "relations_added",
    "evidence_added",
    "chars",
    "seconds",
}
# settings a developer's shell may carry that would point the CLI somewhere else
_FOREIGN_ENV = (
    "COLUMNS",
    "LINES",
    "INNOGRAPH_DB",
    "INNOGRAPH_FALKORDB_URL",
    "INNOGRAPH_GRAPH",
    "NEO4J_URI",
)


def cli(
    home: Path, *args: str, columns: int | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_ENV}
    env["INNOGRAPH_HOME"] = str(home)
    env.update(extra)
    if columns:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "innograph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def table_value(output: str, row: str) -> str:
    """The value cell of a two-column report table row, e.g. `documents read │ 15`."""
    for line in output.splitlines():
        if row in line:
            cells = [c.strip() for c in line.replace("│", "|").split("|") if c.strip()]
            return cells[-1]
    raise AssertionError(f"no row {row!r} in:\n{output}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- ingest and stats on the example corpus --------------------------------------------------


# One home per test class, shared by its tests (module-scoped fixtures, one class each).


@pytest.fixture(scope="module")
def examples_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-examples")


@pytest.fixture(scope="module")
def first_ingest(examples_home: Path) -> subprocess.CompletedProcess[str]:
    return cli(examples_home, "ingest", str(EXAMPLES))


class TestExamples:
    @pytest.fixture
    def home(self, examples_home: Path) -> Path:
        return examples_home

    def test_ingest_prints_the_summary_table(
        self, first_ingest: subprocess.CompletedProcess[str]
    ) -> None:
        out = ok(first_ingest).stdout
        assert table_value(out, "documents read") == str(EXAMPLE_DOCUMENTS)
        assert table_value(out, "skipped as unchanged") == "0"
        assert table_value(out, "failed") == "0"
        for row in ("entities added", "relationships added", "evidence added"):
            assert int(table_value(out, row)) > 0
        assert "chars/s" in table_value(out, "time")

    def test_stats_json(self, home: Path, first_ingest: subprocess.CompletedProcess[str]) -> None:
        ok(first_ingest)
        stats = json.loads(ok(cli(home, "stats", "--json")).stdout)
        assert set(stats) == {
            "entities",
            "relations",
            "documents",
            "evidence",
            "last_ingest",
            "entities_by_label",
            "relations_by_type",
        }
        assert stats["documents"] == EXAMPLE_DOCUMENTS
        assert stats["entities"] == sum(stats["entities_by_label"].values()) > 0
        assert stats["relations"] == sum(stats["relations_by_type"].values()) > 0
        assert set(stats["entities_by_label"]) <= {label.value for label in Label}
        assert set(stats["relations_by_type"]) <= {t.value for t in RelType}
        assert stats["evidence"] >= stats["relations"]
        assert stats["last_ingest"]
        added = first_ingest.stdout
        assert int(table_value(added, "entities added")) == stats["entities"]

    def test_reingest_json_is_all_unchanged(
        self, home: Path, first_ingest: subprocess.CompletedProcess[str]
    ) -> None:
        ok(first_ingest)
        report = json.loads(ok(cli(home, "ingest", "--json", str(EXAMPLES))).stdout)
        assert set(report) == REPORT_KEYS
        assert report["read"] == report["unchanged"] == EXAMPLE_DOCUMENTS
        assert report["failed"] == []
        assert (report["entities_added"], report["relations_added"], report["evidence_added"]) == (
            0,
            0,
            0,
        )
        assert isinstance(report["chars"], int) and report["chars"] > 0
        assert isinstance(report["seconds"], float)

    def test_connector_scores_are_cached_under_the_data_directory(
        self, home: Path, first_ingest: subprocess.CompletedProcess[str]
    ) -> None:
        ok(first_ingest)
        rows = json.loads(ok(cli(home, "connectors", "--json", "--top", "3")).stdout)
        assert rows and all(r["entity"]["name"] for r in rows)
        # Built from settings like the API's service: the scores outlive the process.
        assert list((home / "cache" / "analytics").glob("connectors-*.json"))

    def test_a_malformed_setting_is_one_error_line(self, home: Path) -> None:
        env_cli = cli(home, "stats", env={"INNOGRAPH_API_MAX_K": "lots"})
        assert env_cli.returncode == 1 and env_cli.stdout == ""
        [line] = env_cli.stderr.strip().splitlines()
        assert line.startswith("error:") and "INNOGRAPH_API_MAX_K='lots'" in line


# ---- extract ---------------------------------------------------------------------------------


def test_extract_json_prints_the_contract(tmp_path: Path) -> None:
    files = [EXAMPLES / "01_quantum_institute.txt", EXAMPLES / "10_cambridge_partnership.txt"]
    result = ok(cli(tmp_path, "extract", "--json", *map(str, files), str(EXAMPLES / "feed.jsonl")))
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [Path(d["document"].split("#")[0]).name for d in docs] == [
        "01_quantum_institute.txt",
        "10_cambridge_partnership.txt",
        "feed.jsonl",
        "feed.jsonl",
        "feed.jsonl",
    ]
    labels = {label.value for label in Label}
    types = {t.value for t in RelType}
    for d in docs:
        assert set(d) == {"document", "entities", "relations"}, d["document"]
        assert d["entities"], d["document"]
        names = set()
        for e in d["entities"]:
            assert set(e) == {"name", "type", "aliases"}, e
            assert isinstance(e["name"], str) and e["name"]
            assert e["type"] in labels
            assert isinstance(e["aliases"], list)
            assert all(isinstance(a, str) and a for a in e["aliases"])
            names.add(e["name"])
        for r in d["relations"]:
            assert set(r) == {"source", "target", "type", "evidence"}, r
            assert r["type"] in types
            assert {r["source"], r["target"]} <= names, r
            assert isinstance(r["evidence"], str) and r["evidence"].strip()
    # both articles state relationships (the feed items are one or two sentences each)
    assert all(d["relations"] for d in docs[:2])
    # nothing was written: extract needs no graph
    assert not (tmp_path / "clients").exists() or not any((tmp_path / "clients").iterdir())


# ---- the seed document, end to end ----------------------------------------------------------

BASE = "俄罗斯院士创新基地"
CORRIDOR = "长三角G60科创走廊"
ACADEMY = "俄罗斯科学院"
FIELDS = ("新材料", "生物医药", "人工智能", "高端装备")


@pytest.fixture(scope="module")
def seed_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-seed")
    report = json.loads(ok(cli(home, "ingest", "--json", str(SEED))).stdout)
    assert (report["read"], report["failed"]) == (1, [])
    return home


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed document is not available")
class TestSeed:
    @pytest.fixture
    def home(self, seed_home: Path) -> Path:
        return seed_home

    def test_show_base_lists_corridor_academy_and_fields_with_evidence(self, home: Path) -> None:
        out = ok(cli(home, "show", BASE, columns=200)).stdout
        for name in (BASE, CORRIDOR, ACADEMY, *FIELDS):
            assert name in out, name
        assert "“" in out and "(no evidence stored)" not in out

        detail = json.loads(ok(cli(home, "show", "--json", BASE)).stdout)
        assert detail["entity"]["name"].startswith(BASE)
        names = {e["id"]: e["name"] for e in detail["neighbours"].values()}
        by_name: dict[str, list[dict[str, Any]]] = {}
        for rel in detail["relations"]:
            other = rel["target"] if rel["source"] == detail["entity"]["id"] else rel["source"]
            by_name.setdefault(names.get(other, other), []).append(rel)
        for name in (CORRIDOR, ACADEMY, *FIELDS):
            assert name in by_name, (name, sorted(by_name))
            evidence = [ev for rel in by_name[name] for ev in rel["evidence"]]
            assert evidence, name
            assert all(ev["sentence"].strip() for ev in evidence)
        for field in FIELDS:
            assert {rel["type"] for rel in by_name[field]} == {"FOCUSES_ON"}
            assert any(field in ev["sentence"] for rel in by_name[field] for ev in rel["evidence"])

    def test_path_from_academy_to_corridor_goes_through_the_base(self, home: Path) -> None:
        out = ok(cli(home, "path", ACADEMY, CORRIDOR, columns=200)).stdout
        for name in (ACADEMY, BASE, CORRIDOR):
            assert name in out, name
        assert "“" in out

        [path] = json.loads(ok(cli(home, "path", "--json", ACADEMY, CORRIDOR)).stdout)
        names = [n["name"] for n in path["nodes"]]
        assert names[0] == ACADEMY and names[-1] == CORRIDOR
        assert any(n.startswith(BASE) for n in names[1:-1]), names
        for hop in path["hops"]:
            assert hop["evidence"] and hop["evidence"]["sentence"].strip(), hop

    def test_extraction_scores_against_the_gold_answers(self, tmp_path: Path) -> None:
        if not SCORE.exists():
            pytest.skip("the shared scorer is not available")
        run = tmp_path / "run.jsonl"
        run.write_text(ok(cli(tmp_path, "extract", "--json", str(SEED))).stdout, encoding="utf-8")
        scored = subprocess.run(
            [sys.executable, str(SCORE), str(run), "--gold", str(SEED.parent), "--verbose"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert scored.returncode == 0, scored.stderr
        scores = json.loads(scored.stdout.strip().splitlines()[-1])
        detail = scored.stdout  # the --verbose line names what was missed or extra
        assert scores["entities"]["r"] == 1.0, detail
        assert scores["entities"]["p"] >= 0.9, detail
        assert scores["relation pairs"]["r"] >= 0.85, detail


# ---- bad input and errors --------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-bad")


class TestBadInput:
    @pytest.fixture
    def home(self, bad_home: Path) -> Path:
        return bad_home

    def test_bad_files_are_reported_and_good_ones_ingested(
        self, home: Path, tmp_path: Path
    ) -> None:
        folder = tmp_path / "a-rather-long-folder-name-for-the-input-documents"
        folder.mkdir()
        (folder / "empty.txt").write_bytes(b"")
        (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
        (folder / "gbk.txt").write_bytes("清华大学与华为技术有限公司签署合作协议。".encode("gbk"))
        (folder / "good.txt").write_text("复旦大学与上海交通大学签署合作协议。", encoding="utf-8")
        (folder / "good.md").write_text("# 合作\n\n浙江大学与腾讯公司共建联合实验室。\n")
        (folder / "feed.jsonl").write_text(
            json.dumps({"text": "南京大学与百度公司签署合作协议。"}, ensure_ascii=False)
            + "\n{not json\n",
            encoding="utf-8",
        )
        result = ok(cli(home, "ingest", str(folder)))
        out = result.stdout
        assert table_value(out, "documents read") == "4"  # gbk, good.txt, good.md, feed L1
        assert table_value(out, "failed") == "3"
        lines = out.splitlines()
        for name, reason in [
            ("empty.txt", "empty document"),
            ("binary.txt", "binary file"),
            ("feed.jsonl#L2", "invalid JSON"),
        ]:
            assert any(
                line.startswith("failed ") and name in line and reason in line for line in lines
            ), (name, out)
        stats = json.loads(ok(cli(home, "stats", "--json")).stdout)
        assert stats["documents"] == 4

    def test_missing_path_is_one_error_line(self, home: Path, tmp_path: Path) -> None:
        missing = tmp_path / "no-such-folder-anywhere-on-this-machine" / "nor-this-file.txt"
        result = cli(home, "ingest", str(missing))
        assert result.returncode == 1
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error:")
        assert str(missing) in lines[0]

    def test_verbose_shows_the_traceback(self, home: Path) -> None:
        unreachable = f"redis://127.0.0.1:{free_port()}"
        quiet = cli(home, "--db", unreachable, "stats")
        assert quiet.returncode == 1
        assert "Traceback" not in quiet.stderr
        [line] = quiet.stderr.strip().splitlines()
        assert line.startswith("error:") and unreachable in line

        loud = cli(home, "--verbose", "--db", unreachable, "stats")
        assert loud.returncode == 1
        assert "Traceback (most recent call last)" in loud.stderr
        assert loud.stderr.strip().splitlines()[-1].startswith("error:")
