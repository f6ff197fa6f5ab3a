// Entities that exist and change. Lists grow as set unions (old + the new values not yet
// in it), so rewriting adds nothing. A renamed entity keeps its old name as an alias.
// `old_label` is read in the same atomic query so "created" counts stay honest when two
// processes write at once. Positional rows:
// [id, name, label, key, aliases, keys, props_json].
UNWIND $rows AS row
OPTIONAL MATCH (old:Entity {id: row[0]})
WITH row, old.label AS old_label, old.name AS old_name
MERGE (n:Entity {id: row[0]})
WITH n, row, old_label, old_name,
     [x IN coalesce(n.aliases, []) WHERE x <> row[1]] AS aliases,
     coalesce(n.keys, []) AS keys
SET n.label = CASE
        WHEN old_label IS NOT NULL AND old_label <> row[2] AND row[2] IN $generic
        THEN old_label ELSE row[2] END,
    n.name = row[1],
    n.key = row[3],
    n.aliases = aliases + [x IN row[4] WHERE NOT x IN aliases]
        + CASE WHEN old_name IS NULL OR old_name = row[1] OR old_name IN aliases
               OR old_name IN row[4] THEN [] ELSE [old_name] END,
    n.keys = keys + [x IN row[5] WHERE NOT x IN keys],
    n.props_json = CASE WHEN row[6] = '' THEN coalesce(n.props_json, '{}') ELSE row[6] END
RETURN n.id, old_label, n.label, labels(n)
