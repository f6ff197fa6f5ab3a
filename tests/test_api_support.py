"""Helpers shared by the API tests (no tests here): a small hand-made graph and a real
uvicorn server on a free loopback port, run in a thread of the test process."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from innograph.api.app import create_app
from innograph.api.limits import Limits
from innograph.api.server import http_options
from innograph.config import Settings
from innograph.graph.store import GraphStore
from innograph.model import (
    Document,
    Entity,
    Evidence,
    Extraction,
    Label,
    Relation,
    RelType,
    make_document_id,
    make_entity_id,
)


def _entity(label: Label, name: str, *aliases: str) -> Entity:
    return Entity(make_entity_id(label, name), name, label, aliases=list(aliases))


# Invented names: a small world with one academician, two universities with similar names
# (so that "星海" is ambiguous), a firm, a park and a technology.
ZHANG = _entity(Label.ACADEMICIAN, "张明远", "張明遠", "Zhang Mingyuan")
XINGHAI = _entity(Label.INSTITUTE, "星海大学", "星海大學", "Xinghai University")
XINGHAI_LAB = _entity(Label.INSTITUTE, "星海海洋实验室", "Xinghai Ocean Lab")
YUNFAN = _entity(Label.FIRM, "云帆科技", "雲帆科技", "Yunfan Tech")
PARK = _entity(Label.PARK, "东湖创新园")
QUANTUM = _entity(Label.TECHNOLOGY, "量子通信")
LI = _entity(Label.PERSON, "李青禾")
ISOLATED = _entity(Label.FIRM, "孤岛材料公司")
ENTITIES = [ZHANG, XINGHAI, XINGHAI_LAB, YUNFAN, PARK, QUANTUM, LI, ISOLATED]

SENTENCES = [
    (ZHANG, XINGHAI, RelType.AFFILIATED_WITH, "张明远院士任星海大学教授。"),
    (XINGHAI, YUNFAN, RelType.COLLABORATES_WITH, "星海大学与云帆科技共建联合实验室。"),
    (YUNFAN, PARK, RelType.LOCATED_IN, "云帆科技落户东湖创新园。"),
    (YUNFAN, QUANTUM, RelType.FOCUSES_ON, "云帆科技专注量子通信。"),
    (LI, YUNFAN, RelType.FOUNDED, "李青禾创办了云帆科技。"),
    (XINGHAI_LAB, XINGHAI, RelType.PART_OF, "星海海洋实验室隶属星海大学。"),
    (ZHANG, QUANTUM, RelType.FOCUSES_ON, "张明远长期研究量子通信。"),
]


def fixture_extraction() -> Extraction:
    text = "".join(s for *_, s in SENTENCES) + "孤岛材料公司发布新品。"
    doc = Document(id=make_document_id(text), text=text, path="fixture.txt", title="API fixture")
    relations = []
    pos = 0
    for a, b, rel_type, sentence in SENTENCES:
        ev = Evidence(doc.id, sentence, pos, pos + len(sentence), "test.fixture", 0.9)
        pos += len(sentence)
        src, dst = (a.id, b.id)
        if rel_type == RelType.COLLABORATES_WITH and dst < src:
            src, dst = dst, src
        relations.append(Relation(src, dst, rel_type, [ev]))
    return Extraction(doc, list(ENTITIES), relations)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    server: uvicorn.Server


@contextmanager
def serve(
    settings: Settings, store: GraphStore, limits: Limits | None = None, warm: bool = False
) -> Iterator[LiveServer]:
    """The real app under a real uvicorn on 127.0.0.1, stopped on exit. `warm`: as under
    `innograph serve` (projection built at start-up, refreshed in the background)."""
    app = create_app(settings, store=store, limits=limits or Limits(), warm=warm)
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        **http_options((limits or Limits()).max_header_bytes),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
