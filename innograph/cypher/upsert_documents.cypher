// Documents keep their normalised text (and its Traditional-script twin, when there is one)
// so that they can be extracted again without the original file, e.g. to undo a merge.
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
ON CREATE SET d.ingested_at = row.ingested_at
SET d.path = row.path, d.title = row.title, d.date = row.date, d.url = row.url,
    d.source = row.source, d.lang = row.lang, d.chars = row.chars,
    d.text = row.text, d.traditional = row.traditional
