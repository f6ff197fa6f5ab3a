// Neo4j 5: uniqueness constraints give the id lookups their index. Range indexes do not
// serve list membership, so key lookups scan Entity nodes once per batch (see
// find_entities_by_keys) and `key` (name_key of the canonical name) is indexed for exact hits.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE INDEX entity_key IF NOT EXISTS FOR (n:Entity) ON (n.key);
CREATE CONSTRAINT evidence_key IF NOT EXISTS FOR (e:Evidence) REQUIRE e.key IS UNIQUE;
CREATE INDEX evidence_rel_key IF NOT EXISTS FOR (e:Evidence) ON (e.rel_key);
CREATE INDEX evidence_doc_id IF NOT EXISTS FOR (e:Evidence) ON (e.doc_id);
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;
CREATE CONSTRAINT meta_name IF NOT EXISTS FOR (m:InnoGraphMeta) REQUIRE m.name IS UNIQUE;
