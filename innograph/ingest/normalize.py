"""Text normalisation: the one form every later stage (extraction, offsets, evidence) sees.

    cleanup (BOM, newlines, control and zero-width chars) -> strip inline pinyin
        -> NFKC -> punctuation -> Traditional->Simplified (OpenCC tw2s)

Pure functions with no state besides the OpenCC converter; this runs on every character
ingested, so each step is a single C-level pass (regex, str.translate, NFKC, OpenCC).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

# tw2s rather than t2s: t2s leaves 著 in 標志著 unconverted, tw2s gives 标志着.
_T2S = opencc.OpenCC("tw2s")


@dataclass(slots=True, frozen=True)
class Normalized:
    text: str  # final Simplified text; all evidence offsets point into it
    # `text` before script conversion, same length and char-aligned with it
    traditional: str
    changed_script: bool


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# ---- step 1: decode-level cleanup --------------------------------------------------------

# C0/C1 controls except \t and \n (\r is turned into \n before this runs), zero-width
# characters and the BOM, which all survive decoding but carry no text.
_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff]")


def _cleanup(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _JUNK.sub("", text)


# ---- step 2: inline pinyin annotations ---------------------------------------------------

# The standard Mandarin syllable inventory (toneless, ü written as ü). Validating against it
# is what keeps `(AI)`, `(RVC)` or `(Beijing)`-like English from being mistaken for pinyin.
_SYLLABLES: frozenset[str] = _wordset(
    """
    a ai an ang ao e ei en eng er o ou
    yi ya yan yang yao ye yin ying yo yong you yu yuan yue yun
    wu wa wai wan wang wei wen weng wo
    ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
    pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
    ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
    fa fan fang fei fen feng fo fou fu
    da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo
    ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
    na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nun
    nuo nü nüe
    la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan
    lun luo lü lüe
    ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
    ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
    ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
    ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
    qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
    xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
    zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui
    zhun zhuo
    cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun
    chuo
    sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun
    shuo
    ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
    za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
    ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
    sa sai san sang sao se sen seng si song sou su suan sui sun suo
    """
)
_MAX_SYLLABLE = max(map(len, _SYLLABLES))

# tone-marked vowel -> toneless vowel; `v` is the common keyboard spelling of ü
_TONE_MARKS = {
    **dict.fromkeys("āáǎà", "a"),
    **dict.fromkeys("ēéěè", "e"),
    **dict.fromkeys("īíǐì", "i"),
    **dict.fromkeys("ōóǒò", "o"),
    **dict.fromkeys("ūúǔù", "u"),
    **dict.fromkeys("ǖǘǚǜ", "ü"),
}
_UNTONE = str.maketrans({**_TONE_MARKS, "v": "ü"})

# Han ideographs incl. extensions, compatibility ideographs and radicals (which NFKC turns
# into ordinary ideographs, so they must count already or a second pass would strip more).
_HAN = (
    r"\u2e80-\u2fdf\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\U00020000-\U0003134f"
)
_PINYIN_GROUP = re.compile(
    rf"(?<=[{_HAN}])[(（]([ \t'’\-a-zA-Z0-9\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]{{1,80}})[)）]"
)
_SPLIT_WORDS = re.compile(r"[\s'’\-]+")


@lru_cache(maxsize=1 << 14)
def _parse_syllables(word: str) -> tuple[tuple[str, int], ...] | None:
    """Split a word (tone marks already removed, tone digits kept) into (syllable, digit)
    pairs; digit is 0 when the syllable carries none. None when the word is not all pinyin.

    Longest match first with backtracking over cached suffixes: pinyin is nearly unambiguous
    (xian vs xi'an is the classic case, and either split is still pinyin, which is all that
    matters here)."""
    if not word:
        return ()
    for j in range(min(len(word), _MAX_SYLLABLE), 0, -1):
        if word[:j] not in _SYLLABLES:
            continue
        k, digit = j, 0
        if k < len(word) and word[k] in "12345":
            digit, k = int(word[k]), k + 1
        rest = _parse_syllables(word[k:])
        if rest is not None:
            return ((word[:j], digit), *rest)
    return None


@lru_cache(maxsize=1 << 14)
def is_pinyin_annotation(content: str) -> bool:
    """True when `content` (the inside of a parenthesis) is a pinyin reading.

    Decision: the group must parse completely into real syllables AND carry tone information:
    either tone marks (at most one per syllable, on at least one of them; neutral-tone
    syllables like `de` may stand beside marked ones) or a tone digit on every syllable (then
    all lowercase, as in `hui4`). Toneless groups are never stripped: a bare `(an)` or
    `(Beijing)` after Han text is as likely a romanised name or English word as a reading,
    and losing real text is worse than keeping a stray reading. Annotated sources (like the
    seed) always carry tone marks.
    """
    lowered = unicodedata.normalize("NFC", content.lower())
    marks = sum(ch in _TONE_MARKS for ch in lowered)
    has_digit = any(ch.isdigit() for ch in lowered)
    if marks and has_digit:
        return False
    if not marks and (not has_digit or lowered != content):
        # toneless, or digit style with capitals (`A1`, `Hui4` look like codes, not readings)
        return False
    syllables = 0
    for word in _SPLIT_WORDS.split(lowered.translate(_UNTONE)):
        if not word:
            continue
        parsed = _parse_syllables(word)
        if parsed is None:
            return False
        if has_digit and any(d == 0 for _, d in parsed):
            return False
        syllables += len(parsed)
    return syllables > 0 and marks <= syllables


def _drop_if_pinyin(match: re.Match[str]) -> str:
    return "" if is_pinyin_annotation(match.group(1)) else match.group(0)


def strip_pinyin(text: str) -> str:
    """Remove inline pinyin readings written directly after Han characters.

    `峰會(huì)` -> `峰會`, `產(chǎn)業(yè)` -> `產業`, `會（huì）` -> `會`, `會(hui4)` -> `會`;
    real parentheses such as `基地(中國)`, `(AI)`, `(2020年)`, `(Beijing)` survive.
    """
    if "(" not in text and "（" not in text:
        return text
    # A reading can be annotated twice (`會(huì)(huì)`): repeat until nothing changes so
    # that normalising already-normalised text is a no-op.
    for _ in range(8):
        stripped = _PINYIN_GROUP.sub(_drop_if_pinyin, text)
        if stripped == text:
            break
        text = stripped
    return text


# ---- step 4: punctuation -----------------------------------------------------------------

_PUNCT = str.maketrans(
    {
        # hyphen look-alikes -> ASCII hyphen, so codes, names and ranges match one way
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\u2015": "\u2014",  # horizontal bar -> em dash (the Chinese ——)
        # corner brackets are Traditional-style quotes: one quote style for extraction
        "「": "“",
        "」": "”",
        "『": "‘",
        "』": "’",
        "〝": "“",
        "〞": "”",
        "„": "“",
        "‟": "”",
        # name separators in transliterated foreign names (伊万·彼得罗夫)
        "・": "·",
        "‧": "·",
        "\t": " ",
    }
)
# Most texts hold none of these: a search finds that several times faster than translate
# takes to copy the text unchanged.
_PUNCT_CHARS = re.compile("[" + re.escape("".join(map(chr, _PUNCT))) + "]")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}")
_EDGE_SPACES = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def _punctuation(text: str) -> str:
    if _PUNCT_CHARS.search(text) is not None:
        text = text.translate(_PUNCT)
    text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:  # else every match is a bare line break, kept as is
        text = _EDGE_SPACES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip(" \n")


# ---- step 5: script ----------------------------------------------------------------------


@lru_cache(maxsize=1 << 14)
def _char_to_simplified(ch: str) -> str:
    converted = _T2S.convert(ch)
    return converted if len(converted) == 1 else ch


def _to_simplified_aligned(text: str) -> str:
    converted = _T2S.convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length; offsets must stay aligned with `traditional`,
    # so give up phrase context for this text and convert one character at a time.
    return "".join(map(_char_to_simplified, text))


def _has_han(text: str) -> bool:
    return _HAN_RE.search(text) is not None


_HAN_RE = re.compile(rf"[{_HAN}]")


def normalize(text: str) -> Normalized:
    """Normalise raw document text (see module docstring for the steps).

    Idempotent: normalize(normalize(x).text).text == normalize(x).text.
    """
    text = _cleanup(text)
    text = strip_pinyin(text)
    text = unicodedata.normalize("NFKC", text)
    # NFKC can turn full-width parentheses/letters and compatibility ideographs into the forms
    # the pinyin pattern matches best; a second (cheap, usually no-op) pass keeps this stable.
    text = strip_pinyin(text)
    text = _punctuation(text)
    if not _has_han(text):
        return Normalized(text=text, traditional=text, changed_script=False)
    simplified = _to_simplified_aligned(text)
    return Normalized(text=simplified, traditional=text, changed_script=simplified != text)


# ---- helpers used by the pipeline --------------------------------------------------------

_HAN_RUN = re.compile(rf"[{_HAN}]+")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def detect_lang(text: str) -> str:
    """ "zh" when Han characters are a meaningful share of the letters, else "en".

    One Han character carries about as much as a short English word (~5 letters), so text is
    "zh" when its Han characters, weighted 5 each, at least match its Latin letters: Chinese
    text full of English names stays "zh", English text quoting a few Chinese names is "en".
    """
    # counted by runs: a list of one string per character would cost more than the search
    han = sum(map(len, _HAN_RUN.findall(text)))
    if han == 0:
        return "en"
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    return "zh" if han * 5 >= latin else "en"


# Abbreviations after which ". " does not end an English sentence.
_ABBREVIATIONS = _wordset(
    """
    dr prof mr mrs ms mx st jr sr sen rep gov gen col lt capt sgt rev hon
    co ltd inc corp llc plc bros dept univ inst assn assoc est
    no nos vol vols fig figs p pp ed eds approx vs etc al cf ca
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft
    e.g i.e u.s u.k u.n e.u a.m p.m ph.d
    """
)
# Company suffixes often end a sentence ("... signed with Acme Ltd. The deal ..."): split
# after them only when the next word is a typical sentence opener.
_COMPANY_SUFFIXES = frozenset({"co", "ltd", "inc", "corp", "llc", "plc"})
_SENTENCE_OPENERS = _wordset(
    """
    the a an it its this that these those they he she we i in on at as after before
    during since while when with by for from under our their his her its there here
    but and however meanwhile also according
    """
)
_CLOSERS = "\"'”’」』》〉)）]】"
# a period run counts as a candidate end only when whitespace or the end of text follows,
# possibly after closing quotes: that is what keeps decimals (3.5) and domains whole
_BOUNDARY = re.compile(rf"[。！？!?；;\n]+|\.+(?=[{re.escape(_CLOSERS)}]*(?:\s|$))")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_NEXT_WORD = re.compile(r"\s*([\"'“‘(]?)(\S+)")


def _period_ends_sentence(text: str, dot: int, end: int) -> bool:
    """Decide whether the period run text[dot:end] (followed by whitespace or end of text)
    ends a sentence."""
    while end < len(text) and text[end] in _CLOSERS:
        end += 1
    if end - dot > 1 and text[dot + 1] == "." or end >= len(text):
        return True  # ellipsis before a space, or the final full stop
    before = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    nxt = _NEXT_WORD.match(text, end)
    if nxt is None:
        return True
    opener = nxt.group(2)
    first = opener[0]
    if first.islower():
        return False  # "approx. two", "e.g. a chip": the sentence goes on
    if before is None:
        return True
    word = before.group(1).lower()
    if len(word) == 1:
        return False  # initials: "J. Smith", and the "S" of "U.S"
    if word in _COMPANY_SUFFIXES:
        return opener.strip(",;:").lower() in _SENTENCE_OPENERS
    return word not in _ABBREVIATIONS


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over normalised text, whitespace trimmed, none empty.

    Splits on 。！？!?；; and newlines, and on a period followed by whitespace unless it
    closes an abbreviation (Dr., Prof., U.S., Co., Ltd., initials). Decimals never split
    (no whitespace after the dot). Closing quotes and brackets stay with their sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for match in _BOUNDARY.finditer(text):
        mstart, mend = match.span()
        if mstart < start:
            continue  # inside closers already absorbed
        if text[mstart] == "." and not _period_ends_sentence(text, mstart, mend):
            continue
        end = mend
        while end < n and text[end] in _CLOSERS:
            end += 1
        _add_span(text, start, end, spans)
        start = end
    _add_span(text, start, n, spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
