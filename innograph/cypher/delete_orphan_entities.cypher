// Entities seen in no document and connected to nothing go.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE size(n.doc_ids) = 0
OPTIONAL MATCH (n)-[r]-()
WITH n, count(r) AS degree
WHERE degree = 0
DELETE n
RETURN count(*)
