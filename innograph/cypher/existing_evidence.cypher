// Evidence keys already stored: their relationships need no write unless they bring
// properties, which is what makes rewriting a batch cheap.
UNWIND $keys AS k
MATCH (e:Evidence {key: k})
RETURN k
