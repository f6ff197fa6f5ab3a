// Evidence keys already stored: their relationships need no write unless they bring
// properties, which is what makes rewriting a batch cheap. Rows are [rel_key, key]: evidence
// is found through its relationship's key (FalkorDB indexes rel_key, not key: one index
// fewer to update on every evidence node written).
UNWIND $keys AS k
MATCH (e:Evidence {rel_key: k[0]})
WHERE e.key = k[1]
RETURN k[1]
