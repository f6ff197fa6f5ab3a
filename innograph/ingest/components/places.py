"""`innograph_places`: countries, provinces, cities and regions from the place gazetteer.

Places are always `Place`; a place inside a longer organisation name (`上海` in
`上海张江高科技园区`) is dropped later by the overlap policy in `references`, never relabelled.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import lexicon
from innograph.ingest.components.state import Mention, state_of
from innograph.model import Label

EXTRACTOR = "place.gazetteer"


@Language.component("innograph_places")
def places_component(doc: Doc) -> Doc:
    state = state_of(doc)
    gazetteer = lexicon.places()
    for match in gazetteer.pattern.finditer(state.text):
        term = gazetteer.lookup(match.group())
        if term is None:
            continue
        state.add(
            Mention(
                match.start(),
                match.end(),
                Label.PLACE,
                EXTRACTOR,
                0.9,
                canonical=term.name_for(state.lang),
                aliases=term.forms,
            )
        )
    return doc
