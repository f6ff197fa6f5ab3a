MATCH (d:Document {id: $id})
DELETE d
RETURN count(*)
