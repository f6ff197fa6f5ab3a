"""`GET /entities/{id}/merges` and `POST /entities/{id}/unmerge` over real HTTP (uvicorn) on
a real store (embedded FalkorDB and Neo4j), with the invented corpus of test_unmerge posted as documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import Graphs
from test_api_support import serve
from test_unmerge import BEICHEN, BEICHEN_ID, EN_STAR, STAR, TW_BEICHEN, YUNFAN, ZH_STAR


def _error(resp: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert body["error"]["message"] and "\n" not in body["error"]["message"]
    return body["error"]


@pytest.fixture
def api(graphs: Graphs, backend: str) -> Iterator[tuple[httpx.Client, Any]]:
    with (
        graphs.open(backend) as (settings, store),
        serve(settings, store) as live,
        httpx.Client(base_url=live.url, timeout=60) as c,
    ):
        for name, text in (("a.txt", ZH_STAR), ("b.txt", EN_STAR), ("c.txt", TW_BEICHEN)):
            assert c.post("/documents", json={"text": text, "name": name}).status_code == 201
        yield c, store


def _star_id(client: httpx.Client) -> str:
    [star] = [e for e in client.get("/entities", params={"q": STAR}).json()["items"]]
    assert star["name"] == STAR
    return str(star["id"])


def test_list_and_undo_a_merge(api: tuple[httpx.Client, Any]) -> None:
    client, _ = api
    star = _star_id(client)
    listed = client.get(f"/entities/{star}/merges")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["entity"]["id"] == star
    wrong = next(m for m in body["merges"] if m["name"] == BEICHEN)
    assert wrong["from_id"] == BEICHEN_ID and wrong["document_path"] == "c.txt"
    assert wrong["reason"] == "shared alias" and not wrong["undone"]

    done = client.post(f"/entities/{star}/unmerge", json={"merged": "北辰光電研究所"})
    assert done.status_code == 200, done.text
    result = done.json()
    assert result["changed"] and result["merged_id"] == BEICHEN_ID
    assert result["restored"]["name"] == BEICHEN and result["documents"] == [wrong["document"]]

    detail = client.get(f"/entities/{BEICHEN_ID}").json()
    [rel] = detail["relations"]
    assert {rel["source_name"], rel["target_name"]} == {BEICHEN, YUNFAN}
    assert rel["evidence"][0]["document_id"] == wrong["document"]
    assert BEICHEN in rel["evidence"][0]["sentence"]
    star_detail = client.get(f"/entities/{star}").json()
    assert BEICHEN not in star_detail["aliases"]
    assert all(YUNFAN not in (r["source_name"], r["target_name"]) for r in star_detail["relations"])
    merges = client.get(f"/entities/{star}/merges").json()["merges"]
    assert next(m for m in merges if m["from_id"] == BEICHEN_ID)["undone"]

    # the same request again is a no-op; the analytics see the new node at once
    again = client.post(f"/entities/{star}/unmerge", json={"merged": BEICHEN_ID})
    assert again.status_code == 200 and again.json()["changed"] is False
    path = client.get("/paths", params={"source": BEICHEN, "target": YUNFAN}).json()
    assert path["paths"][0]["hops"][0]["evidence"]["document_path"] == "c.txt"


def test_unknown_entity_merge_and_bad_body(api: tuple[httpx.Client, Any]) -> None:
    client, _ = api
    star = _star_id(client)
    _error(client.get("/entities/o-missing/merges"), 404, "entity_not_found")
    _error(
        client.post("/entities/o-missing/unmerge", json={"merged": BEICHEN}),
        404,
        "entity_not_found",
    )
    error = _error(
        client.post(f"/entities/{star}/unmerge", json={"merged": "不存在的研究所"}),
        404,
        "merge_not_found",
    )
    assert {m["from_id"] for m in error["detail"]["merges"]} >= {BEICHEN_ID}
    _error(client.post(f"/entities/{star}/unmerge", json={}), 422, "invalid_parameters")
    _error(client.post(f"/entities/{star}/unmerge", json={"merged": ""}), 422, "invalid_parameters")


def test_unmerge_is_a_write(graphs: Graphs, backend: str) -> None:
    with (
        graphs.open(backend, api_key="unmerge-key") as (settings, store),
        serve(settings, store) as live,
        httpx.Client(base_url=live.url) as c,
    ):
        url = "/entities/o-any/unmerge"
        _error(c.post(url, json={"merged": "x"}), 401, "unauthorized")
        _error(c.post(url, json={"merged": "x"}, headers={"X-API-Key": "no"}), 403, "forbidden")
        ok = c.post(url, json={"merged": "x"}, headers={"X-API-Key": "unmerge-key"})
        _error(ok, 404, "entity_not_found")
        assert c.get("/entities/o-any/merges").status_code == 404  # reads stay open
