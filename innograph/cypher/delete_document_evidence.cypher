// The document's evidence on these relationships (document_relations) goes. Returns the
// relationships that lost evidence, so their counters can be recomputed.
UNWIND $keys AS k
MATCH (e:Evidence {rel_key: k})
WHERE e.doc_id = $id
DELETE e
RETURN DISTINCT k
