// Every keep-apart decision; there are as many as people made, so few.
MATCH (k:KeepApart)
RETURN k.a, k.b, k.created_at, k.note
ORDER BY k.a, k.b
