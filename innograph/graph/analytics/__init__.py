"""Answers computed over the in-memory projection of the graph: lookup, paths,
introductions, connectors, neighbourhoods and communities. Pure functions of a `Projection`;
`graph.service` composes them."""
