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
    if doc.lang_ == "zh" and len(doc):
        tags = _tag_table()
        tokens = []
        pos = 0
        # Offsets are accumulated from text_with_ws: `doc.text` and `to_array(...).tolist()`
        # each cost more than all of this loop.
        for t in doc:
            word, full = t.text, t.text_with_ws
            # whitespace tokens stay (tagged "w"): a line break ends a name like punctuation
            tag = "w" if word.isspace() else tags.get(word, "?")
            tokens.append(Token(pos, pos + len(word), word, tag))
            pos += len(full)
        state.tokens = tokens
    state.index()
    return doc
