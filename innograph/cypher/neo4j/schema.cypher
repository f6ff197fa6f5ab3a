// Neo4j 5: uniqueness constraints give the id lookups their index. Range indexes do not
// serve list membership, so two full-text indexes do: `entity_lookup` (keyword analyzer:
// one term per whole value) answers exact alias-key membership (find_entities_by_keys;
// `key` is there only because two full-text indexes cannot cover the same properties);
// `entity_search` (the CJK analyzer:
// Han text as overlapping bigrams, so a phrase query finds every key containing a Chinese
// string) serves search_entities. Both are transactionally consistent (the default).
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE INDEX entity_key IF NOT EXISTS FOR (n:Entity) ON (n.key);
CREATE FULLTEXT INDEX entity_lookup IF NOT EXISTS FOR (n:Entity) ON EACH [n.keys, n.key] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.keys] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE CONSTRAINT evidence_key IF NOT EXISTS FOR (e:Evidence) REQUIRE e.key IS UNIQUE;
CREATE INDEX evidence_rel_key IF NOT EXISTS FOR (e:Evidence) ON (e.rel_key);
CREATE INDEX evidence_doc_id IF NOT EXISTS FOR (e:Evidence) ON (e.doc_id);
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;
CREATE CONSTRAINT meta_name IF NOT EXISTS FOR (m:InnoGraphMeta) REQUIRE m.name IS UNIQUE;
CREATE CONSTRAINT keep_apart_key IF NOT EXISTS FOR (k:KeepApart) REQUIRE k.key IS UNIQUE;
CREATE INDEX keep_apart_a IF NOT EXISTS FOR (k:KeepApart) ON (k.a);
CREATE INDEX keep_apart_b IF NOT EXISTS FOR (k:KeepApart) ON (k.b)
