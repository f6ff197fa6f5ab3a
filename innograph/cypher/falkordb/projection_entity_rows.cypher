// projection_entities for a page whose text does not split cleanly: one row per entity.
MATCH (n:Entity)
WHERE ID(n) >= $lo AND ID(n) < $hi
RETURN ID(n), n.id, n.name, n.label, n.aliases, n.props_json
