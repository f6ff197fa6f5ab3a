// Only what queries look up is indexed (evidence is found by its relationship's key, never
// by its own): every index is also a write cost on every node
// created. FalkorDB range indexes also index array elements, so `k IN n.keys` and
// `$id IN d.entity_ids` are index lookups. Re-running a statement raises "already
// indexed", which ensure_schema treats as done.
CREATE INDEX FOR (n:Entity) ON (n.id);
CREATE INDEX FOR (n:Entity) ON (n.keys);
CREATE INDEX FOR (e:Evidence) ON (e.rel_key);
CREATE INDEX FOR (d:Document) ON (d.id);
CREATE INDEX FOR (d:Document) ON (d.entity_ids);
CREATE INDEX FOR (m:InnoGraphMeta) ON (m.name);
