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
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import compress

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
_WHITESPACE = re.compile(r"\s")  # str.isspace, as a pattern


@cache
def _tag_table() -> dict[str, str]:
    from jieba.posseg import dt

    return dt.word_tag_tab


def _rjieba_cut(text: str) -> list[str]:
    """`jieba.cut(text)` with the dictionary DAG from rjieba (jieba.Tokenizer.cut/__cut_DAG)."""
    words = _tag_table()  # every dictionary word (all have a frequency above zero)
    dag_cut = rjieba.cut
    out: list[str] = []
    # Both patterns capture, so split() alternates the text between matches (odd positions:
    # the matches themselves), which spares testing each piece again as jieba does.
    for i, blk in enumerate(_RE_HAN.split(text)):
        if not i & 1:
            for j, x in enumerate(_RE_SKIP.split(blk)):
                if j & 1:
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
            if buf:
                _flush(buf, words, out)
                buf = ""
            out.append(w)
        if buf:
            _flush(buf, words, out)
    return out


def _flush(buf: str, words: dict[str, str], out: list[str]) -> None:
    """Emit a run of single characters the way jieba does: unknown runs go to its HMM."""
    if len(buf) == 1:
        out.append(buf)
    elif buf not in words:
        out.extend(_hmm_cut(buf))
    else:
        out.extend(buf)


@lru_cache(maxsize=1 << 15)
def _hmm_cut(buf: str) -> tuple[str, ...]:
    """jieba's HMM cut of an unknown run. Pure for a fixed dictionary (which the tag table
    above assumes too), and the runs are mostly names, which recur within and across
    documents: remembering them saves half the segmentation time. Bounded, as the runs of a
    long ingest are unbounded."""
    return tuple(finalseg.cut(buf))


def _jieba_cut(text: str) -> list[str]:
    return [w for w in jieba.cut(text, cut_all=False) if w]


def segmenter() -> Callable[[str], list[str]]:
    """The segmentation function in use (rjieba-accelerated when rjieba is installed); it
    gives no empty words."""
    return _jieba_cut if rjieba is None else _rjieba_cut


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """`spacy.util.get_words_and_spaces`, computed per run of whitespace rather than per word
    (the original also slices `text[pos:]` per word: quadratic on long texts).

    spaCy drops whitespace words; a single space right after a word becomes that word's
    trailing space and any other whitespace between two words becomes a token of its own."""
    gaps = list(compress(range(len(words)), map(str.isspace, words)))
    spaced = sum(len(words[i]) for i in gaps)
    if not all(words) or spaced != len(_WHITESPACE.findall(text)) or "".join(words) != text:
        # not a segmentation, or empty words or words mixing text and whitespace (jieba
        # makes none of these)
        return get_words_and_spaces(words, text)
    out_words: list[str] = []
    out_spaces: list[bool] = []
    start = k = 0
    while k < len(gaps):
        first = gaps[k]  # a run of whitespace words: words[first:last]
        last = first + 1
        k += 1
        while k < len(gaps) and gaps[k] == last:
            last += 1
            k += 1
        out_words += words[start:first]
        out_spaces += [False] * (first - start)
        gap = "".join(words[first:last])
        if first > 0 and gap[0] == " ":
            out_spaces[-1] = True
            gap = gap[1:]
        if gap:
            out_words.append(gap)
            out_spaces.append(False)
        start = last
    out_words += words[start:]
    out_spaces += [False] * (len(words) - start)
    return out_words, out_spaces


class JiebaTokenizer:
    """spaCy tokenizer for Chinese: the tokens of spaCy's own `segmenter: jieba` tokenizer."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.cut = segmenter()

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.cut(text), text)
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
