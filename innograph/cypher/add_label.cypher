UNWIND $ids AS id
MATCH (n:Entity {id: id})
SET n:{{LABEL}}
