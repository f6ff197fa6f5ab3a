// One page of the analytics projection's entities (internal id in [$lo, $hi), see
// iter_entities) as one row of columns, read in FalkorDB's verbose reply mode: internal ids
// as a list of numbers (one string Python parses in C), text columns joined with $sep into
// one string each (aliases of one entity with $inner). A million reply cells become a few
// strings. The caller checks every column splits into as many parts as there are ids.
MATCH (n:Entity)
WHERE ID(n) >= $lo AND ID(n) < $hi
RETURN collect(ID(n)),
       string.join(collect(n.id), $sep),
       string.join(collect(coalesce(n.name, '')), $sep),
       string.join(collect(coalesce(n.label, '')), $sep),
       string.join(collect(string.join(coalesce(n.aliases, []), $inner)), $sep),
       string.join(collect(coalesce(n.props_json, '{}')), $sep)
