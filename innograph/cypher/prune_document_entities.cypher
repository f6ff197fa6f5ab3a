// The document leaves every entity's doc_ids; entities seen nowhere else and connected to
// nothing are deleted.
MATCH (n:Entity)
WHERE $id IN n.doc_ids
SET n.doc_ids = [d IN n.doc_ids WHERE d <> $id]
WITH n
WHERE size(n.doc_ids) = 0
OPTIONAL MATCH (n)-[r]-()
WITH n, count(r) AS degree
WHERE degree = 0
DELETE n
RETURN count(*)
