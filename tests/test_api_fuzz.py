"""Schemathesis over every operation of the live API: whatever it sends, no 5xx.

Writes are fuzzed against a server with an API key and without sending it (so fuzzed bodies
hit auth, not the extraction pipeline); reads against the same small graph as test_api.
Bounded by max_examples so the file stays fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")

from conftest import Graphs  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from test_api_support import fixture_extraction, serve  # noqa: E402

MAX_EXAMPLES = 30


@pytest.fixture(scope="module")
def fuzz_schema(graphs: Graphs, module_backend: str) -> Iterator[object]:
    with graphs.open(module_backend, api_key="fuzz-key-not-sent") as (config, store):
        store.write([fixture_extraction()])
        with serve(config, store) as live:
            yield schemathesis.openapi.from_url(f"{live.url}/openapi.json")


def test_no_server_errors(fuzz_schema: object) -> None:
    # Each operation gets its own bounded Hypothesis run; schemathesis' pytest plugin is not
    # used because it lags behind pytest's internals.
    failures: list[str] = []
    operations = [op.ok() for op in fuzz_schema.get_all_operations()]  # type: ignore[attr-defined]
    assert len(operations) >= 10

    for operation in operations:

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
