// Exact key first, then prefix, then substring; within a rank the better connected first
// (as the shared query). A query of two or more Han characters finds its candidates in the
// CJK full-text index: the analyzer stores Han text as overlapping bigrams, so the phrase
// of the query's bigrams matches every key containing it (Han characters need no Lucene
// escaping). Anything else (Latin, digits, one character) scans the keys.
CALL () {
    WITH $q AS q
    WHERE q =~ '\\p{IsHan}{2,}'
    CALL db.index.fulltext.queryNodes('entity_search', 'keys:"' + q + '"') YIELD node
    RETURN node AS n
  UNION
    WITH $q AS q
    WHERE NOT q =~ '\\p{IsHan}{2,}'
    MATCH (n:Entity)
    RETURN n
}
WITH n
WHERE any(k IN n.keys WHERE k CONTAINS $q)
  AND (size($labels) = 0 OR any(l IN labels(n) WHERE l IN $labels))
WITH n, CASE
        WHEN $q IN n.keys THEN 0
        WHEN any(k IN n.keys WHERE k STARTS WITH $q) THEN 1
        ELSE 2 END AS rank
OPTIONAL MATCH (n)-[r]-()
WITH n, rank, count(r) AS degree, sum(coalesce(r.evidence_count, 0)) AS support
RETURN n.id, n.name, n.label, n.aliases, n.props_json
ORDER BY rank, degree DESC, support DESC, size(n.name), n.id
SKIP $offset LIMIT $limit
