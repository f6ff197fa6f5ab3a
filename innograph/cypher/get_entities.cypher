UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id, n.name, n.label, n.aliases, n.props_json
