"""spaCy components of the extraction pipeline, one rule family per module (composed in
`innograph.ingest.pipeline`): document, places, technologies, organizations, people,
stat_ner + ner_merge (optional statistical NER), references, relations. They share the
per-document state in `state.py`; lexicon data lives in `ingest/lexicons/`."""
