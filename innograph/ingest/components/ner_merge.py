"""`innograph_ner_merge`: folds the statistical model's spans (`doc.spans["stat_ner"]`, written
by `innograph_stat_ner` when its model is installed) into the rule mentions.

Policy, so that neither source silently overrides the other:
- where a model span overlaps rule/gazetteer mentions, the rules win - unless the model span
  strictly contains a rule mention of a compatible type (same family: a model `Firm` around a
  rule `Firm`, or around a rule Place that starts it), in which case the model's wider
  boundary replaces those rule mentions; the replaced rule is recorded in `props["replaced"]`;
- a widened span must still look like a name: organisations end with a known head (大学,
  有限公司, 峰会 ...) and contain no stop token (verbs like 应, particles, titles like 代表),
  and never glue two rule names together (`X基地(中国)应大会组委会` is rejected);
- spans the rules did not see enter with lower confidence (model confidence x 0.8) and only
  when they pass the same sanity filters: 2-30 characters, no sentence punctuation, not starting
  with a blocker word or title; Chinese person names start with a surname (or are
  transliterated with `·`), have at most 4 Han characters and are not made of common
  dictionary words (高端智力); places end with an administrative suffix (省/市/区/县/镇/路...).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from innograph.ingest.components import lexicon, organizations
from innograph.ingest.components.state import DocState, Mention, Token, state_of
from innograph.model import FAMILY_OF, Family, Label

SPAN_KEY = "stat_ner"
MODEL_RULE = "ner.stat_model"
MODEL_WIDENED = "ner.stat_model+rule"
_DISCOUNT = 0.8
_BAD_CHARS = re.compile(r"[。！？!?；;，,、：:\n“”\"]")


@Language.component("innograph_ner_merge")
def ner_merge_component(doc: Doc) -> Doc:
    state = state_of(doc)
    spans = doc.spans.get(SPAN_KEY, []) if SPAN_KEY in doc.spans else []
    for span in spans:
        try:
            label = Label(span.label_)
        except ValueError:
            continue
        conf = span._.get("confidence") if span.has_extension("confidence") else None
        merge_span(state, span.start_char, span.end_char, label, float(conf or 0.7))
    return doc


def merge_span(state: DocState, start: int, end: int, label: Label, confidence: float) -> None:
    """Apply the policy above to one model span (char offsets into the document text)."""
    overlapping = [
        m for m in state.mentions if m.start < end and start < m.end and m.kind == "name"
    ]  # a handful of spans per document: the linear scan is cheaper than an index
    candidate = Mention(start, end, label, MODEL_RULE, round(confidence * _DISCOUNT, 3))
    if not overlapping:
        if _sane(state, candidate):
            state.add(candidate)
        return
    inside = [m for m in overlapping if start <= m.start and m.end <= end]
    strictly_wider = len(inside) == len(overlapping) and all(
        (m.start, m.end) != (start, end) for m in inside
    )
    if not strictly_wider or not all(_compatible(label, m) for m in inside):
        return  # the rules win
    names = [m for m in inside if FAMILY_OF[m.label] == FAMILY_OF[label]]
    if any(m.start != start and m.start > names[0].start for m in names[1:]):
        return  # two rule names glued together
    if not _sane(state, candidate):
        return
    replaced = {id(m) for m in inside}
    state.mentions[:] = [m for m in state.mentions if id(m) not in replaced]
    best = max(m.confidence for m in inside)
    candidate.extractor = MODEL_WIDENED
    candidate.confidence = round(max(best * 0.9, candidate.confidence), 3)
    candidate.props["replaced"] = [(m.start, m.end, m.extractor) for m in inside]
    state.add(candidate)


def _compatible(label: Label, rule: Mention) -> bool:
    if FAMILY_OF[label] == FAMILY_OF[rule.label]:
        return True
    # a place at the start of an organisation name (北京 in 北京字节跳动科技有限公司)
    return rule.label == Label.PLACE and FAMILY_OF[label] == Family.ORG


_ADMIN_SUFFIX = re.compile(r"[省市区县镇乡村路街道号州]$")


def _sane(state: DocState, m: Mention) -> bool:
    text = state.text[m.start : m.end]
    if not 2 <= len(text) <= 30 or _BAD_CHARS.search(text):
        return False
    blockers = lexicon.name_blockers()
    if text[:1] in blockers or text[:2] in blockers:
        return False
    titles = lexicon.titles()
    if any(text.startswith(t) or text.endswith(t) for t in titles):
        return False
    covered = [t for t in state.tokens if m.start <= t.start and t.end <= m.end]
    if m.label in (Label.PERSON, Label.ACADEMICIAN):
        return _person_ok(text, covered)
    if m.label == Label.PLACE:
        return lexicon.places().lookup(text) is not None or bool(_ADMIN_SUFFIX.search(text))
    if FAMILY_OF[m.label] == Family.ORG or m.label == Label.EVENT:
        if text.isascii():
            return True
        if any(organizations.is_name_stop(t) for t in covered):
            return False
        if covered and covered[-1].text in organizations.NOT_NAMES:
            return False  # 新发展格局 ends in 局 only as part of the word 格局
        heads = lexicon.zh_org_suffixes().label_of
        return lexicon.known_orgs().lookup(text) is not None or any(text.endswith(h) for h in heads)
    return True


def _person_ok(text: str, covered: list[Token]) -> bool:
    if text.isascii():
        return text[:1].isupper()
    if "·" in text:
        return True
    single, compound = lexicon.surnames()
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    if han > 4 or not (text[:1] in single or text[:2] in compound):
        return False
    # 高端智力 is two dictionary words, not a name
    return not any(
        len(t.text) >= 2 and not t.pos.startswith("nr") and t.pos != "?" for t in covered
    )
