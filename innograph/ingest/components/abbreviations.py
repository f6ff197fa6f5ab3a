"""Short forms of Chinese organisation names that the text never declares.

Government bodies are named in full once and by a conventional abbreviation afterwards:
`上海市科学技术委员会` ... `市科委`, `上海市科学技术协会` ... `市科协`,
`上海市推进科技创新中心建设办公室` ... `市科创办`. The abbreviation keeps the administrative
level (市/省/区/县), the first character of some of the body's words (科学技术 -> 科 or 科技)
and the first character of the head (委员会 -> 委, 协会 -> 协, 办公室 -> 办), in order. So the
short forms of a full name are derived from its own words (`derived_pattern`), and every use of
one in the document is linked to the full name; the short form also becomes an alias, so other
documents that use it resolve to the same entity (`resolve.py` matches aliases).

A short form with no full name in the document (`市科协` alone) is still a government body:
`gov_abbreviations.tsv` lists the conventional bodies (科协, 科委, 经信委 ...) with the full
body they stand for, and `find_standalone` turns `[place][level]+body` into an organisation
named by its surface, with the expanded form as an alias.

Parks are named in full and then by their head alone (`苏州工业园区` ... `园区管委会`): a
generic name that opens with a park head word expands to the park named earlier
(`expand_park_prefix`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from innograph.ingest.components import lexicon
from innograph.ingest.components.state import DocState, Mention, Token
from innograph.model import Label

GOV_RULE = "org.gov_abbreviation"
DERIVED_RULE = "ref.derived_abbreviation"

_LEVELS = "市省区县州"
_LEVELLED_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,3}?[市省区县州]")
# Heads and the character(s) an abbreviation keeps of them, longest first.
_HEAD_KEEP: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("管理委员会", ("管委会", "管委")),
    ("委员会", ("委",)),
    ("办公室", ("办",)),
    ("联合会", ("联",)),
    ("促进会", ("促进会",)),
    ("协会", ("协",)),
    ("学会", ("学会",)),
    ("研究院", ("院",)),
    ("科学院", ("科院",)),
    ("管委会", ("管委会",)),
    ("局", ("局",)),
    ("厅", ("厅",)),
)


@cache
def _gov_table() -> dict[str, str]:
    """Abbreviated body (科协) -> full body (科学技术协会), from gov_abbreviations.tsv."""
    return {row[0]: row[1] for row in lexicon._rows("gov_abbreviations.tsv")}


@cache
def _standalone_pattern() -> re.Pattern[str]:
    bodies = lexicon.trie_regex(sorted(_gov_table(), key=len, reverse=True))
    places = lexicon.trie_regex(
        [f for t in lexicon.places().terms for f in t.forms if not f.isascii()]
    )
    return re.compile(rf"(?:{places})?[{_LEVELS}]?(?:{bodies})")


def find_standalone(state: DocState) -> None:
    """`市科协`, `省科技厅`, `上海市科委`: a level (and place) + a conventional abbreviation of a
    government body is an organisation; the surface names it, the expansion is an alias."""
    text = state.text
    if not any(ch in text for ch in "委协办"):  # every listed body ends with one of these
        return
    table = _gov_table()
    for m in _standalone_pattern().finditer(text):
        surface = m.group()
        body = next((b for b in sorted(table, key=len, reverse=True) if surface.endswith(b)), "")
        if not body:
            continue
        lead = surface[: -len(body)]
        if not lead:
            continue  # 科协 alone: too often a part of a longer word
        end = m.end()
        if end < len(text) and "\u4e00" <= text[end] <= "\u9fff" and _continues(state, end):
            continue  # 市科委员 ...: the body runs on into another word
        expanded = lead + table[body]
        state.add(
            Mention(
                m.start(),
                end,
                Label.ORGANIZATION,
                GOV_RULE,
                0.85,
                canonical=surface,
                aliases=(expanded,),
                props={"head": body[-1], "abbreviation_of": expanded},
            )
        )


def _continues(state: DocState, end: int) -> bool:
    """Whether the word at `end` glues onto what precedes it (a jieba token crossing `end`)."""
    i = state.token_at(end - 1)
    return 0 <= i < len(state.tokens) and state.tokens[i].end > end


def _head_of(name: str) -> tuple[str, tuple[str, ...]] | None:
    for head, keep in _HEAD_KEEP:
        if name.endswith(head):
            return head, keep
    return None


@lru_cache(maxsize=1 << 12)
def derived_pattern(level: str, body_words: tuple[str, ...], keep: tuple[str, ...]) -> str:
    """A regex for the short forms of a name: its level, then in order an optional
    abbreviation of each body word (its first character, or for a four-character word its
    first and third: 科学技术 -> 科 / 科技), then the kept form of the head."""
    parts = []
    for word in body_words:
        if len(word) == 4:
            parts.append(f"(?:{re.escape(word[0])}(?:{re.escape(word[2])})?)?")
        else:
            parts.append(f"(?:{re.escape(word[0])})?")
    head = "(?:" + "|".join(map(re.escape, sorted(keep, key=len, reverse=True))) + ")"
    return re.escape(level) + "".join(parts) + head


def _body_words(state: DocState, start: int, end: int) -> list[str]:
    """The jieba words of text[start:end], cut at the span's edges."""
    out = []
    i = max(state.token_at(start), 0)
    toks: list[Token] = state.tokens
    while i < len(toks) and toks[i].start < end:
        t = toks[i]
        piece = state.text[max(t.start, start) : min(t.end, end)]
        if piece:
            out.append(piece)
        i += 1
    return out


def derive(state: DocState, names: list[Mention]) -> list[Mention]:
    """Link every use of a derived short form of a government body's full name to it.

    Returns the new short-form mentions; a mention already found at exactly that span (by the
    model or `find_standalone`) is turned into a short form of the full name instead."""
    text = state.text
    if not state.tokens:
        return []
    by_span = {(m.start, m.end): m for m in names}
    added: list[Mention] = []
    places = lexicon.places()
    for m in names:
        if m.label != Label.ORGANIZATION or m.kind != "name" or m.end - m.start < 5:
            continue
        name = text[m.start : m.end]
        head = _head_of(name)
        lead = places.pattern.match(name)
        if lead is None or lead.group()[-1:] not in _LEVELS:
            lead = _LEVELLED_PLACE.match(name)  # 宜宾市 when the gazetteer lacks the city
        if head is None or lead is None or lead.group()[-1:] not in _LEVELS:
            continue
        body_start, body_end = m.start + lead.end(), m.end - len(head[0])
        if body_end <= body_start:
            continue
        words = tuple(_body_words(state, body_start, body_end))
        # 湖南省科技厅 in a headline: the short form may keep the place before the level
        place = re.escape(lead.group()[:-1])
        pattern = re.compile(f"(?:{place})?" + derived_pattern(lead.group()[-1], words, head[1]))
        forms: list[str] = []
        for use in pattern.finditer(text):
            s, e = use.span()
            if m.start <= s < m.end or e - s < 3 or e - s >= m.end - m.start:
                continue
            if e - s - 1 - min(len(k) for k in head[1]) < 1:
                continue  # level + head alone (市委) is another body
            surface = use.group()
            if surface not in forms:
                forms.append(surface)
            known = by_span.get((s, e))
            if known is not None:
                known.kind, known.generic = "short", False
                known.label = m.label
                known.props["short_of"] = m.start
                continue
            short = Mention(s, e, m.label, DERIVED_RULE, 0.85, kind="short")
            short.props["short_of"] = m.start
            added.append(short)
            by_span[(s, e)] = short
        if forms:
            m.aliases = (*m.aliases, *forms)
    state.mentions.extend(added)
    return added


_SCHOOL_HEADS = (("大学", "大"), ("学院", "院"))


def derive_schools(state: DocState, names: list[Mention]) -> list[Mention]:
    """香港中文大学 ... 中大, 西安交通大学 ... 西交大: the first character of the words after
    the place (and optionally the place's first), then 大 of 大学. Only whole words count:
    中大 inside 集中大量 is no abbreviation."""
    text, toks = state.text, state.tokens
    starts = {t.start for t in toks}
    ends = {t.end for t in toks}
    taken = {(m.start, m.end) for m in names}
    added: list[Mention] = []
    for m in names:
        if m.label != Label.INSTITUTE or m.kind != "name":
            continue
        name = text[m.start : m.end]
        head = next((h for h in _SCHOOL_HEADS if name.endswith(h[0])), None)
        lead = lexicon.places().pattern.match(name)
        if head is None or lead is None:
            continue
        body_start, body_end = m.start + lead.end(), m.end - len(head[0])
        words = _body_words(state, body_start, body_end)
        if not words or len(words) > 3:
            continue
        body = "".join(f"(?:{re.escape(w[0])})" for w in words)
        pattern = re.compile(f"(?:{re.escape(lead.group()[0])})?{body}{re.escape(head[1])}")
        forms: list[str] = []
        for use in pattern.finditer(text):
            s, e = use.span()
            if m.start <= s < m.end or s not in starts or e not in ends or (s, e) in taken:
                continue
            if use.group() not in forms:
                forms.append(use.group())
            short = Mention(s, e, m.label, DERIVED_RULE, 0.8, kind="short")
            short.props["short_of"] = m.start
            added.append(short)
            taken.add((s, e))
        if forms:
            m.aliases = (*m.aliases, *forms)
    state.mentions.extend(added)
    return added


def expand_park_prefix(state: DocState, names: list[Mention]) -> None:
    """`园区管委会` after `苏州工业园区`: a generic organisation name opening with a park's head
    word is the park's own body; it takes the park's full name (alias: the surface)."""
    text = state.text
    parks = [m for m in names if m.label == Label.PARK and m.kind == "name" and not m.generic]
    if not parks:
        return
    for m in names:
        if not m.generic or m.label not in (Label.ORGANIZATION, Label.INSTITUTE):
            continue
        surface = text[m.start : m.end]
        for park in reversed([p for p in parks if p.end <= m.start]):
            park_name = park.canonical or text[park.start : park.end]
            head = next(
                (h for h in _PARK_HEADS if park_name.endswith(h) and surface.startswith(h)), ""
            )
            if head and len(surface) > len(head):
                m.canonical = park_name + surface[len(head) :]
                m.aliases = (*m.aliases, surface)
                m.generic = False
                break


_PARK_HEADS = ("园区", "开发区", "高新区", "新区", "科学城", "科技城", "自贸区", "示范区")
