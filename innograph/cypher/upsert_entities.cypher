// One row per entity id. Lists grow as set unions (old + the new values not yet in it), so
// rewriting a batch adds nothing. A renamed entity keeps its old name as an alias.
// `old_label` is read in the same atomic query so "created" counts stay honest when two
// processes write at once.
UNWIND $rows AS row
OPTIONAL MATCH (old:Entity {id: row.id})
WITH row, old.label AS old_label, old.name AS old_name
MERGE (n:Entity {id: row.id})
WITH n, row, old_label, old_name,
     [x IN coalesce(n.aliases, []) WHERE x <> row.name] AS aliases,
     coalesce(n.keys, []) AS keys, coalesce(n.doc_ids, []) AS doc_ids
SET n.label = CASE
        WHEN old_label IS NOT NULL AND old_label <> row.label AND row.label IN $generic
        THEN old_label ELSE row.label END,
    n.name = row.name,
    n.key = row.key,
    n.aliases = aliases + [x IN row.aliases WHERE NOT x IN aliases]
        + CASE WHEN old_name IS NULL OR old_name = row.name OR old_name IN aliases
               OR old_name IN row.aliases THEN [] ELSE [old_name] END,
    n.keys = keys + [x IN row.keys WHERE NOT x IN keys],
    n.doc_ids = doc_ids + [x IN row.doc_ids WHERE NOT x IN doc_ids],
    n.props_json = CASE WHEN row.props_json = '' THEN coalesce(n.props_json, '{}')
        ELSE row.props_json END
RETURN n.id, old_label, n.label
