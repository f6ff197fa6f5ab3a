// The shared entity_changes, also answering rows the writer wants the internal node id of:
// [position, label, props_json, internal node id (null when there is none), whether the
// row would change the entity], label and properties only when it would. The writer keeps
// node ids for create_relations_by_id; an unchanged entity comes back only when row[8]
// says the writer does not know its id yet (a million reply rows for entities that did
// not change cost the writer more than the query). Rows are positional (see
// queries.entity_row): [id, name, label, key, aliases, keys, props_json, position, known].
UNWIND $rows AS row
WITH row[7] AS i, row
OPTIONAL MATCH (n:Entity {id: row[0]})
WITH i, row, n,
   n IS NULL OR row[6] <> '' OR n.name <> row[1]
   OR (n.label <> row[2] AND NOT row[2] IN $generic)
   OR any(x IN row[4] WHERE NOT x IN n.aliases)
   OR any(x IN row[5] WHERE NOT x IN n.keys)
   OR NOT n.label IN labels(n)
   OR (n.label = 'Academician' AND NOT 'Person' IN labels(n))
   OR any(l IN labels(n) WHERE l <> 'Entity' AND l <> n.label
          AND NOT (l = 'Person' AND n.label = 'Academician')) AS changes
WHERE changes OR NOT row[8]
RETURN i, CASE WHEN changes THEN n.label END, CASE WHEN changes THEN n.props_json END,
   ID(n), changes
