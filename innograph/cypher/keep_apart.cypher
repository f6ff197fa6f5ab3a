// Records that two entities are different (see ingest.merges). MERGE on the pair's key, so
// deciding twice stores one node; the first decision's time and note stay.
MERGE (k:KeepApart {key: $key})
ON CREATE SET k.a = $a, k.b = $b, k.created_at = $now, k.note = $note
RETURN k.a, k.b, k.created_at, k.note
