// The graph's layout version: absent on graphs written before layout 2 (and on new ones).
OPTIONAL MATCH (m:InnoGraphMeta {name: 'graph'})
RETURN m.layout
