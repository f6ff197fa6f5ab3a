"""`innograph_document`: the first component. Sets up the shared state: sentence spans and,
for Chinese, the jieba tokens spaCy already produced, tagged from jieba's dictionary.

Tags come from a dictionary lookup rather than `jieba.posseg`, which re-segments the text and
runs an HMM tagger (about 5x slower than the whole rest of the pipeline); words jieba found
only by its HMM get "?" - in news these are mostly names, which is what the rules need to know.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components.state import DocState, Token, state_of
from innograph.ingest.normalize import split_sentences


@cache
def _tag_table() -> dict[str, str]:
    from jieba.posseg import dt

    return dt.word_tag_tab


@Language.component("innograph_document")
def document_component(doc: Doc) -> Doc:
    state: DocState = state_of(doc)
    state.sentences = split_sentences(state.text)
    if doc.lang_ == "zh":
        tags = _tag_table()
        state.tokens = [
            Token(t.idx, t.idx + len(t.text), t.text, tags.get(t.text, "?"))
            for t in doc
            if not t.is_space
        ]
    state.index()
    return doc
