// Which entities of a batch are new or would change; the rest are skipped, so rewriting a
// batch costs this one indexed read. Rows are positional (see queries.entity_row):
// [id, name, label, key, aliases, keys, props_json, position]. Returns the row's position,
// not its id: the id may come back in the engine's stored form (FalkorDB drops some bytes).
// Node labels that disagree with the label property (a write killed between the two)
// count as a change, so rewriting the batch repairs them.
UNWIND $rows AS row
WITH row[7] AS i, row
OPTIONAL MATCH (n:Entity {id: row[0]})
WITH i, row, n
WHERE n IS NULL OR row[6] <> '' OR n.name <> row[1]
   OR (n.label <> row[2] AND NOT row[2] IN $generic)
   OR any(x IN row[4] WHERE NOT x IN n.aliases)
   OR any(x IN row[5] WHERE NOT x IN n.keys)
   OR NOT n.label IN labels(n)
   OR (n.label = 'Academician' AND NOT 'Person' IN labels(n))
   OR any(l IN labels(n) WHERE l <> 'Entity' AND l <> n.label
          AND NOT (l = 'Person' AND n.label = 'Academician'))
RETURN i, n.label, n.props_json
