"""Extraction quality against gold answers.

`tests/gold/*.json` is the authored gold set (texts beside it); its score is computed here with
the same rules as the shared scorer (`../shared/eval/score.py`): entities match by normalised
name or alias, a second prediction matching one gold entity is a false positive, predicted
places and optional gold items are neither rewarded nor penalised, relations are unordered
entity pairs. The user's seed document is scored with the shared scorer itself when
`../shared` is present.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from innograph.ingest.jsonout import extraction_to_json
from innograph.ingest.normalize import detect_lang, normalize
from innograph.ingest.pipeline import get_extractor
from innograph.model import Document, make_document_id

GOLD = Path(__file__).resolve().parent / "gold"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED = SHARED / "seeds" / "000_08ae5f582f59203a.txt"
SCORER = SHARED / "eval" / "score.py"

Counts = tuple[int, int, int]


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").lower()
    return re.sub(r"[\s\"'“”‘’「」『』《》·•・.]", "", s)


def score_document(gold: dict[str, Any], pred: dict[str, Any]) -> tuple[Counts, Counts]:
    """(entity tp/fp/fn, relation-pair tp/fp/fn) for one document."""
    index: dict[str, int] = {}
    for i, e in enumerate(gold["entities"]):
        for n in [e["name"], *e["aliases"]]:
            index.setdefault(_norm(n), i)

    def match(names: list[str]) -> int | None:
        return next((index[_norm(n)] for n in names if _norm(n) in index), None)

    found: set[int] = set()
    fp = 0
    pred_id: dict[str, int] = {}
    places = {e["name"] for e in pred["entities"] if e["type"] == "Place"}
    for pe in pred["entities"]:
        names = [pe["name"], *pe["aliases"]]
        gi = match(names)
        if gi is None:
            fp += pe["type"] != "Place"
            continue
        pred_id.update((_norm(n), gi) for n in names)
        if gi in found:
            fp += 1  # a duplicate node for one real entity
            continue
        found.add(gi)
    required = {i for i, e in enumerate(gold["entities"]) if not e["optional"]}
    entities = (len(found & required), fp, len(required - found))

    pairs = {
        frozenset((index.get(_norm(r["a"])), index.get(_norm(r["b"])))): r["optional"]
        for r in gold["relations"]
    }
    got: set[frozenset[int | None]] = set()
    rfp = 0
    for pr in pred["relations"]:
        a = pred_id.get(_norm(pr["source"]), match([pr["source"]]))
        b = pred_id.get(_norm(pr["target"]), match([pr["target"]]))
        if a is None or b is None or a == b:
            unmatched_place = (a is None and pr["source"] in places) or (
                b is None and pr["target"] in places
            )
            rfp += not (a != b and unmatched_place)
            continue
        key = frozenset((a, b))
        if key in pairs:
            got.add(key)
        else:
            rfp += 1
    req_pairs = {k for k, optional in pairs.items() if not optional}
    return entities, (len(got & req_pairs), rfp, len(req_pairs - got))


def f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def run(path: Path) -> dict[str, Any]:
    norm = normalize(path.read_text(encoding="utf-8"))
    doc = Document(
        id=make_document_id(norm.text),
        text=norm.text,
        path=str(path),
        lang=detect_lang(norm.text),
        traditional=norm.traditional if norm.changed_script else "",
    )
    return extraction_to_json(get_extractor().extract(doc), str(path))


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def test_gold_set_is_substantial() -> None:
    """At least 10 documents in both languages, 60+ entities over all nine labels."""
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in gold_files()]
    assert len(golds) >= 10
    texts = [(GOLD / g["doc"]).read_text(encoding="utf-8") for g in golds]
    assert {detect_lang(t) for t in texts} == {"zh", "en"}
    entities = [e for g in golds for e in g["entities"]]
    assert len(entities) >= 60
    assert {t for e in entities for t in e["types"]} >= {
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
    assert len({r["type"] for g in golds for r in g["relations"]}) >= 8


def test_authored_gold_scores() -> None:
    ent = [0, 0, 0]
    rel = [0, 0, 0]
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        e, r = score_document(gold, run(GOLD / gold["doc"]))
        ent = [x + y for x, y in zip(ent, e, strict=True)]
        rel = [x + y for x, y in zip(rel, r, strict=True)]
    assert f1(*ent) >= 0.9, ent
    assert f1(*rel) >= 0.8, rel


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("innograph_shared_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SEED.exists() and SCORER.exists()), reason="../shared not present")
def test_seed_document_meets_the_bars() -> None:
    scorer = _scorer()
    gold = json.loads(SEED.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
    ent, _typed, rel = scorer.score_doc(gold, run(SEED))
    p, r, f = scorer.prf(*ent)
    assert r == 1.0 and p >= 0.95 and f >= 0.95, ent
    assert scorer.prf(*rel)[2] >= 0.85, rel


@pytest.mark.skipif(not SCORER.exists(), reason="../shared not present")
def test_local_scoring_agrees_with_the_shared_scorer() -> None:
    scorer = _scorer()
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        pred = run(GOLD / gold["doc"])
        ent, _typed, rel = scorer.score_doc(gold, pred)
        assert score_document(gold, pred) == (tuple(ent), tuple(rel)), path.name
