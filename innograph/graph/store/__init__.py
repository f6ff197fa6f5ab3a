"""Where the graph is kept: the `GraphStore` interface, the Cypher implementation both
engines share (`cypher_store`), the engines (`falkordb`, `neo4j`, with `embedded` starting a
private FalkorDB server) and the named Cypher they run (`queries`)."""

from innograph.errors import StoreUnavailable
from innograph.graph.store.base import GraphStore, open_store

__all__ = ["GraphStore", "StoreUnavailable", "open_store"]
