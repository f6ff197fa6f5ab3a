// Indexes earlier versions created and no query uses any more (each one is a cost on every
// write). Dropping one that is not there raises, which ensure_schema treats as done.
DROP INDEX FOR (n:Entity) ON (n.name);
DROP INDEX FOR (n:Entity) ON (n.key);
DROP INDEX FOR (n:Entity) ON (n.doc_ids);
DROP INDEX FOR (e:Evidence) ON (e.key);
DROP INDEX FOR (e:Evidence) ON (e.doc_id);
