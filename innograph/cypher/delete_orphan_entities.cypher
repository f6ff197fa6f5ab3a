// Entities named in no document and connected to nothing go. Run after the document that
// named them is deleted. Two reads then the delete, no SET before a filter (FalkorDB
// mis-filters a WITH ... WHERE on a property SET earlier in the same query).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
OPTIONAL MATCH (d:Document)
WHERE id IN d.entity_ids
WITH n, count(d) AS documents
WHERE documents = 0
OPTIONAL MATCH (n)-[r]-()
WITH n, count(r) AS degree
WHERE degree = 0
DELETE n
RETURN count(*)
