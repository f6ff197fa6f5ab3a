// Neo4j cannot index list membership: one scan of Entity per batch of keys, not one per key.
MATCH (n:Entity)
WHERE any(k IN n.keys WHERE k IN $keys)
UNWIND [k IN n.keys WHERE k IN $keys] AS k
RETURN k, n.id, n.name, n.label, n.aliases, n.props_json
