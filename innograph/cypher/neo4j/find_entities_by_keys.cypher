// Exact key membership through the keyword full-text index (range indexes do not index list
// elements): the key is one quoted Lucene term, with `\` and `"` escaped; `k IN n.keys`
// then confirms the hit.
UNWIND $keys AS k
CALL db.index.fulltext.queryNodes(
    'entity_lookup', 'keys:"' + replace(replace(k, '\\', '\\\\'), '"', '\\"') + '"')
YIELD node AS n
WITH k, n
WHERE k IN n.keys
RETURN k, n.id, n.name, n.label, n.aliases, n.props_json
