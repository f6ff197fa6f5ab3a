// Returns the relationships that lost evidence, so their counters can be recomputed.
MATCH (e:Evidence {doc_id: $id})
WITH e, e.rel_key AS rel_key
DELETE e
RETURN DISTINCT rel_key
