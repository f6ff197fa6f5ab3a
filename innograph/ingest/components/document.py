"""`innograph_document`: the first component, and the Chinese tokenizer that runs before it.

`JiebaTokenizer` segments exactly as `jieba.cut(text)` does (jieba's default mode: dictionary
DAG, then its HMM for runs of unknown characters). When the `rjieba` wheel is installed the
dictionary DAG comes from it (the Rust port of jieba, same dictionary) and only the HMM runs in
Python, through jieba's own `finalseg`: the DAG is ~80% of jieba's time, and rjieba's own HMM and
its handling of `-` and `.` inside Latin runs differ from jieba's, so those parts stay jieba's.
Without rjieba, plain `jieba.cut` is used; tokens are the same either way (tests compare them).

The component sets up the shared state: sentence spans and, for Chinese, the tokens, tagged
from jieba's dictionary. Tags come from a dictionary lookup rather than `jieba.posseg`, which
re-segments the text and runs an HMM tagger (about 5x slower than the whole rest of the
pipeline); words jieba found only by its HMM get "?" - in news these are mostly names, which is
what the rules need to know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

import jieba
from jieba import finalseg
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from innograph.ingest.components.state import DocState, Token, state_of
from innograph.ingest.normalize import split_sentences

try:  # optional accelerator; see the module docstring
    import rjieba
except ImportError:  # pragma: no cover - depends on the environment
    rjieba = None

# The tokenizer leaves its (words, spaces) here so the component need not walk the Doc.
WORDS_KEY = "innograph_words"

# jieba's own block patterns (jieba.re_han_default, jieba.re_skip_default).
_RE_HAN = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
_RE_SKIP = re.compile(r"(\r\n|\s)")


@cache
def _tag_table() -> dict[str, str]:
    from jieba.posseg import dt

    return dt.word_tag_tab


def _rjieba_cut(text: str) -> list[str]:
    """`jieba.cut(text)` with the dictionary DAG from rjieba (jieba.Tokenizer.cut/__cut_DAG)."""
    words = _tag_table()  # every dictionary word (all have a frequency above zero)
    dag_cut = rjieba.cut
    hmm_cut = finalseg.cut
    out: list[str] = []
    for blk in _RE_HAN.split(text):
        if not blk:
            continue
        if _RE_HAN.fullmatch(blk) is None:
            for x in _RE_SKIP.split(blk):
                if _RE_SKIP.match(x):
                    out.append(x)
                else:
                    out.extend(x)
            continue
        # rjieba without HMM returns the DAG route, except that it glues runs of single Latin
        # letters and digits together (as jieba's no-HMM mode does): those are single-character
        # steps of the route, so they go into the buffer like any other single character.
        buf = ""
        for w in dag_cut(blk, False):
            if len(w) == 1 or (w.isascii() and w.isalnum() and w not in words):
                buf += w
                continue
            _flush(buf, words, hmm_cut, out)
            buf = ""
            out.append(w)
        _flush(buf, words, hmm_cut, out)
    return out


def _flush(
    buf: str, words: dict[str, str], hmm_cut: Callable[[str], Iterable[str]], out: list[str]
) -> None:
    """Emit a run of single characters the way jieba does: unknown runs go to its HMM."""
    if not buf:
        return
    if len(buf) == 1:
        out.append(buf)
    elif buf not in words:
        out.extend(hmm_cut(buf))
    else:
        out.extend(buf)


def _jieba_cut(text: str) -> list[str]:
    return list(jieba.cut(text, cut_all=False))


def segmenter() -> Callable[[str], list[str]]:
    """The segmentation function in use (rjieba-accelerated when rjieba is installed)."""
    return _jieba_cut if rjieba is None else _rjieba_cut


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """`spacy.util.get_words_and_spaces`, the same algorithm without copying the rest of the
    text for every word (the original slices `text[pos:]` per word: quadratic on long texts)."""
    if "".join(words) != text:  # segmentation always covers the text; keep spaCy's checks else
        return get_words_and_spaces(words, text)
    text_words: list[str] = []
    text_spaces: list[bool] = []
    text_pos = 0
    at = 0  # where `word` sits: the words concatenate to the text
    end = len(text)
    for word in words:
        here, at = at, at + len(word)
        if word.isspace():
            continue
        # spaCy searches from text_pos; only whitespace lies between text_pos and `here`, so
        # the search finds `here` unless the word itself opens with whitespace
        word_start = text.index(word, text_pos) if word[0].isspace() else here
        if word_start > text_pos:
            text_words.append(text[text_pos:word_start])
            text_spaces.append(False)
            text_pos = word_start
        text_pos += len(word)
        if text_pos < end and text[text_pos] == " ":
            text_words.append(word)
            text_spaces.append(True)
            text_pos += 1
        else:
            text_words.append(word)
            text_spaces.append(False)
    if text_pos < end:
        text_words.append(text[text_pos:])
        text_spaces.append(False)
    return text_words, text_spaces


class JiebaTokenizer:
    """spaCy tokenizer for Chinese: the tokens of spaCy's own `segmenter: jieba` tokenizer."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.cut = segmenter()

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces([w for w in self.cut(text) if w], text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[WORDS_KEY] = (words, spaces)
        return doc


@Language.component("innograph_document")
def document_component(doc: Doc) -> Doc:
    state: DocState = state_of(doc)
    state.sentences = split_sentences(state.text)
    if doc.lang_ == "zh" and len(doc):
        tags = _tag_table()
        tokens = []
        pos = 0
        made = doc.user_data.get(WORDS_KEY)
        if made is not None and len(made[0]) == len(doc):
            pairs = zip(*made, strict=True)
        else:  # a Doc from another tokenizer: text_with_ws is cheaper than doc.text per token
            pairs = ((t.text, bool(t.whitespace_)) for t in doc)
        for word, space in pairs:
            # whitespace tokens stay (tagged "w"): a line break ends a name like punctuation
            tag = "w" if word.isspace() else tags.get(word, "?")
            end = pos + len(word)
            tokens.append(Token(pos, end, word, tag))
            pos = end + 1 if space else end
        state.tokens = tokens
    state.index()
    return doc
