MATCH (n:Entity)
RETURN n.label, count(n)
