// One page: the entities whose internal id is in [$lo, $hi). FalkorDB answers an ID range
// on a label with a "Node By Label and ID Scan", in id order, with no sort, so every page
// costs the same however deep it is (keyset paging on n.id sorted the rest of the graph
// on every page).
MATCH (n:Entity)
WHERE ID(n) >= $lo AND ID(n) < $hi
RETURN n.id, n.name, n.label, n.aliases, n.props_json
