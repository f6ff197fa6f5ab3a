// Documents keep their normalised text (and its Traditional-script twin, when there is one)
// so that they can be extracted again without the original file, e.g. to undo a merge, and
// the ids of the entities they name (an entity's documents are the documents listing it).
// Positional rows (queries.DOCUMENT_ROW): [id, path, title, date, url, source, lang, chars,
// text, traditional, ingested_at, entity_ids, relation_ends]. relation_ends: ends of its
// relationships it does not name (see document_relations). Both grow as set unions, so
// writing a document again adds nothing.
UNWIND $rows AS row
MERGE (d:Document {id: row[0]})
ON CREATE SET d.ingested_at = row[10]
WITH d, row, coalesce(d.entity_ids, []) AS known, coalesce(d.relation_ends, []) AS ends
SET d.path = row[1], d.title = row[2], d.date = row[3], d.url = row[4],
    d.source = row[5], d.lang = row[6], d.chars = row[7],
    d.text = row[8], d.traditional = row[9],
    d.entity_ids = known + [x IN row[11] WHERE NOT x IN known],
    d.relation_ends = ends + [x IN row[12] WHERE NOT x IN ends]
