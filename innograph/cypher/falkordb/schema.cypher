// FalkorDB range indexes also index array elements, so `k IN n.keys` and
// `$doc IN n.doc_ids` are index lookups. Re-running a statement raises
// "already indexed", which ensure_schema treats as done.
CREATE INDEX FOR (n:Entity) ON (n.id);
CREATE INDEX FOR (n:Entity) ON (n.name);
CREATE INDEX FOR (n:Entity) ON (n.key);
CREATE INDEX FOR (n:Entity) ON (n.keys);
CREATE INDEX FOR (n:Entity) ON (n.doc_ids);
CREATE INDEX FOR (e:Evidence) ON (e.key);
CREATE INDEX FOR (e:Evidence) ON (e.rel_key);
CREATE INDEX FOR (e:Evidence) ON (e.doc_id);
CREATE INDEX FOR (d:Document) ON (d.id);
CREATE INDEX FOR (m:InnoGraphMeta) ON (m.name);
