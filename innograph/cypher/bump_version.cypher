MERGE (m:InnoGraphMeta {name: 'graph'})
ON CREATE SET m.epoch = $epoch, m.counter = 0
SET m.counter = m.counter + 1
RETURN m.epoch, m.counter
