// New entities get their labels as they are created: adding a label to an existing node
// costs FalkorDB far more (~0.25 ms a node) than creating it with the label. Properties
// are set by upsert_entities right after.
UNWIND $rows AS row
MERGE (n:Entity:{{LABEL}} {id: row.id})
ON CREATE SET n.label = row.label
