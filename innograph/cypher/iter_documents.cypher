// Keyset paging over documents by id, with everything a copy of the graph needs: text,
// metadata and when it was ingested.
MATCH (d:Document)
WHERE d.id > $after
RETURN d.id, d.text, d.traditional, d.path, d.title, d.date, d.url, d.source, d.lang,
       d.ingested_at
ORDER BY d.id
LIMIT $limit
