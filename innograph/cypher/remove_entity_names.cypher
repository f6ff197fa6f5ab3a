// Takes names back from an entity (those an undone merge had added). The canonical name's
// key always stays, so the entity can still be found by its own name.
MATCH (n:Entity {id: $id})
SET n.aliases = [x IN n.aliases WHERE NOT x IN $names],
    n.keys = [k IN n.keys WHERE k = n.key OR NOT k IN $keys]
RETURN n.id
