// The shared create_entities, returning each row's entity id (as stored) and internal
// node id for create_relations_by_id. Positional rows:
// [id, name, label, key, aliases, keys, props_json].
UNWIND $rows AS row
MERGE (n:Entity:{{LABEL}} {id: row[0]})
ON CREATE SET n.name = row[1], n.label = row[2], n.key = row[3], n.aliases = row[4],
    n.keys = row[5], n.props_json = CASE WHEN row[6] = '' THEN '{}' ELSE row[6] END
RETURN row[0], ID(n)
