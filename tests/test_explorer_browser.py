"""The explorer end to end: a real `innograph serve` over the examples and the seed, driven
in Debian's headless Chromium through Playwright (no browser download). Every page must
load without console errors; screenshots go to test-artifacts/explorer/."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
ARTIFACTS = ROOT / "test-artifacts" / "explorer"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _need_browser() -> Any:
    """Playwright's sync API, or a skip (a failure under CI, where they must run)."""
    problem = ""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[test]')"
    if not problem and not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(problem)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INNOGRAPH_", "NEO4J_"))}
    env["INNOGRAPH_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "innograph.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


class Server:
    def __init__(self, url: str, home: Path) -> None:
        self.url = url
        self.home = home
        self.http = httpx.Client(base_url=url, timeout=60)

    def get(self, path: str, **params: Any) -> Any:
        r = self.http.get(path, params=params)
        r.raise_for_status()
        return r.json()

    def entity_id(self, query: str) -> str:
        return str(self.get("/entities", q=query, limit=1)["items"][0]["id"])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _need_browser()
    home = tmp_path_factory.mktemp("explorer-home")
    sources = [str(ROOT / "examples")] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    _cli(home, "ingest", *sources)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INNOGRAPH_", "NEO4J_"))}
    env["INNOGRAPH_HOME"] = str(home)
    log = (home / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "innograph.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(url + "/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.close()
            proc.kill()
            raise RuntimeError((home / "serve.log").read_text()[-3000:])
        time.sleep(0.3)
    try:
        yield Server(url, home)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class Page:
    """A page plus the console errors it produced (checked after every test)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.wait_ready(1)

    def wait_ready(self, n: int) -> None:
        self.wait_for(f"Number(document.body.dataset.ready) >= {n}", timeout=30000)

    # The page runs under the API's real policy, which forbids eval: Playwright evaluates
    # a function over the DevTools protocol (not governed by the page's policy), but polls
    # a bare expression with eval inside the page. So expressions go in as functions.
    def js(self, expr: str, arg: Any = None) -> Any:
        return self.page.evaluate(_as_function(expr), arg)

    def wait_for(self, expr: str, timeout: float = 30000) -> None:
        self.page.wait_for_function(_as_function(expr), timeout=timeout)

    def node_ids(self) -> set[str]:
        return set(self.js("window.explorer.nodes.getIds()"))

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def dom_point(self, canvas_xy: dict[str, float]) -> tuple[float, float]:
        dom = self.js("(p) => window.explorer.network.canvasToDOM(p)", canvas_xy)
        box = self.page.locator("#network canvas").bounding_box()
        return box["x"] + dom["x"], box["y"] + dom["y"]

    def node_point(self, node_id: str) -> tuple[float, float]:
        pos = self.js("(id) => window.explorer.network.getPositions([id])[id]", node_id)
        return self.dom_point(pos)


def _as_function(expr: str) -> str:
    """A JavaScript expression as a function's text (functions stay as they are)."""
    return expr if _FUNCTION.match(expr) else f"() => ({expr})"


_FUNCTION = re.compile(r"\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 850}, accept_downloads=True)
    p = Page(context.new_page())
    yield p
    p.shot(request.node.name)
    context.close()
    assert p.errors == [], f"console errors: {p.errors}"


def _search_and_pick(p: Page, text: str, expect_name: str) -> None:
    before = int(p.js("Number(document.body.dataset.ready)"))
    p.page.fill("#search", text)
    item = p.page.locator(".suggestions div", has_text=expect_name).first
    item.wait_for(timeout=15000)
    item.click()
    p.wait_ready(before + 1)


def test_search_by_english_name_and_traditional_script(server: Server, page: Page) -> None:
    if not SEEDS.is_dir():
        pytest.skip("the seed (../shared/seeds) is absent")
    ras = server.entity_id("俄罗斯科学院")
    page.open(server.url + "/")
    assert page.page.url.startswith(server.url + "/explore")
    for query in ("Russian Academy of Sciences", "俄羅斯科學院"):
        _search_and_pick(page, query, "俄罗斯科学院")
        assert ras in page.node_ids()
        assert page.js("window.explorer.state.view.focus") == [ras]
        assert "focus=" in page.page.url
        # The side panel shows its names in every script.
        panel = page.page.locator("#panel")
        panel.get_by_text("Russian Academy of Sciences").first.wait_for()
        assert "俄羅斯科學院" in panel.inner_text()
        page.page.fill("#search", "")
    page.shot("search-russian-academy")


def test_expand_adds_neighbours_beside_the_parent(server: Server, page: Page) -> None:
    hub = server.entity_id("上海量子材料研究院")
    page.open(f"{server.url}/explore?focus={hub}&hops=1")
    first = page.node_ids()
    before_pos = page.js("window.explorer.network.getPositions()")
    # A neighbour whose own neighbourhood reaches beyond the current view.
    target = None
    for node_id in sorted(first - {hub}):
        sub = server.get(f"/entities/{node_id}/neighbors", depth=1, limit=200)
        if {n["id"] for n in sub["nodes"]} - first:
            target, expected = node_id, sub
            break
    assert target is not None
    x, y = page.node_point(target)
    page.page.mouse.dblclick(x, y)
    page.wait_for(f"window.explorer.nodes.length > {len(first)}", timeout=15000)
    page.wait_for("window.explorer.state.lastExpandMs !== null")
    ids = page.node_ids()
    assert {n["id"] for n in expected["nodes"]} <= ids
    edge_ids = set(page.js("window.explorer.edges.getIds()"))
    for e in expected["edges"]:
        assert f"{e['source']}|{e['type']}|{e['target']}" in edge_ids
    # Nobody already drawn moved; the new nodes sit near the expanded one.
    after = page.js("window.explorer.network.getPositions()")
    for node_id, pos in before_pos.items():
        assert after[node_id] == pytest.approx(pos, abs=0.01)
    parent = after[target]
    for node_id in ids - first:
        d = (after[node_id]["x"] - parent["x"]) ** 2 + (after[node_id]["y"] - parent["y"]) ** 2
        assert d**0.5 < 600
    # New nodes are also joined to the nodes drawn before (not only to their parent).
    links = 0
    for node_id in ids - first:
        sub = server.get(f"/entities/{node_id}/neighbors", depth=1, limit=500)
        for e in sub["edges"]:
            if {e["source"], e["target"]} & {node_id} and {e["source"], e["target"]} - {
                node_id
            } <= first:
                assert f"{e['source']}|{e['type']}|{e['target']}" in edge_ids
                links += 1
    assert links >= len(ids - first)
    assert f"expand={target}" in page.page.url
    # Undo takes the expansion back.
    page.page.click("#undo")
    assert page.node_ids() == first


def test_edge_click_lists_its_evidence(server: Server, page: Page) -> None:
    a = server.entity_id("周立衡")
    page.open(f"{server.url}/explore?focus={a}&hops=1")
    edge = page.js("window.explorer.edges.get()[0]")
    evidence = server.get("/relations/evidence", key=edge["id"])["evidence"]
    pa = page.js("(id) => window.explorer.network.getPositions([id])[id]", edge["from"])
    pb = page.js("(id) => window.explorer.network.getPositions([id])[id]", edge["to"])
    # A point on the edge, away from both ends' shapes.
    mid = {"x": pa["x"] + 0.5 * (pb["x"] - pa["x"]), "y": pa["y"] + 0.5 * (pb["y"] - pa["y"])}
    x, y = page.dom_point(mid)
    page.page.mouse.click(x, y)
    page.page.locator("#edge-body .evidence").first.wait_for(timeout=15000)
    text = page.page.locator("#edge-body").inner_text()
    assert evidence[0]["sentence"][:20] in text
    assert evidence[0]["document_path"] in text or evidence[0]["document_title"] in text
    assert page.page.locator("#edge-body mark.entity").count() >= 1


def test_path_mode_highlights_the_path_the_api_returns(server: Server, page: Page) -> None:
    api = server.get("/paths", source="周立衡", target="张江科学城", k=3)
    page.open(server.url + "/explore")
    page.page.click('#modes button[data-mode="path"]')
    page.page.fill("#path-a", "周立衡")
    page.page.fill("#path-b", "张江科学城")
    page.page.fill("#path-k", "3")
    page.page.click("#path-go")
    page.wait_ready(2)
    highlight = page.js("window.explorer.state.highlight")
    assert highlight["nodes"] == [n["id"] for n in api["paths"][0]["nodes"]]
    assert highlight["edges"] == [h["relation_key"] for h in api["paths"][0]["hops"]]
    assert page.page.locator("#panel .result").count() == len(api["paths"])
    assert "path=" in page.page.url
    # Hop-by-hop evidence beside the graph.
    first_sentence = api["paths"][0]["hops"][0]["evidence"]["sentence"]
    assert first_sentence[:15] in page.page.locator("#panel .result").first.inner_text()
    # Picking an alternative highlights it instead.
    if len(api["paths"]) > 1:
        page.page.locator("#panel .result").nth(1).click()
        assert page.js("window.explorer.state.highlight.nodes") == [
            n["id"] for n in api["paths"][1]["nodes"]
        ]
    # The URL reopens the same view.
    page.open(page.page.url)
    assert page.js("window.explorer.state.highlight.nodes") == highlight["nodes"]


def test_introduce_mode_shows_the_api_top_answer(server: Server, page: Page) -> None:
    api = server.get("/introductions", source="Helen Marsh", target="林晓雯")
    assert api["introducers"]
    page.open(f"{server.url}/explore?introduce=Helen Marsh,林晓雯")
    top = page.page.locator("#panel .result").first
    assert api["introducers"][0]["entity"]["name"] in top.inner_text()
    assert api["introducers"][0]["reason"][:20] in top.inner_text()
    assert api["introducers"][0]["entity"]["id"] in page.node_ids()


def test_connector_mode_shows_the_api_top_answer(server: Server, page: Page) -> None:
    api = server.get("/connectors", top=20)
    page.open(f"{server.url}/explore?connectors=20")
    rows = page.page.locator("#panel .result")
    assert rows.count() == len(api["connectors"])
    assert api["connectors"][0]["entity"]["name"] in rows.first.inner_text()
    assert api["connectors"][0]["why"][:20] in rows.first.inner_text()
    # Sized by score: the top connector is drawn biggest.
    values = page.js("Object.fromEntries(window.explorer.nodes.get().map(n => [n.id, n.value]))")
    assert values[api["connectors"][0]["entity"]["id"]] == max(values.values())
    # Filter by sector pair.
    pair = server.get("/connectors", top=20, between=["academia", "government"])
    page.page.select_option("#conn-between", "academia,government")
    page.wait_ready(2)
    assert pair["connectors"][0]["entity"]["name"] in rows.first.inner_text()
    assert (
        "between=academia%2Cgovernment" in page.page.url
        or "between=academia,government" in page.page.url
    )


def test_hide_only_type_filters_and_undo(server: Server, page: Page) -> None:
    hub = server.entity_id("上海量子材料研究院")
    page.open(f"{server.url}/explore?focus={hub}&hops=2")
    total = page.js("window.explorer.nodeView.length")
    page.page.get_by_role("button", name="隐藏 Hide").click()
    assert page.js("window.explorer.nodeView.length") == total - 1
    page.page.click("#undo")
    assert page.js("window.explorer.nodeView.length") == total
    page.page.get_by_role("button", name="只看此类 Only Institute").click()
    labels = page.js("[...new Set(window.explorer.nodeView.get().map(n => n.raw.label))]")
    assert labels == ["Institute"]
    page.page.click("#undo")
    # Legend entries filter by relationship type.
    edges = page.js("window.explorer.edgeView.length")
    page.page.locator('#legend-edges [data-type="LOCATED_IN"]').click()
    assert (
        page.js("window.explorer.edgeView.get().filter(e => e.raw.type === 'LOCATED_IN').length")
        == 0
    )
    assert page.js("window.explorer.edgeView.length") < edges
    page.page.click("#undo")
    # The date slider keeps only relations whose documents fall in the range.
    dates = page.js("window.explorer.state.dates")
    if len(dates) > 1:
        page.page.locator("#f-date-from").fill(str(len(dates) - 1))
        page.page.locator("#f-date-from").dispatch_event("input")
        kept = page.js("window.explorer.edgeView.get().map(e => e.raw)")
        assert kept and all(e["date_min"] == dates[-1] for e in kept)
        assert len(kept) < edges
    assert "showing" in page.page.locator("#status").inner_text()


def test_browser_exports_of_the_current_view(server: Server, page: Page, tmp_path: Path) -> None:
    a = server.entity_id("周立衡")
    page.open(f"{server.url}/explore?focus={a}&hops=2")
    shown = page.node_ids()
    got = {}
    for kind in ("json", "graphml", "gexf", "png"):
        page.page.click("#export-btn")
        with page.page.expect_download() as info:
            page.page.click(f'#export-menu [data-export="{kind}"]')
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        got[kind] = path
    data = json.loads(got["json"].read_text("utf-8"))
    assert {n["id"] for n in data["nodes"]} == shown
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = ET.parse(got["graphml"]).getroot().findall(".//g:node", ns)
    assert {n.get("id") for n in nodes} == shown
    gexf = ET.parse(got["gexf"]).getroot()
    assert len(gexf.findall(".//{http://gexf.net/1.3}node")) == len(shown)
    assert got["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert got["png"].stat().st_size > 5000


def test_standalone_export_works_offline(server: Server, browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    _cli(server.home, "explore", "周立衡", "--hops", "2", "-o", str(out))
    api = server.get("/view", mode="focus", name="周立衡", hops=2)
    context = browser.new_context(viewport={"width": 1400, "height": 850}, offline=True)
    requested: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    p = Page(context.new_page())
    p.open(out.as_uri())
    assert p.node_ids() == {n["id"] for n in api["nodes"]}
    # Clicking an edge shows its evidence from the page itself.
    edge = p.js("window.explorer.edges.get()[0]")
    p.js("(id) => window.explorer.showEdge(id)", edge["id"])
    p.page.locator("#edge-body .evidence").first.wait_for()
    p.shot("standalone-offline")
    context.close()
    assert requested == []
    assert p.errors == []


def test_deep_links_open_their_views(server: Server, page: Page) -> None:
    page.open(f"{server.url}/explore?focus=中科院")
    cas = server.entity_id("中科院")
    assert page.js("window.explorer.state.view.focus") == [cas]
    status = page.page.locator("#status").inner_text()
    assert f"showing {page.js('window.explorer.nodeView.length')} of" in status
    # The first view was fetched once, by the page's preload while its scripts loaded.
    asked = page.js(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/view?'))"
        ".map(e => e.initiatorType)"
    )
    assert asked == ["link"]
    page.open(f"{server.url}/explore?overview=5")
    assert page.js("window.explorer.nodes.length") == 5
    assert page.page.locator("#status").inner_text().startswith("showing 5 of")


def test_explorer_runs_under_the_strict_policy(server: Server, browser: Any) -> None:
    """The explorer as served, under the API's own Content-Security-Policy (no eval, no
    inline script): it loads and draws with no policy violation, and the policy is really
    in force in the page."""
    from innograph.api.middleware import CSP

    response = server.http.get("/explore")
    assert response.headers["content-security-policy"] == CSP
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert directives["script-src"] == "'self'"
    context = browser.new_context(viewport={"width": 1400, "height": 850})  # CSP enforced
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    p = Page(context.new_page())
    try:
        p.open(server.url + "/explore")
        p.wait_for("window.explorer.nodes.length > 0")
        assert p.js("window.__violations") == []
        # The policy is in force: an inline script the page itself adds does not run, and
        # is reported (this test's own calls come over the DevTools protocol, which the
        # policy does not govern, so they cannot show it).
        p.js(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__inline = 1'; document.body.appendChild(s); }"
        )
        p.wait_for("window.__violations.length > 0", timeout=10000)
        assert p.js("window.__inline === undefined")
        assert all(v.startswith("script-src") for v in p.js("window.__violations"))
        # The console errors are that refusal's; the explorer caused none.
        assert all("Content Security Policy" in e for e in p.errors), p.errors
    finally:
        context.close()
