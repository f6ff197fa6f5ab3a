// One page of the analytics projection's entities: those whose internal id is in
// [$lo, $hi) (see iter_entities), with the internal id the edges refer to.
MATCH (n:Entity)
WHERE ID(n) >= $lo AND ID(n) < $hi
RETURN ID(n), n.id, n.name, n.label, n.aliases, n.props_json
