// One page of the analytics projection's edges (source internal id in [$lo, $hi)) as a
// single row of parallel lists, read in FalkorDB's verbose reply mode where a list of
// numbers (or of relationship type names) comes back as one string that Python parses in
// C: a million edges cost a few strings instead of millions of reply cells. Internal ids
// stand for the entities; the year is what projection._year reads from the properties.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE ID(a) >= $lo AND ID(a) < $hi
WITH a, b, r, coalesce(r.props_json, '{}') AS p
RETURN collect(ID(a)), collect(ID(b)), collect(type(r)),
       collect(coalesce(r.evidence_count, 0)), collect(coalesce(r.confidence, 0.0)),
       collect(CASE
           WHEN p = '{}' THEN 0
           WHEN p CONTAINS '"last_seen": "' THEN
               coalesce(toInteger(left(split(p, '"last_seen": "')[1], 4)), 0)
           WHEN p CONTAINS '"date": "' THEN
               coalesce(toInteger(left(split(p, '"date": "')[1], 4)), 0)
           WHEN p CONTAINS '"year": ' THEN
               coalesce(toInteger(left(replace(split(p, '"year": ')[1], '"', ''), 4)), 0)
           ELSE 0 END)
