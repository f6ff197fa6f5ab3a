"""The per-document working state the InnoGraph components share through `doc._.innograph`.

Chinese entity boundaries do not follow jieba tokens (`卡尤迪生物科技(北京)有限公司` is seven
tokens; `局将` is one), so mentions are kept as character spans over the normalised text rather
than as spaCy `Span`s; tokens are still used for part-of-speech and boundary decisions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from innograph.model import Label, RelType

EXTENSION = "innograph"

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)

# Kinds of mention: a full name, a short form of a name seen elsewhere, an abbreviation,
# or an anaphor (该基地, the institute) that only points at an antecedent.
NAME, SHORT, ABBREV, ANAPHOR = "name", "short", "abbrev", "anaphor"


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    label: Label
    extractor: str
    confidence: float
    kind: str = NAME
    canonical: str = ""  # lexicon canonical name, when a lexicon recognised the form
    aliases: tuple[str, ...] = ()  # forms the lexicon or the text declares equivalent
    generic: bool = False  # built from common words only; kept only with an antecedent
    props: dict[str, Any] = field(default_factory=dict)
    entity: int = -1  # index into DocState.entities once references have run

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Mention) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    pos: str  # jieba dictionary tag; "?" for words jieba found by HMM (often names)


@dataclass(slots=True)
class EntityDraft:
    name: str
    label: Label
    extractor: str
    confidence: float
    aliases: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # indexes into DocState.mentions
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RelationDraft:
    source: int  # entity index
    target: int
    type: RelType
    start: int  # supporting span (usually the sentence) in the text
    end: int
    extractor: str
    confidence: float
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DocState:
    text: str
    traditional: str
    lang: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[EntityDraft] = field(default_factory=list)
    relations: list[RelationDraft] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)  # per-component lookup tables
    _token_starts: list[int] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list)

    def index(self) -> None:
        self._token_starts = [t.start for t in self.tokens]
        self._sentence_starts = [s for s, _ in self.sentences]

    def token_at(self, pos: int) -> int:
        """Index of the token covering character `pos` (-1 when there are no tokens)."""
        return bisect.bisect_right(self._token_starts, pos) - 1

    def sentence_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._sentence_starts, pos) - 1)

    def original(self, start: int, end: int) -> str:
        """The original-script form of text[start:end]."""
        return (self.traditional or self.text)[start:end]

    def add(self, mention: Mention) -> None:
        if mention.end > mention.start:
            self.mentions.append(mention)


def state_of(doc: Doc) -> DocState:
    state = doc._.get(EXTENSION)
    if state is None:
        state = DocState(text=doc.text, traditional="", lang=doc.lang_ or "zh")
        doc._.set(EXTENSION, state)
    return state
