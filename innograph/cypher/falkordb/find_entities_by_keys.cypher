// The array index on keys answers `k IN n.keys` per key.
UNWIND $keys AS k
MATCH (n:Entity)
WHERE k IN n.keys
RETURN k, n.id, n.name, n.label, n.aliases, n.props_json
