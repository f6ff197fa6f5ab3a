// The highest internal node id: iteration pages walk internal id ranges up to it.
MATCH (n)
RETURN max(ID(n))
