// Which entities of a batch are new or would change; the rest are skipped, so rewriting a
// batch costs this one indexed read. Rows are positional (see queries.entity_row):
// [id, name, label, key, aliases, keys, doc_ids, props_json]. Returns the row's position,
// not its id: the id may come back in the engine's stored form (FalkorDB drops some bytes).
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
OPTIONAL MATCH (n:Entity {id: row[0]})
WITH i, row, n
WHERE n IS NULL OR row[7] <> '' OR n.name <> row[1]
   OR (n.label <> row[2] AND NOT row[2] IN $generic)
   OR any(x IN row[4] WHERE NOT x IN n.aliases)
   OR any(x IN row[5] WHERE NOT x IN n.keys)
   OR any(x IN row[6] WHERE NOT x IN n.doc_ids)
RETURN i, n.label, n.props_json
