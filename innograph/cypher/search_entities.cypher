// Exact key first, then prefix, then substring; within a rank the better connected first.
MATCH (n:Entity)
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
