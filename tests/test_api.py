"""The HTTP API end to end: a real uvicorn server over a real store (embedded FalkorDB and
Neo4j) holding a small hand-made graph, plus the examples and the seed document when they can be ingested."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import Graphs
from test_api_support import (
    ISOLATED,
    LI,
    QUANTUM,
    XINGHAI,
    YUNFAN,
    ZHANG,
    LiveServer,
    fixture_extraction,
    serve,
)

from innograph.api.limits import Limits
from innograph.api.security import is_loopback, keys_match
from innograph.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_08ae5f582f59203a.txt"
EXAMPLES = ROOT / "examples"

HOSTILE = [
    "'}) MATCH (n) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n //',
    "\\' OR 1=1 --",
    "x\\",
    '\\\\"',
    "$q",
    "{{LABEL}}",
    "` MATCH (n) RETURN n //",
    "\x00\x01\x1b[31m",
    "张\u200b明\u202e远",
    "🙂" * 50,
    "a" * 200,
    "%",
    "../../etc/passwd",
    "CALL db.labels()",
]


def _error(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


def _ingest_corpus(store: Any) -> int:
    """Examples and the seed through the real ingest pipeline, when it is installed."""
    files = sorted(p for p in EXAMPLES.rglob("*") if p.is_file()) if EXAMPLES.exists() else []
    if SEED.exists():
        files.append(SEED)
    if not files:
        return 0
    try:
        from innograph.ingest.service import Ingestor

        report = Ingestor(store).ingest_paths(files)
    except ImportError:
        return 0
    return report.read


@pytest.fixture(scope="module")
def graph(graphs: Graphs, module_backend: str) -> Iterator[tuple[Settings, Any, int]]:
    with graphs.open(module_backend) as (settings, store):
        store.write([fixture_extraction()])
        ingested = _ingest_corpus(store)
        yield settings, store, ingested


@pytest.fixture(scope="module")
def live(graph: tuple[Settings, Any, int]) -> Iterator[LiveServer]:
    settings, store, _ = graph
    with serve(settings, store) as server:
        yield server


@pytest.fixture(scope="module")
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as c:
        yield c


# ---- health, stats, docs ---------------------------------------------------------------


def test_health_and_stats(client: httpx.Client, module_backend: str) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["backend"] == module_backend and health["version"]
    stats = client.get("/stats").json()
    assert stats["entities_by_label"]["Academician"] >= 1
    assert stats["relations_by_type"]["COLLABORATES_WITH"] >= 1
    assert stats["documents"] >= 1 and stats["last_ingest"]
    assert stats["entities"] == sum(stats["entities_by_label"].values())


def test_openapi_docs_state_the_caps(client: httpx.Client) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/paths"]["get"]["parameters"]}
    assert params["k"]["schema"]["maximum"] == 10
    assert params["max_hops"]["schema"]["maximum"] == 8
    nparams = {
        p["name"]: p for p in spec["paths"]["/entities/{entity_id}/neighbors"]["get"]["parameters"]
    }
    assert nparams["depth"]["schema"]["maximum"] == 3


# ---- search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["星海大学", "星海大學", "xinghai university", "XINGHAI", "Zhang Mingyuan", "張明遠", "云帆"],
)
def test_search_in_any_script_and_case(client: httpx.Client, q: str) -> None:
    items = client.get("/entities", params={"q": q}).json()["items"]
    assert items, q
    assert {i["id"] for i in items} & {XINGHAI.id, ZHANG.id, YUNFAN.id}


def test_search_by_label_and_fuzzy(client: httpx.Client) -> None:
    only = client.get("/entities", params={"q": "星海", "label": "Institute"}).json()["items"]
    assert only and all(i["label"] == "Institute" for i in only)
    none = client.get("/entities", params={"q": "星海", "label": "Firm"}).json()["items"]
    assert not any(i["id"] == XINGHAI.id for i in none)
    # One character off: no literal match, so the near misses come back.
    fuzzy = client.get("/entities", params={"q": "云帆科枝"}).json()["items"]
    assert YUNFAN.id in [i["id"] for i in fuzzy]


def test_search_pagination_with_opaque_cursor(client: httpx.Client) -> None:
    first = client.get("/entities", params={"q": "星海", "limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = client.get(
        "/entities", params={"q": "星海", "limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert len(second["items"]) == 1
    assert second["items"][0]["id"] != first["items"][0]["id"]
    # A cursor is bound to its query and cannot be forged.
    _error(
        client.get("/entities", params={"q": "云帆", "cursor": first["next_cursor"]}),
        422,
        "invalid_cursor",
    )
    _error(client.get("/entities", params={"q": "x", "cursor": "!!!"}), 422, "invalid_cursor")


def test_invalid_parameters_are_422_in_the_error_body(client: httpx.Client) -> None:
    err = _error(
        client.get("/entities", params={"q": "x", "limit": 201}), 422, "invalid_parameters"
    )
    assert err["detail"][0]["loc"] == ["query", "limit"]
    _error(client.get("/entities", params={"q": "x", "label": "Spaceship"}), 422)
    _error(client.get("/entities", params={"q": "x" * 201}), 422)
    _error(client.get(f"/entities/{ZHANG.id}/neighbors", params={"depth": 4}), 422)
    _error(client.get("/paths", params={"source": "a", "target": "b", "k": 11}), 422)
    _error(client.get("/paths", params={"source": "a", "target": "b", "max_hops": 9}), 422)
    _error(client.get("/nowhere"), 404, "not_found")
    _error(client.put("/entities"), 405)


# ---- entity detail and neighbourhood ----------------------------------------------------


def test_entity_detail_with_relations_and_evidence(client: httpx.Client) -> None:
    body = client.get(f"/entities/{YUNFAN.id}").json()
    assert body["name"] == "云帆科技" and "雲帆科技" in body["aliases"]
    rels = body["relations"]
    assert len(rels) == 4
    founded = next(r for r in rels if r["type"] == "FOUNDED")
    assert founded["source"] == LI.id and founded["source_name"] == "李青禾"
    assert founded["evidence"][0]["sentence"] == "李青禾创办了云帆科技。"
    # Paginated: two pages of two, then no cursor.
    p1 = client.get(f"/entities/{YUNFAN.id}", params={"limit": 2}).json()
    p2 = client.get(
        f"/entities/{YUNFAN.id}", params={"limit": 2, "cursor": p1["next_cursor"]}
    ).json()
    keys = [(r["source"], r["type"], r["target"]) for r in p1["relations"] + p2["relations"]]
    assert len(set(keys)) == 4 and p2["next_cursor"] is None


def test_unknown_entity_is_404_with_candidates(client: httpx.Client) -> None:
    err = _error(client.get("/entities/星海大學"), 404, "entity_not_found")
    assert err["candidates"][0]["id"] == XINGHAI.id
    assert {"id", "name", "label", "score", "kind"} <= set(err["candidates"][0])
    _error(client.get("/entities/nothing-like-this"), 404)


def test_neighbors_subgraph(client: httpx.Client) -> None:
    one = client.get(f"/entities/{YUNFAN.id}/neighbors").json()
    ids = {n["id"] for n in one["nodes"]}
    assert {YUNFAN.id, XINGHAI.id, LI.id, QUANTUM.id} <= ids and ZHANG.id not in ids
    assert all({"source", "target", "type"} <= set(e) for e in one["edges"])
    two = client.get(f"/entities/{YUNFAN.id}/neighbors", params={"depth": 2}).json()
    assert ZHANG.id in {n["id"] for n in two["nodes"]}
    techs = client.get(f"/entities/{YUNFAN.id}/neighbors", params={"label": "Technology"}).json()
    assert {n["label"] for n in techs["nodes"] if n["id"] != YUNFAN.id} == {"Technology"}
    _error(client.get("/entities/nope/neighbors"), 404)


# ---- analytics ---------------------------------------------------------------------------


def test_paths_by_name_with_evidence(client: httpx.Client) -> None:
    body = client.get("/paths", params={"source": "张明远", "target": "東湖創新園"}).json()
    assert body["source"]["id"] == ZHANG.id
    path = body["paths"][0]
    assert path["length"] == 3 or path["length"] == 2
    assert path["nodes"][0]["id"] == ZHANG.id and path["nodes"][-1]["name"] == "东湖创新园"
    assert all(h["evidence"] and h["evidence"]["sentence"] for h in path["hops"])
    k3 = client.get("/paths", params={"source": ZHANG.id, "target": YUNFAN.id, "k": 3}).json()
    assert len(k3["paths"]) >= 2
    avoided = client.get(
        "/paths", params={"source": ZHANG.id, "target": YUNFAN.id, "avoid": "星海大学"}
    ).json()["paths"]
    assert avoided and all(XINGHAI.id not in {n["id"] for n in p["nodes"]} for p in avoided)
    none = client.get("/paths", params={"source": ZHANG.id, "target": ISOLATED.id}).json()
    assert none["paths"] == []


def test_paths_ambiguous_or_unknown_names(client: httpx.Client) -> None:
    err = _error(client.get("/paths", params={"source": "星海", "target": ZHANG.id}), 404)
    assert err["code"] in {"ambiguous_entity", "entity_not_found"}
    assert {c["id"] for c in err["candidates"]} >= {XINGHAI.id}
    err = _error(
        client.get("/paths", params={"source": ZHANG.id, "target": "完全不存在的机构名"}), 404
    )
    assert err["detail"]["parameter"] == "target"


def test_introductions_and_connectors(client: httpx.Client) -> None:
    body = client.get("/introductions", params={"source": "张明远", "target": "李青禾"}).json()
    assert body["introducers"]
    assert all(i["reason"] for i in body["introducers"])
    ids = [i["entity"]["id"] for i in body["introducers"]]
    assert XINGHAI.id in ids or YUNFAN.id in ids or QUANTUM.id in ids
    conn = client.get("/connectors", params={"top": 3}).json()["connectors"]
    assert 0 < len(conn) <= 3 and all(c["why"] for c in conn)
    _error(client.get("/connectors", params={"between": ["academia"] * 2}), 422)


# ---- hostile input ---------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_never_break_the_server(
    client: httpx.Client, graph: tuple[Settings, Any, int], text: str
) -> None:
    before = graph[1].stats()
    for resp in (
        client.get("/entities", params={"q": text}),
        client.get(f"/entities/{quote(text, safe='')}"),
        client.get("/paths", params={"source": text, "target": ZHANG.id}),
        client.get("/introductions", params={"source": ZHANG.id, "target": text}),
        client.get(f"/documents/{quote(text, safe='')}"),
    ):
        assert resp.status_code < 500, (resp.request.url, resp.text)
        assert resp.headers["content-type"].startswith("application/json")
    after = graph[1].stats()
    assert after.entities == before.entities and after.relations == before.relations


# ---- documents ---------------------------------------------------------------------------


def test_document_detail(client: httpx.Client) -> None:
    doc_id = fixture_extraction().document.id
    body = client.get(f"/documents/{doc_id}").json()
    assert body["document"]["title"] == "API fixture"
    assert {e["id"] for e in body["entities"]} >= {ZHANG.id, YUNFAN.id}
    assert len(body["relations"]) == 7
    _error(client.get("/documents/dnope"), 404, "not_found")


def test_oversized_bodies_are_413_before_reading(client: httpx.Client) -> None:
    huge = b"x" * (10 * 1024 * 1024 + 1)
    _error(
        client.post("/documents", content=huge, headers={"content-type": "application/json"}),
        413,
        "payload_too_large",
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap applies while streaming
        for _ in range(12):
            yield b"y" * (1024 * 1024)

    _error(
        client.post("/documents", content=chunks(), headers={"content-type": "application/json"}),
        413,
    )


def test_bad_write_bodies(client: httpx.Client) -> None:
    _error(
        client.post(
            "/documents", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
    )
    _error(client.post("/documents", json={"text": ""}), 422)
    _error(client.post("/documents", json={"txt": "a"}), 422)
    _error(client.post("/documents", content=b"plain", headers={"content-type": "text/plain"}), 415)
    _error(client.post("/documents", data={"title": "t"}, files={"other": ("a.txt", b"x")}), 422)
    _error(client.delete("/documents/dnope"), 404)


def _pipeline_available() -> bool:
    try:
        import innograph.ingest.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _pipeline_available(), reason="ingest pipeline not installed")
def test_post_then_delete_document(client: httpx.Client) -> None:
    text = "星海大学与云帆科技签署合作协议，共建量子通信联合实验室。"
    resp = client.post("/documents", json={"text": text, "title": "合作", "name": "coop.txt"})
    assert resp.status_code == 201, resp.text
    doc = resp.json()["documents"][0]
    assert doc["document"]["title"] == "合作" and doc["unchanged"] is False
    assert doc["extraction"]["entities"]
    again = client.post("/documents", json={"text": text}).json()["documents"][0]
    assert again["unchanged"] is True
    up = client.post(
        "/documents",
        files={"file": ("note.txt", "云帆科技落户东湖创新园。".encode(), "text/plain")},
        data={"title": "upload"},
    )
    assert up.status_code == 201, up.text
    assert client.get(f"/documents/{doc['document']['id']}").status_code == 200
    assert client.delete(f"/documents/{doc['document']['id']}").json()["deleted"] is True
    _error(client.get(f"/documents/{doc['document']['id']}"), 404)


@pytest.mark.skipif(not SEED.exists(), reason="../shared is absent")
def test_seed_document_is_served(client: httpx.Client, graph: tuple[Settings, Any, int]) -> None:
    if graph[2] == 0:
        pytest.skip("ingest pipeline not installed")
    stats = client.get("/stats").json()
    assert stats["documents"] >= 2 and stats["relations"] > 7


# ---- security and limits -----------------------------------------------------------------


def test_writes_need_the_key_when_one_is_set(graphs: Graphs, backend: str) -> None:
    with (
        graphs.open(backend, api_key="s3cret-key") as (settings, store),
        serve(settings, store) as live,
        httpx.Client(base_url=live.url) as c,
    ):
        _error(c.delete("/documents/dx"), 401, "unauthorized")
        _error(c.delete("/documents/dx", headers={"X-API-Key": "wrong"}), 403, "forbidden")
        _error(c.delete("/documents/dx", headers={"Authorization": "Bearer nope"}), 403)
        # Authorised: the request reaches the handler, which reports the unknown document.
        _error(c.delete("/documents/dx", headers={"X-API-Key": "s3cret-key"}), 404)
        _error(c.delete("/documents/dx", headers={"Authorization": "Bearer s3cret-key"}), 404)
        _error(c.post("/documents", json={"text": "x"}), 401)
        assert c.get("/health").status_code == 200  # reads stay open


def test_loopback_and_key_helpers() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("127.8.9.10")
    assert not is_loopback("10.0.0.1") and not is_loopback("8.8.8.8")
    assert not is_loopback(None) and not is_loopback("not-an-ip")
    assert keys_match("abc", "abc") and not keys_match("abc", "abd") and not keys_match("", "a")


def test_query_timeout_is_503(graph: tuple[Settings, Any, int]) -> None:
    settings, store, _ = graph
    with (
        serve(settings, store, Limits(query_timeout=1e-6)) as live,
        httpx.Client(base_url=live.url) as c,
    ):
        _error(c.get("/stats"), 503, "timeout")


def test_limits_from_env() -> None:
    limits = Limits.from_env({"INNOGRAPH_API_MAX_DEPTH": "2", "INNOGRAPH_API_QUERY_TIMEOUT": "2.5"})
    assert limits.max_depth == 2 and limits.query_timeout == 2.5 and limits.max_k == 10
    with pytest.raises(ValueError):
        Limits.from_env({"INNOGRAPH_API_MAX_K": "lots"})
    with pytest.raises(ValueError):
        Limits.from_env({"INNOGRAPH_API_MAX_PAGE": "0"})


# ---- explorer views ----------------------------------------------------------------------


def test_view_formats_expand_with_shown_and_dates_by_token(client: httpx.Client) -> None:
    params = {"mode": "focus", "name": ZHANG.id, "hops": 1}
    full = client.get("/view", params=params).json()
    compact = client.get("/view", params={**params, "format": "compact"}).json()
    fields = compact["node_fields"]
    assert [dict(zip(fields, row, strict=True)) for row in compact["nodes"]] == full["nodes"]
    assert len(compact["edges"]) == len(full["edges"]) and compact["token"]
    shown = [n["id"] for n in full["nodes"]]
    assert set(shown) == {ZHANG.id, XINGHAI.id, QUANTUM.id}
    # Expanding 量子通信 brings 云帆科技, which is also joined to 星海大学 (already shown).
    pair = {XINGHAI.id, YUNFAN.id}
    plain = client.get(f"/view/expand/{QUANTUM.id}").json()
    assert YUNFAN.id in {n["id"] for n in plain["nodes"]}
    assert pair not in [{e["source"], e["target"]} for e in plain["edges"]]
    grown = client.post(f"/view/expand/{QUANTUM.id}", json={"shown": shown}).json()
    assert pair in [{e["source"], e["target"]} for e in grown["edges"]]
    assert all(n["x"] is None for n in grown["nodes"])
    dates = client.get(f"/view/dates/{compact['token']}")
    assert dates.status_code == 200 and isinstance(dates.json()["dates"], dict)
    _error(client.get("/view/dates/0000000000000000"), 404)
    _error(client.get("/view", params={**params, "format": "xml"}), 422)
