// New entities, created whole with their labels (adding a label to an existing node costs
// FalkorDB ~0.25 ms a node). MERGE, not CREATE, so an entity another process created in
// the meantime is not duplicated; the caller then upserts that chunk. Positional rows:
// [id, name, label, key, aliases, keys, props_json].
UNWIND $rows AS row
MERGE (n:Entity:{{LABEL}} {id: row[0]})
ON CREATE SET n.name = row[1], n.label = row[2], n.key = row[3], n.aliases = row[4],
    n.keys = row[5], n.props_json = CASE WHEN row[6] = '' THEN '{}' ELSE row[6] END
