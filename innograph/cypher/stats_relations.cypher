MATCH (:Entity)-[r]->(:Entity)
RETURN type(r), count(r)
