// Change records older than a reader may still need (see bump_version).
MATCH (c:InnoGraphChange)
WHERE c.seq <= $floor
DELETE c
