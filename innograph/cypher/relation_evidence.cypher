// Best evidence first; each relation's list is cut to $per in the query so a heavily
// supported relation does not ship all of its sentences.
UNWIND $keys AS k
MATCH (e:Evidence {rel_key: k})
OPTIONAL MATCH (d:Document {id: e.doc_id})
WITH k, e, d
ORDER BY e.confidence DESC, e.doc_id, e.start
WITH k, collect([e.doc_id, e.sentence, e.start, e.end, e.extractor, e.confidence,
                 d.title, d.path, d.date]) AS evidence
RETURN k, evidence[0..$per]
