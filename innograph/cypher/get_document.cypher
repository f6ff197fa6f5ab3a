MATCH (d:Document {id: $id})
RETURN d.id, d.path, d.title, d.date, d.url, d.source, d.lang, d.chars, d.ingested_at
