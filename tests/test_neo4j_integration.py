"""The store contract against a real Neo4j 5. Runs only when NEO4J_URI is set, e.g.

    docker run -d --rm -p 7687:7687 -e NEO4J_AUTH=neo4j/innograph-test neo4j:5
    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=innograph-test pytest -m neo4j

WARNING: it clears the database it connects to (NEO4J_DATABASE, else the default one).
"""

from __future__ import annotations

from typing import Any

import pytest

# The very same contract tests as FalkorDB; only the `store` fixture differs.
from test_store_contract import *  # noqa: F403

pytestmark = pytest.mark.neo4j


@pytest.fixture
def store(neo4j_store: Any) -> Any:
    return neo4j_store
