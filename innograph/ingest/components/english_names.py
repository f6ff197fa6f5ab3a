"""English person names without a title, role or speech verb next to them.

A capitalised pair is read as a person when its first word is a known given name (`Jane
Porter`, `Tomasz Wielgosz`) or, surname first as English news writes Chinese names, when its
first word is a romanised Chinese surname and its second is made of pinyin syllables (`Fang
Yuchen`, `Liu Shuqin`). The names come from `lexicons/en_given_names.txt` (built offline from
Faker's MIT-licensed lists by scripts/build_given_names.py).

The pair must stand alone: a capitalised word right before or after it makes it part of a longer
name (`Morgan Stanley Ventures`, `Grant Thornton`), and nothing the organisation, place and
technology rules found may overlap it.
"""

from __future__ import annotations

import re
from functools import cache

from innograph.ingest.components import lexicon
from innograph.ingest.components.state import DocState, Mention
from innograph.model import Label

GIVEN_NAME_RULE = "person.en_given_name"

_INITIALS = "zh|ch|sh|b|p|m|f|d|t|n|l|g|k|h|j|q|x|r|z|c|s|y|w"
_FINALS = (
    "iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|"
    "ua|uo|ui|ue|er|a|o|e|i|u|v"
)
_PINYIN_WORD = re.compile(rf"(?:(?:{_INITIALS})?(?:{_FINALS})){{1,2}}")
_PARTICLE = r"(?:(?:de|van|von|der|den|da|di|du|le|la|bin|al|dos|del|ter)\s+){0,2}"
_CAP = r"(?:Mc|Mac|O')?[A-Z][a-z\u00df-\u024f]+(?:[-'][A-Z]?[a-z\u00df-\u024f]+)?"
# Given [Initial.] [particle] Surname; a third capitalised word makes it some other name
_PAIR = re.compile(
    rf"(?<![A-Za-z\-'’])(?P<given>{_CAP})\s+(?:[A-Z]\.\s+)?{_PARTICLE}(?P<last>{_CAP})"
    r"(?![A-Za-z\-])"
)
_CAP_BEFORE = re.compile(r"(?:^|[^A-Za-z])([A-Z][A-Za-z\-]*|[A-Z]{2,}) $")
# words that never end or sit in a person's name although they are capitalised
_NOT_IN_NAME_TEXT = (
    "The Of And For University Institute College School Academy Centre Center Laboratory "
    "Lab Labs Park Campus Ventures Capital Partners Fund Group Holdings Technologies Technology "
    "Robotics Systems Foundation Trust Council Agency Ministry Programme Program Forum Summit "
    "Conference Said Says He She They It Its His Her Their This That These Those Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Street Road Square Hall Hospital Bio Series "
    "Prize Award Medal Fellowship Scholarship Lecture Chair Professor Director"
)
_NOT_IN_NAME = frozenset(_NOT_IN_NAME_TEXT.split())
_TITLES_BEFORE = frozenset(
    ["Dr", "Dr.", "Prof", "Prof.", "Professor", "Mr", "Ms", "Mrs", "Mr.", "Ms.", "Mrs.", "Sir"]
    + ["Dame", "Academician", "Lord", "Lady", "Commissioner", "Minister", "Mayor", "Governor"]
    + ["Senator", "President", "Director", "Chairman", "Chairwoman", "Ambassador", "Secretary"]
    + ["Chancellor", "Provost", "Dean", "Councillor", "Deputy", "Chief", "Executive"]
)


@cache
def _sections() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    current = ""
    path = lexicon.LEXICON_DIR / "en_given_names.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = line.strip("[]")
            continue
        out.setdefault(current, set()).update(line.split())
    return {k: frozenset(v) for k, v in out.items()}


def given_names() -> frozenset[str]:
    return _sections().get("given", frozenset())


def pinyin_surnames() -> frozenset[str]:
    return _sections().get("pinyin_surnames", frozenset())


def is_pinyin_given(word: str) -> bool:
    """`Yuchen`, `Kaifeng`, `Wei`: one or two pinyin syllables (lower-case after the capital)."""
    return word[:1].isupper() and _PINYIN_WORD.fullmatch(word.lower()) is not None


def looks_like_person(words: list[str]) -> bool:
    """Two or three words that read as a name by the lexicon alone."""
    if len(words) < 2 or any(w in _NOT_IN_NAME for w in words):
        return False
    if words[0] in given_names():
        return True
    return len(words) == 2 and words[0] in pinyin_surnames() and is_pinyin_given(words[1])


def _covered(cover: bytearray, start: int, end: int) -> bool:
    return cover.find(1, start, end) >= 0


def english_given_names(state: DocState) -> None:
    """Add a PERSON mention for every standalone capitalised pair that reads as a name."""
    text = state.text
    cover = bytearray(len(text))
    for m in state.mentions:
        cover[m.start : m.end] = b"\x01" * (m.end - m.start)
    places = lexicon.places()
    heads = lexicon.en_org_heads().label_of
    pos = 0
    while (m := _PAIR.search(text, pos)) is not None:
        # a rejected pair may hide a name one word on (Commissioner Anna Lindqvist)
        pos = m.start("last")
        words = [m.group("given"), m.group("last")]
        end = m.end("last")
        if not looks_like_person(words):
            continue
        start = m.start("given")
        before = _CAP_BEFORE.search(text, max(0, start - 40), start)
        if before and before.group(1) not in _TITLES_BEFORE and not _sentence_start(text, before):
            continue  # Morgan Stanley after another capitalised word: part of a longer name
        if _CAP_AFTER.match(text, end):
            continue
        if any(w in heads for w in words[1:]) or any(places.lookup(w) for w in words):
            continue
        if places.lookup(" ".join(words)) is not None:
            continue
        if _covered(cover, start, end):
            continue
        pos = end
        state.add(Mention(start, end, Label.PERSON, GIVEN_NAME_RULE, 0.6))


_CAP_AFTER = re.compile(r"[ \t]+(?:[A-Z][a-z]+\b|&)")


def _sentence_start(text: str, before: re.Match[str]) -> bool:
    """The capitalised word before the pair opens its sentence (`Yesterday Jane Porter`)?
    Only function words count: a capitalised name there still joins the pair."""
    word = before.group(1)
    return word in {"The", "In", "On", "At", "By", "With", "And", "But", "As", "When", "After"}
