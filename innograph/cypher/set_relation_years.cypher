// Layout 3: relationships carry the year their properties date them to (model.relation_year:
// last_seen, else date, else year), so bulk reads need not parse JSON. Sets it on a graph
// written by an earlier version.
MATCH (:Entity)-[r]->(:Entity)
WHERE r.year IS NULL
WITH r, coalesce(r.props_json, '{}') AS p
SET r.year = CASE
    WHEN p = '{}' THEN 0
    WHEN p CONTAINS '"last_seen": "' THEN
        coalesce(toInteger(left(split(p, '"last_seen": "')[1], 4)), 0)
    WHEN p CONTAINS '"date": "' THEN
        coalesce(toInteger(left(split(p, '"date": "')[1], 4)), 0)
    WHEN p CONTAINS '"year": ' THEN
        coalesce(toInteger(left(replace(split(p, '"year": ')[1], '"', ''), 4)), 0)
    ELSE 0 END
