// Every change bumps the counter and records what it touched, so a process holding an
// in-memory projection at version epoch:N can catch up by reading changes N+1.. instead
// of reloading the graph (changes_since). `full` marks changes it cannot replay (deletes,
// very large writes): a reader behind one of them reloads.
MERGE (m:InnoGraphMeta {name: 'graph'})
ON CREATE SET m.epoch = $epoch, m.counter = 0
SET m.counter = m.counter + 1
CREATE (c:InnoGraphChange {seq: m.counter, full: $full, entities: $entities,
                           relations: $relations})
RETURN m.epoch, m.counter
