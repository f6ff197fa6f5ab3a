// The shared entity_changes, answering every row: [position, label, props_json, internal
// node id (null when there is none), whether the row would change the entity]; label and
// properties only when it would. The writer keeps the node ids for
// create_relations_by_id, so unchanged entities come back too. Rows are positional (see
// queries.entity_row): [id, name, label, key, aliases, keys, props_json, position].
UNWIND $rows AS row
WITH row[7] AS i, row
OPTIONAL MATCH (n:Entity {id: row[0]})
WITH i, row, n,
   n IS NULL OR row[6] <> '' OR n.name <> row[1]
   OR (n.label <> row[2] AND NOT row[2] IN $generic)
   OR any(x IN row[4] WHERE NOT x IN n.aliases)
   OR any(x IN row[5] WHERE NOT x IN n.keys) AS changes
RETURN i, CASE WHEN changes THEN n.label END, CASE WHEN changes THEN n.props_json END,
   ID(n), changes
