// Batches keep one transaction's memory bounded however large the graph is.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
