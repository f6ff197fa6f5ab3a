UNWIND $ids AS id
MATCH (n:Entity {id: id})
REMOVE n:{{LABEL}}
