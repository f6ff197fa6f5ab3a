// Change records after a version's counter, oldest first (see bump_version).
MATCH (c:InnoGraphChange)
WHERE c.seq > $since
RETURN c.seq, c.full, c.entities, c.relations
ORDER BY c.seq
