// Layout 2: which entities a document names moved from a doc_ids list on every entity to
// an entity_ids list on the document. Folds a graph written by an earlier version over.
MATCH (n:Entity)
WHERE n.doc_ids IS NOT NULL
UNWIND n.doc_ids AS doc_id
WITH doc_id, collect(n.id) AS ids
MATCH (d:Document {id: doc_id})
WITH d, ids, coalesce(d.entity_ids, []) AS known
SET d.entity_ids = known + [x IN ids WHERE NOT x IN known]
