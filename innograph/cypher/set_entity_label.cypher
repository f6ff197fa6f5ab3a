// Sets the primary label property; the caller moves the node labels (add_label,
// remove_label) from the old label returned here.
MATCH (n:Entity {id: $id})
WITH n, n.label AS old
SET n.label = $label
RETURN old
