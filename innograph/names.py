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


def clean_query(text: str | None) -> str:
    """What a person typed, as a name or search string: control and format characters
    dropped (no real name contains them, and they only make keys and logs misbehave), tabs
    and newlines as spaces, surrounding whitespace trimmed."""
    if not text:
        return ""
    kept = (" " if ch in "\t\r\n" else ch for ch in text)
    return "".join(
        ch for ch in kept if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    ).strip()
