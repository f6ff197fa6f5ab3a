MATCH (d:Document)
RETURN count(d), max(d.ingested_at)
