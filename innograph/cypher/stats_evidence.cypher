MATCH (e:Evidence)
RETURN count(e)
