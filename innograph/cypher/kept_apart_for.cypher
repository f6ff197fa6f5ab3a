// The keep-apart decisions that involve one of these entities.
UNWIND $ids AS id
MATCH (k:KeepApart)
WHERE k.a = id OR k.b = id
RETURN DISTINCT k.a, k.b, k.created_at, k.note
