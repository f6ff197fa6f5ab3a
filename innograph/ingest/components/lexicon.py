"""Loading the data files in `ingest/lexicons/` into lookup structures, once per process.

Every table is plain text (tsv/txt, `#` comments) so that adding a technology, a place or an
abbreviation is a data change, never a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from innograph.model import Label
from innograph.names import name_key

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"


def _rows(name: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _words(name: str) -> list[str]:
    out: list[str] = []
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        out.extend(line.split())
    return out


def _alts(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


@dataclass(slots=True, frozen=True)
class Term:
    """One lexicon entry: canonical names in both languages and every synonym."""

    zh: str
    en: str
    label: Label
    forms: tuple[str, ...]  # every surface form, canonical ones included
    weak: frozenset[str] = frozenset()  # forms that are also ordinary words (小米, 美的)

    def name_for(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh or self.en


@dataclass(slots=True)
class Gazetteer:
    """Surface form -> term, with one compiled alternation for fast scanning.

    Han forms match anywhere (Chinese has no word spaces); Latin forms need word boundaries,
    and short all-caps acronyms (AI, IC, UK) match case-sensitively so that `ai` or `us`
    inside ordinary English are not taken for them. With `case_sensitive` every Latin form
    does: proper names are written capitalised, and `Apple` is a firm where `apple` is not.
    """

    terms: list[Term]
    case_sensitive: bool = False
    by_key: dict[str, Term] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(default=re.compile(r"(?!x)x"))

    def __post_init__(self) -> None:
        han: list[str] = []
        sensitive: list[str] = []
        insensitive: list[str] = []
        for term in self.terms:
            for form in term.forms:
                self.by_key.setdefault(name_key(form), term)
                if not _has_latin(form):
                    han.append(form)
                elif self.case_sensitive or (len(form) <= 4 and form.upper() == form):
                    sensitive.append(form)
                else:
                    insensitive.append(form.lower())
        # One alternation whose every branch opens with a literal character: `re` then scans
        # for those characters in C and tries a match only where one occurs (a leading
        # lookahead class or word-boundary assertion would make it try every position,
        # 5x slower). Branches keep the order han, insensitive, sensitive.
        branches = [re.escape(ch) + _trie_to_regex(rest) for ch, rest in _trie(han).items()]
        for ch, rest in _trie(insensitive).items():
            tail = _AFTER_BOUND + "(?i:" + _trie_to_regex(rest) + ")" + _BOUND_R
            for first in dict.fromkeys((ch, ch.upper())):
                if len(first) == 1:
                    branches.append(re.escape(first) + tail)
        for ch, rest in _trie(sensitive).items():
            branches.append(re.escape(ch) + _AFTER_BOUND + _trie_to_regex(rest) + _BOUND_R)
        self.pattern = re.compile("|".join(branches) or r"(?!x)x")

    def lookup(self, surface: str) -> Term | None:
        return self.by_key.get(name_key(surface))


_LATIN = re.compile(r"[A-Za-z]")


def _has_latin(text: str) -> bool:
    return _LATIN.search(text) is not None


# Latin forms stand between word boundaries; the left one is checked after the form's first
# character has been consumed (see `Gazetteer`), so it looks one character further back.
_AFTER_BOUND = r"(?<![A-Za-z0-9\-].)"
_BOUND_R = r"(?![A-Za-z0-9\-])"


def trie_regex(words: list[str]) -> str:
    """One regex alternation with shared prefixes factored out, longest match first.

    A flat alternation of a few hundred words makes `re` try every branch at every position
    (the gazetteers were a third of extraction time); a trie fails at the first character.
    """
    return _trie_to_regex(_trie(words))


def _trie(words: list[str]) -> dict[str, dict]:
    """Character trie of `words`; the key "" marks the end of a word."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _trie_to_regex(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_to_regex(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a word ends here: the longer continuation is tried first, then nothing
        return "(?:" + body + ")?"
    return body


def _term_table(name: str, label: Label) -> list[Term]:
    terms = []
    for row in _rows(name):
        row += [""] * (3 - len(row))
        zh, en, others = row[0], row[1], row[2]
        forms = tuple(dict.fromkeys(f for f in (zh, en, *_alts(others)) if f))
        terms.append(Term(zh=zh, en=en, label=label, forms=forms))
    return terms


@cache
def technologies() -> Gazetteer:
    return Gazetteer(_term_table("technologies.tsv", Label.TECHNOLOGY))


@cache
def places() -> Gazetteer:
    return Gazetteer(_term_table("places.tsv", Label.PLACE))


@cache
def known_orgs() -> Gazetteer:
    """Well-known organisations (known_orgs.tsv) and firms known by brand (known_firms.tsv)."""
    terms = []
    for row in _rows("known_orgs.tsv"):
        row += [""] * (3 - len(row))
        forms = tuple(dict.fromkeys([row[0], *_alts(row[2])]))
        english = next((f for f in forms if _has_latin(f) and " " in f), "")
        terms.append(Term(zh=row[0], en=english, label=Label(row[1]), forms=forms))
    terms.extend(known_firms())
    return Gazetteer(terms, case_sensitive=True)


def known_firms() -> list[Term]:
    """Rows `zh, en, forms`; a form written `~form` is also an ordinary word (see the file)."""
    terms = []
    for row in _rows("known_firms.tsv"):
        row += [""] * (3 - len(row))
        zh, en, others = row[0], row[1], _alts(row[2])
        weak = frozenset(f[1:] for f in others if f.startswith("~"))
        forms = tuple(dict.fromkeys(f.lstrip("~") for f in (zh, en, *others) if f))
        terms.append(Term(zh=zh, en=en, label=Label.FIRM, forms=forms, weak=weak))
    return terms


@dataclass(slots=True, frozen=True)
class Suffixes:
    label_of: dict[str, Label]
    generic_ok: frozenset[str]
    pattern: re.Pattern[str]


@cache
def zh_org_suffixes() -> Suffixes:
    label_of: dict[str, Label] = {}
    generic: set[str] = set()
    for row in _rows("org_suffixes.tsv"):
        label_of[row[0]] = Label(row[1])
        if len(row) > 2 and row[2] == "1":
            generic.add(row[0])
    return Suffixes(label_of, frozenset(generic), re.compile(trie_regex(list(label_of))))


@dataclass(slots=True, frozen=True)
class EnglishHeads:
    label_of: dict[str, Label]  # head word (as written) -> label
    lead: frozenset[str]  # heads that may be followed by "of X" / "for X"


@cache
def en_org_heads() -> EnglishHeads:
    label_of: dict[str, Label] = {}
    lead: set[str] = set()
    for word, label, position in _rows("org_suffixes_en.tsv"):
        label_of[word] = Label(label)
        if position in {"lead", "both"}:
            lead.add(word)
    return EnglishHeads(label_of, frozenset(lead))


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames)."""
    words = _words("surnames.txt")
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) > 1)


@cache
def titles() -> dict[str, str]:
    """Title word -> kind (academician, role, academic, honorific)."""
    return {row[0]: row[1] for row in _rows("titles.tsv")}


@cache
def title_pattern() -> re.Pattern[str]:
    return re.compile(trie_regex(list(titles())))


@cache
def name_blockers() -> frozenset[str]:
    return frozenset(_words("name_blockers.txt"))


@cache
def generic_phrases() -> frozenset[str]:
    """Phrases naming a kind of organisation (有关部门, 科创机构), see generic_phrases.txt."""
    return frozenset(_words("generic_phrases.txt"))


@cache
def relation_triggers() -> dict[str, dict[str, list[str]]]:
    """Relation type -> rule family -> trigger words (see relation_triggers.tsv)."""
    table: dict[str, dict[str, list[str]]] = {}
    for rel, family, words in _rows("relation_triggers.tsv"):
        table.setdefault(rel, {})[family] = _alts(words)
    return table
