"""Name keys: the one normal form used to match names and aliases everywhere (extraction,
resolution, lookup). Pure functions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# tw2s rather than t2s: t2s leaves 著 in 標志著 unconverted, tw2s gives 标志着.
_T2S = opencc.OpenCC("tw2s")

_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉·•・.,，、]")


@lru_cache(maxsize=1 << 16)
def to_simplified(text: str) -> str:
    return _T2S.convert(text)


@lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """Case-, width-, script- and punctuation-insensitive key of a name.

    `俄羅斯院士創新基地（中國）`, `俄罗斯院士创新基地(中国)` and ` 俄罗斯院士创新基地 (中国)`
    share one key; `Royal Veterinary College` and `royal veterinary college` too.
    """
    s = unicodedata.normalize("NFKC", name or "")
    s = to_simplified(s).casefold()
    return _DROP.sub("", s)
