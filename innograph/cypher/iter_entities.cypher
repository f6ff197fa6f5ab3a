// Keyset paging on the indexed id: each page starts where the last ended.
MATCH (n:Entity)
WHERE n.id > $after
RETURN n.id, n.name, n.label, n.aliases, n.props_json
ORDER BY n.id
LIMIT $limit
