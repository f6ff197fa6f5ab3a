"""The authored news evaluation set (tests/eval_news/): shape and internal consistency of every
gold file, and bench/eval_news.py run on a small subset with the shared scorer."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import types
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from innograph.ingest.normalize import detect_lang, normalize
from innograph.ingest.readers import RawDocument, read_documents

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "eval_news"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
LABELS = {
    "Academician",
    "Person",
    "Institute",
    "Firm",
    "Park",
    "Technology",
    "Event",
    "Organization",
    "Place",
}
RELATIONS = {
    "AFFILIATED_WITH",
    "COLLABORATES_WITH",
    "FOUNDED",
    "PART_OF",
    "LOCATED_IN",
    "FOCUSES_ON",
    "PARTICIPATED_IN",
    "INVESTS_IN",
    "SPUN_OFF_FROM",
}


def _load_bench() -> types.ModuleType:
    # bench/ is a folder of scripts, not an installed package: load the file itself.
    spec = importlib.util.spec_from_file_location(
        "bench_eval_news", ROOT / "bench" / "eval_news.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def _norm(s: str) -> str:
    # The shared scorer's name normalisation (NFKC, case, spaces and quotes ignored).
    s = unicodedata.normalize("NFKC", s or "").lower()
    return re.sub(r"[\s\"'“”‘’「」『』《》·•・.]", "", s)


def _golds(split: str) -> list[tuple[Path, dict[str, Any]]]:
    return [
        (p, json.loads(p.read_text(encoding="utf-8")))
        for p in sorted((EVAL / split).glob("*.gold.json"))
    ]


ALL = [(split, path, gold) for split in ("dev", "heldout") for path, gold in _golds(split)]


def test_splits_are_large_and_mixed() -> None:
    for split, minimum in (("dev", 24), ("heldout", 12)):
        golds = [g for _p, g in _golds(split)]
        assert len(golds) >= minimum, split
        langs = Counter(g["lang"] for g in golds)
        assert set(langs) == {"zh-Hans", "zh-Hant", "en"}, (split, langs)
        # Held-out (what is reported): half Simplified, a fifth Traditional, the rest English.
        # Dev (what rules are tuned on) is English-heavier since the English half of issue 15
        # added nineteen English articles so that English rules meet more than nine texts.
        heldout = split == "heldout"
        assert langs["zh-Hans"] + langs["zh-Hant"] >= (0.55 if heldout else 0.4) * len(golds)
        assert langs["zh-Hans"] >= (0.4 if heldout else 0.3) * len(golds), (split, langs)
        assert langs["zh-Hant"] >= (0.15 if heldout else 0.12) * len(golds), (split, langs)
        assert langs["en"] >= 0.25 * len(golds), (split, langs)
    dev = {p.name for p in (EVAL / "dev").glob("*")}
    heldout = {p.name for p in (EVAL / "heldout").glob("*")}
    assert not dev & heldout


@pytest.mark.parametrize(("split", "path", "gold"), ALL, ids=[p.name for _s, p, _g in ALL])
def test_gold_file_is_consistent_with_its_article(
    split: str, path: Path, gold: dict[str, Any]
) -> None:
    text_path = path.parent / gold["doc"]
    assert text_path.stem == path.name.removesuffix(".gold.json")
    raw = text_path.read_text(encoding="utf-8")
    assert 250 <= len(raw.strip()) <= 1500
    doc = next(iter(read_documents(text_path)))
    assert isinstance(doc, RawDocument), doc
    text = _norm(normalize(doc.text).text)
    assert detect_lang(doc.text) == ("en" if gold["lang"] == "en" else "zh")
    if gold["lang"] == "zh-Hant":
        assert normalize(raw).changed_script

    index: dict[str, int] = {}
    for i, e in enumerate(gold["entities"]):
        assert set(e) == {"name", "types", "aliases", "optional"}, e
        assert e["types"] and set(e["types"]) <= LABELS, e
        if "Place" in e["types"]:
            assert e["optional"], f"places are optional context: {e['name']}"
        names = [e["name"], *e["aliases"]]
        assert any(_norm(n) in text for n in names), f"not in the article: {e['name']}"
        for n in names:
            assert index.setdefault(_norm(n), i) == i, f"{n} names two entities"
    pairs: set[frozenset[int]] = set()
    for r in gold["relations"]:
        a, b = index.get(_norm(r["a"])), index.get(_norm(r["b"]))
        assert a is not None and b is not None and a != b, r
        assert frozenset((a, b)) not in pairs, f"pair listed twice: {r}"
        pairs.add(frozenset((a, b)))
        # RELATED_TO (as in the seed gold) only marks optional pairs outside the schema.
        assert r["type"] in RELATIONS or (r["type"] == "RELATED_TO" and r["optional"]), r
        if not r["optional"]:
            ends = gold["entities"][a], gold["entities"][b]
            assert not any(e["optional"] for e in ends), f"required pair on optional entity: {r}"


def test_missing_scorer_skips_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--scorer", str(ROOT / "no-such-score.py")]) == 0
    assert "skipped" in capsys.readouterr().out


@pytest.mark.skipif(not SCORER.exists(), reason="../shared not present")
def test_bench_scores_a_small_subset(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--split", "all", "--limit", "2", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    result = json.loads(out[-1])
    assert result["articles"] == 4
    for split in ("dev", "heldout"):
        groups = result["splits"][split]
        assert groups["all"]["docs"] == 2
        assert sum(s["docs"] for g, s in groups.items() if g != "all") == 2
        ent = groups["all"]["entities"]
        assert ent["tp"] > 0 and 0.0 < ent["f"] <= 1.0
        # The per-language rows add up to the split's row.
        for measure in ("entities", "relation pairs"):
            total = [groups["all"][measure][k] for k in ("tp", "fp", "fn")]
            parts = [
                sum(s[measure][k] for g, s in groups.items() if g != "all")
                for k in ("tp", "fp", "fn")
            ]
            assert total == parts
    assert any(line.startswith("dev ") for line in out)
