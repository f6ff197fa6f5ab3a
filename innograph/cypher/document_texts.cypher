// What is needed to extract stored documents again: their text and metadata. Documents
// written before texts were stored return a null text.
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id, d.text, d.traditional, d.path, d.title, d.date, d.url, d.source, d.lang
