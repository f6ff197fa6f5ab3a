MERGE (m:InnoGraphMeta {name: 'graph'})
ON CREATE SET m.epoch = $epoch, m.counter = 0
SET m.layout = $layout
