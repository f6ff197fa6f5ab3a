OPTIONAL MATCH (m:InnoGraphMeta {name: 'graph'})
RETURN m.epoch, m.counter
