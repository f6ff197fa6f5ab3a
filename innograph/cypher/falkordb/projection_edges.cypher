// One page of the analytics projection's relationships of type {{REL_TYPE}} (source
// internal id in [$lo, $hi)) as one row of parallel lists, read in FalkorDB's verbose reply
// mode where a list of numbers comes back as one string that Python parses in C: a million
// relationships cost a few strings instead of millions of reply cells. Internal ids stand
// for the entities; `year` is model.relation_year of the properties, stored by the writes.
MATCH (a:Entity)-[r:{{REL_TYPE}}]->(b:Entity)
WHERE ID(a) >= $lo AND ID(a) < $hi
RETURN collect(ID(a)), collect(ID(b)), collect(coalesce(r.evidence_count, 0)),
       collect(coalesce(r.confidence, 0.0)), collect(coalesce(r.year, 0))
