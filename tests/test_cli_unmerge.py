"""`innograph merges` and `innograph unmerge` as a user runs them: subprocesses sharing one
INNOGRAPH_HOME over the invented corpus of test_unmerge."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import cli
from test_unmerge import BEICHEN, BEICHEN_ID, STAR, write_corpus


def test_merges_and_unmerge_end_to_end(tmp_path: Path) -> None:
    home = tmp_path / "home"
    corpus = write_corpus(tmp_path / "corpus")[0].parent
    assert cli(home, "ingest", str(corpus), "--json").returncode == 0

    listed = cli(home, "merges", STAR, "--json")
    assert listed.returncode == 0, listed.stderr
    payload = json.loads(listed.stdout)
    assert payload["entity"]["name"] == STAR
    assert {m["name"] for m in payload["merges"]} == {"Northstar Photonics Institute", BEICHEN}
    table = cli(home, "merges", STAR, columns=200)
    assert table.returncode == 0 and BEICHEN in table.stdout and "shared alias" in table.stdout

    # unknown names: one clear line, nothing changed
    for args, says in (
        ((STAR, "不存在的研究所"), "has no merge matching '不存在的研究所'"),
        (("不存在的机构名称", BEICHEN), "no entity named"),
        (("Lakeside Robotics Ltd.", BEICHEN), "has no recorded merges"),
    ):
        run = cli(home, "unmerge", *args)
        assert run.returncode == 1
        assert run.stderr.startswith("error: ") and says in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr

    done = cli(home, "unmerge", STAR, "北辰光電研究所", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["changed"] and result["restored"]["id"] == BEICHEN_ID
    assert BEICHEN not in result["entity"]["aliases"]

    again = cli(home, "unmerge", STAR, BEICHEN_ID)
    assert again.returncode == 0 and "already split out" in again.stdout

    shown = json.loads(cli(home, "show", BEICHEN, "--json").stdout)
    assert shown["entity"]["id"] == BEICHEN_ID and len(shown["relations"]) == 1
    assert "undone" in cli(home, "merges", STAR, columns=200).stdout

    # the same folder again changes nothing
    report = json.loads(cli(home, "ingest", str(corpus), "--json").stdout)
    assert report["unchanged"] == 3
