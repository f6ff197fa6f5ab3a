"""Schemathesis over every operation of the live API, on both engines: whatever it sends, no
5xx.

Two passes. The generated pass: schemathesis' own cases, writes against a server with an API
key and without sending it (so fuzzed bodies hit auth, not the extraction pipeline). The
hostile pass: the same operations, with the key, and every path, query and header parameter
and every body field in turn carrying the hostile values of tests/test_api_hostile.py
(Cypher fragments, quotes, backslashes, NUL and control characters, right-to-left marks,
megabyte strings), plus deeply nested JSON and oversized uploads; first each value once in
each place, then a Hypothesis strategy that puts them into schemathesis' generated cases.
Bounded by max_examples so the file stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

schemathesis = pytest.importorskip("schemathesis")

from conftest import Graphs  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_api_support import ZHANG, fixture_extraction, serve  # noqa: E402

from innograph.api.limits import Limits  # noqa: E402
from innograph.api.server import http_options  # noqa: E402

MAX_EXAMPLES = 30
KEY = "fuzz-key-not-sent"
MEGABYTE = 1 << 20

# What hostile clients send (see tests/test_api_hostile.py), plus megabyte strings.
HOSTILE = [
    "') DETACH DELETE n //",
    "MATCH (n) DETACH DELETE n",
    "x'}) MATCH (m) DETACH DELETE m RETURN 1 //",
    "' OR 1=1 --",
    "\"",
    "'",
    "\\",
    "\\'",
    "`Entity`",
    "{{LABEL}}",
    "$rows",
    "a\x00b",
    "\x00",
    "\x01\x02\x1b[31m\x7f",
    "\u202e云帆科技",
    "\u200f\u200e\u2066",
    "\ufeff",
    "%00",
    "../../etc/passwd",
    "𠀀" * 50,
    "张明远" * 66,
    "云" * (MEGABYTE // 3),
    "a" * MEGABYTE,
]  # fmt: skip
# Megabyte values go into one parameter per operation (and every body field): each costs the
# client seconds to encode, and the server refuses them all at the same gate.
HUGE = {value for value in HOSTILE if len(value) >= MEGABYTE // 3}
# An ordinary value for each parameter, so that a hostile value in one place meets valid ones
# elsewhere and reaches the code behind validation.
ORDINARY: dict[str, Any] = {
    "entity_id": ZHANG.id,
    "document_id": fixture_extraction().document.id,
    "q": "星海",
    "source": "张明远",
    "target": "云帆科技",
    "name": "张明远",
    "key": "x",
    "mode": "neighborhood",
}
# 415: a POST /documents without a body (a header case) has no media type to take.
ALLOWED = {200, 201, 400, 401, 403, 404, 409, 413, 414, 415, 422, 429, 431, 503}


@pytest.fixture(scope="module")
def fuzz_schema(graphs: Graphs, module_backend: str) -> Iterator[tuple[Any, Any]]:
    with graphs.open(module_backend, api_key=KEY) as (config, store):
        store.write([fixture_extraction()])
        with serve(config, store) as live:
            yield schemathesis.openapi.from_url(f"{live.url}/openapi.json"), store


def _operations(schema: Any) -> list[Any]:
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 10
    return operations


def test_no_server_errors(fuzz_schema: tuple[Any, Any]) -> None:
    # Each operation gets its own bounded Hypothesis run; schemathesis' pytest plugin is not
    # used because it lags behind pytest's internals.
    schema, _ = fuzz_schema
    failures: list[str] = []
    for operation in _operations(schema):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call(timeout=30)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
            assert response.status_code < 500, response.text[:500]

        run()
    assert not failures


# ---- the hostile pass --------------------------------------------------------------------


def _header_safe(value: str) -> bytes | None:
    """`value` as a header value, or None where HTTP cannot carry it (line breaks, NUL);
    a client library refuses those before anything is sent."""
    raw = value.encode()
    if any(c in raw for c in b"\r\n\x00") or raw[:1].isspace():
        return None
    return raw


def _params(operation: Any) -> list[tuple[str, str]]:
    return [(str(p.location.value), p.name) for p in operation.iter_parameters()]


def _body_media(operation: Any) -> list[str]:
    return [body.media_type for body in operation.body]


def _base(operation: Any) -> dict[str, Any]:
    """An ordinary request to `operation` with the key: path and required query values."""
    path: dict[str, Any] = {}
    query: dict[str, Any] = {}
    for location, name in _params(operation):
        if location == "path":
            path[name] = ORDINARY.get(name, "x")
        elif location == "query" and operation.get_parameter(name, location).is_required:
            query[name] = ORDINARY.get(name, "x")
    return {"path_parameters": path, "query": query, "headers": {"X-API-Key": KEY}}


def _hostile_cases(operation: Any, value: str) -> Iterator[tuple[Any, dict[str, Any]]]:
    """`value` in each parameter and body field of `operation` in turn: (case, extra
    arguments of the call)."""
    params = _params(operation)
    if value in HUGE:
        params = params[-1:]  # the last: a path or query parameter where there are any
    for location, name in params:
        base = _base(operation)
        if location == "header":
            header = _header_safe(value)
            if header is None:
                continue
            base["headers"] = {**base["headers"], name: header}
        elif location == "path":
            base["path_parameters"][name] = value
        elif location == "query":
            base["query"][name] = value
        yield operation.Case(**base), {}
    for media in _body_media(operation):
        if media == "application/json":
            for name in ("text", "name", "title", "date", "url", "source", "merged"):
                body: dict[str, Any] = {"text": "云帆科技与星海大学合作。", "merged": "x"}
                body[name] = value
                yield operation.Case(**_base(operation), body=body, media_type=media), {}
        elif media == "multipart/form-data":
            # Sent by the HTTP client as a real multipart upload, with the key.
            case = operation.Case(**_base(operation))
            filename = value[:200] if _header_safe(value[:200]) else "upload.txt"
            yield case, {"files": {"file": (filename, value.encode())}}
            form = {"title": value, "url": value, "source": value}
            yield (
                case,
                {"files": {"file": ("a.txt", "云帆科技落户东湖创新园。".encode())}, "data": form},
            )


@dataclass
class Refused:
    """The server's HTTP parser answered 400 to a request head over its buffer cap and hung
    up while the client was still sending: a refusal, seen as a broken connection."""

    status_code: int = 400
    text: str = ""


def _call(case: Any, value: str, **kwargs: Any) -> Any:
    try:
        if "files" in kwargs:
            # A multipart upload as an HTTP client sends it (schemathesis would label it
            # with the operation's first media type).
            url = f"{case.operation.base_url}{case.formatted_path}"
            return requests.post(url, headers={"X-API-Key": KEY}, timeout=120, **kwargs)
        return case.call(timeout=120, **kwargs)
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        if (
            len(value.encode())
            <= http_options(Limits().max_header_bytes)["h11_max_incomplete_event_size"]
        ):
            raise
        return Refused()


def _check(case: Any, response: Any, failures: list[str], what: str) -> None:
    if response.status_code not in ALLOWED:
        failures.append(f"{case.method} {case.path} {what} -> {response.status_code}")
    elif response.status_code >= 400 and not isinstance(response, Refused):
        assert response.json()["error"]["code"], response.text[:300]  # our body, no stack
    assert KEY not in response.text


def test_hostile_values_everywhere_no_server_errors(fuzz_schema: tuple[Any, Any]) -> None:
    schema, store = fuzz_schema
    failures: list[str] = []
    for operation in _operations(schema):
        for value in HOSTILE:
            for case, kwargs in _hostile_cases(operation, value):
                _check(case, _call(case, value, **kwargs), failures, f"{value[:20]!r}")
        # A DELETE or unmerge may have taken the fixture apart: the next operation gets it
        # whole again (writing it twice changes nothing).
        store.write([fixture_extraction()])
    assert failures == []


def test_hostile_bodies_no_server_errors(fuzz_schema: tuple[Any, Any]) -> None:
    """Deeply nested JSON, broken encodings and oversized bodies to every operation that
    takes a body, with the key."""
    schema, store = fuzz_schema
    raw_bodies = {
        "nested arrays": b"[" * 100_000 + b"]" * 100_000,
        "nested objects": b'{"text":' * 20_000 + b'"x"' + b"}" * 20_000,
        "lone surrogate": b'{"text": "\\ud800abc"}',
        "not UTF-8": b'\xff\xfe{"text": 1}',
        "NUL bytes": b"\x00" * 4096,
        "over the upload cap": b'{"text": "' + b"a" * (11 << 20) + b'"}',
    }
    failures: list[str] = []
    for operation in _operations(schema):
        for media in _body_media(operation):
            for what, raw in raw_bodies.items():
                case = operation.Case(**_base(operation), media_type=media)
                headers = {"X-API-Key": KEY, "Content-Type": media}
                response = case.call(timeout=120, data=raw, headers=headers)
                _check(case, response, failures, what)
            if media == "multipart/form-data":
                big = operation.Case(**_base(operation), media_type=media)
                files = {"file": ("big.txt", b"a" * (11 << 20))}
                response = big.call(timeout=120, files=files)
                _check(big, response, failures, "11 MB file")
        store.write([fixture_extraction()])
    # Valid JSON, 5,000 levels deep inside an otherwise ordinary body.
    deep = '{"merged": "x", "text": "x", "extra": ' + '{"a": [' * 5000 + '"x"' + "]}" * 5000 + "}"
    for operation in _operations(schema):
        if "application/json" in _body_media(operation):
            case = operation.Case(**_base(operation), media_type="application/json")
            headers = {"X-API-Key": KEY, "Content-Type": "application/json"}
            _check(case, case.call(timeout=120, data=deep, headers=headers), failures, "deep")
    assert failures == []


def test_generated_cases_with_hostile_values_no_server_errors(
    fuzz_schema: tuple[Any, Any],
) -> None:
    """Schemathesis' generated cases, with one parameter replaced by a hostile value."""
    schema, store = fuzz_schema
    failures: list[str] = []
    for operation in _operations(schema):
        places = [(loc, name) for loc, name in _params(operation) if loc in ("path", "query")]
        if not places:
            continue

        @given(
            case=operation.as_strategy(),
            place=st.sampled_from(places),
            value=st.sampled_from(HOSTILE),
        )
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case, place: tuple[str, str], value: str) -> None:
            location, name = place
            if location == "path":
                case.path_parameters = {**(case.path_parameters or {}), name: value}
            else:
                case.query = {**(case.query or {}), name: value}
            response = _call(case, value, headers={"X-API-Key": KEY})
            if response.status_code not in ALLOWED:
                failures.append(f"{case.method} {case.path} {name}={value[:20]!r}")
            assert response.status_code in ALLOWED, response.text[:500]

        run()
        store.write([fixture_extraction()])
    assert not failures
