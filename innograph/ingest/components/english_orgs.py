"""English organisation names the head-word rules cannot see: names that put the head first in
another language (`Instituto Superior Técnico`, `Universidade de Aveiro`), health bodies
(`NHS Lothian`), bodies introduced by their kind (`the Portuguese innovation agency ANI`), and
firms named in lists whose lead word says what they are (`Existing investors Northern Gritstone
and Foxhollow Capital`, `partners include Harrowgate Farms, Brackenridge Agritech and ...`,
`backed by A and B`). Run by the organisations component for English text, after the head-word
rules, so a name they found is never proposed twice.
"""

from __future__ import annotations

import re

from innograph.ingest.components import english_names, lexicon
from innograph.ingest.components.state import DocState, Mention
from innograph.model import Label

EN_CONTEXT_RULE = "org.en_context"

_CAPWORD = r"(?:[A-Z][A-Za-z0-9\u00c0-\u024f&'\-]*)"
_FOREIGN_LEAD = re.compile(
    r"(?<![A-Za-z])(?:Instituto|Universidade|Universidad|Universit[àé]|Universität|Politecnico|"
    r"Accademia|Académie|Akademie|Academia|Fondazione|Fundação|Fundación|Consiglio|"
    r"Polit[ée]cnico|[ÉE]cole|Escola|Hochschule|Technische Universität|Scuola|Istituto)"
    r"(?:\s+(?:de|da|do|dos|das|del|della|delle|dei|degli|di|des|du|la|für|der|of)?\s*"
    rf"{_CAPWORD})+"
)
# "Mill 19, a former steel site", "Block71, a start-up hub": a site described by its kind
_DESCRIBED_SITE = re.compile(
    rf"(?<![A-Za-z])(?P<name>{_CAPWORD}(?:\s+{_CAPWORD})?(?:\s+[0-9]{{1,3}})?),\s+"
    r"(?:a|an)\s+"
    r"(?:[a-z\-]+\s+){0,3}?(?:site|campus|science park|park|innovation hub|hub|district|estate|"
    r"quarter|cluster|warehouse|factory|mill|shipyard|building|complex)\b"
)
# "the Horizon Europe programme", "the Biopolis campus": a name with a lower-case head
_PROGRAMME_WORDS = frozenset(["programme", "program", "scheme", "initiative"])
_LOWER_HEAD = re.compile(
    rf"(?<=\bthe )(?P<name>{_CAPWORD}(?:\s+{_CAPWORD}){{0,2}})\s+"
    r"(?P<head>programme|program|scheme|initiative|campus|science park|innovation district|"
    r"conference|summit|forum|expo|festival|symposium)\b"
)
_EVENT_WORDS = frozenset(["conference", "summit", "forum", "expo", "festival", "symposium"])
# "Oxbridge Antibodies, a 2019 spin-out from ...": a firm described with a year
_DESCRIBED_FIRM = re.compile(
    rf"(?<![A-Za-z])(?P<name>{_CAPWORD}(?:\s+{_CAPWORD}){{0,2}}),\s+(?:a|an)\s+(?:[0-9]{{4}}\s+)"
    r"(?:[a-z\-]+\s+){0,2}?(?:spin-out|spinout|spin-off|start-up|startup|company|firm)\b"
)
# "Agency for Science, Technology and Research": topic words listed with commas in a name
_TOPIC_LIST_NAME = re.compile(
    r"(?<![A-Za-z])(?:[A-Z][a-z]+\s+){0,2}"
    r"(?P<head>Agency|Ministry|Department|Council|Foundation|Academy|Institute|School|Centre|"
    r"Center|Office|Commission)\s+(?:of|for)\s+[A-Z][a-z]+(?:,\s+[A-Z][a-z]+)+,?\s+and\s+"
    r"[A-Z][a-z]+"
)
_PREV_WORD = re.compile(r"(\S+) $")
# "Safaricom's Spark Fund": the owner of a fund or lab named after it is a company
_FUND_OWNER = re.compile(
    r"(?<![A-Za-z])(?P<name>[A-Z][a-z]{3,})(?:'s|’s)\s+(?:[A-Z][\w\-]*\s+){1,3}"
    r"(?:Fund|Ventures|Foundation|Accelerator|Labs)\b"
)
_OWNER_NOT = frozenset(
    ["King", "Queen", "Regent", "Guy", "Christ", "Children", "Women", "People", "Lloyd", "Saint"]
)
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ese|ian|ish|ean|ch|ic|an|i)")
# "Lyon-based Verdane Bio", "Copenhagen-based drugmaker Solvik Pharma"
_BASED_BEFORE = re.compile(
    rf"(?<![A-Za-z])[A-Z][A-Za-z\-]*-based\s+(?:[a-z][a-z\-]*\s+){{0,2}}?"
    rf"(?P<name>{_CAPWORD}(?:\s+{_CAPWORD}){{0,2}})(?=[\s,.;:'’]|$)"
)
_NHS = re.compile(rf"(?<![A-Za-z])NHS(?:\s+{_CAPWORD}){{1,3}}")
# the Portuguese innovation agency ANI, the state investor Bpifrance, funder Wellcome
_KIND_BEFORE = re.compile(
    r"(?<![A-Za-z])(?P<kind>agency|regulator|funder|ministry|council|lender|bank|"
    r"venture firm|fund|charity|foundation|university|institute|research body|body|"
    r"research organisation|research organization|laboratory|research centre|research center)"
    r"[ \t]+"
    rf"(?P<name>[A-Z]{{2,}}|{_CAPWORD}(?:\s+{_CAPWORD}){{0,2}})(?=[\s,.;:)]|$)"
)
_KIND_LABEL = {
    "research body": Label.INSTITUTE,
    "body": Label.ORGANIZATION,
    "research organisation": Label.INSTITUTE,
    "research organization": Label.INSTITUTE,
    "laboratory": Label.INSTITUTE,
    "research centre": Label.INSTITUTE,
    "research center": Label.INSTITUTE,
    "agency": Label.ORGANIZATION,
    "regulator": Label.ORGANIZATION,
    "funder": Label.ORGANIZATION,
    "ministry": Label.ORGANIZATION,
    "council": Label.ORGANIZATION,
    "charity": Label.ORGANIZATION,
    "foundation": Label.ORGANIZATION,
    "university": Label.INSTITUTE,
    "institute": Label.INSTITUTE,
}
# "battery maker Ampfield", "lidar developer Spectrane": a lower-case product, then the kind
_MAKER_BEFORE = re.compile(
    r"(?<=[a-z] )(?:maker|makers|developer|manufacturer|producer|supplier|designer|operator|"
    r"provider|specialist|startup|start-up)\s+"
    rf"(?P<name>{_CAPWORD}(?:\s+{_CAPWORD}){{0,2}})(?=[\s,.;:'’]|$)"
)
_ITEM = rf"(?:the\s+)?{_CAPWORD}(?:\s+(?:of|for|and|&)?\s*{_CAPWORD}){{0,4}}"
# a lead that says every listed name is a company (investors, backers) or a partner
_LIST = re.compile(
    r"(?<![A-Za-z])(?P<lead>(?:They|These|The companies|The start-ups|The startups|The firms|"
    r"The winners)(?=\s+(?:include|included|are|were))|"
    r"(?i:investors|backers|co-investors|shareholders|partners|customers|"
    r"tenants))(?:[ \t]+(?:include|including|are|were|such as|like))?:?[ \t]+"
    rf"(?P<items>{_ITEM}(?:\s*,\s*{_ITEM})*(?:,?\s+and\s+{_ITEM})?)"
)
_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_NOT_FIRST = frozenset(
    ["The", "This", "That", "It", "Its", "He", "She", "They", "We", "In", "On", "At", "But"]
    + ["And", "Both", "All", "Each", "Some", "Many", "Most", "Other", "Several", "Two", "Three"]
)


def english_context_orgs(state: DocState) -> None:
    text = state.text
    taken = bytearray(len(text))
    for x in state.mentions:
        if x.label != Label.PLACE:  # a place inside a longer name (Horizon Europe) yields
            taken[x.start : x.end] = b"\x01" * (x.end - x.start)

    def add(start: int, end: int, label: Label, confidence: float) -> None:
        name = text[start:end]
        if taken.find(1, start, end) >= 0 or lexicon.places().lookup(name) is not None:
            return
        if name.split()[0] in _NOT_FIRST:
            return
        taken[start:end] = b"\x01" * (end - start)
        state.add(Mention(start, end, label, EN_CONTEXT_RULE, confidence, props={"head": ""}))

    for m in _DESCRIBED_SITE.finditer(text):
        prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
        if prev is not None and prev.group(1)[:1].isupper():
            continue  # "Jaguar Land Rover, a ...": the end of a longer name
        if lexicon.places().lookup(m.group("name")) is None:
            add(*m.span("name"), Label.PARK, 0.7)
    for m in _LOWER_HEAD.finditer(text):
        name = m.group("name")
        if lexicon.places().lookup(name) is None and not english_names.looks_like_person(
            name.split()
        ):
            head = m.group("head")
            label = (
                Label.ORGANIZATION
                if head in _PROGRAMME_WORDS
                else Label.EVENT
                if head in _EVENT_WORDS
                else Label.PARK
            )
            add(*m.span("name"), label, 0.65)
    for m in _BASED_BEFORE.finditer(text):
        if not english_names.looks_like_person(m.group("name").split()):
            add(*m.span("name"), Label.FIRM, 0.65)
    for m in _FUND_OWNER.finditer(text):
        if m.group("name") not in _OWNER_NOT:
            add(*m.span("name"), Label.FIRM, 0.65)
    for m in _DESCRIBED_FIRM.finditer(text):
        prev = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
        if prev is None or not prev.group(1)[:1].isupper() or prev.group(1).endswith("."):
            add(*m.span("name"), Label.FIRM, 0.7)
    for m in _TOPIC_LIST_NAME.finditer(text):
        label = lexicon.en_org_heads().label_of.get(m.group("head"), Label.ORGANIZATION)
        add(m.start(), m.end(), label, 0.8)
    for m in _FOREIGN_LEAD.finditer(text):
        add(m.start(), m.end(), Label.INSTITUTE, 0.8)
    for m in _NHS.finditer(text):
        add(m.start(), m.end(), Label.ORGANIZATION, 0.8)
    for m in _KIND_BEFORE.finditer(text):
        if english_names.looks_like_person(m.group("name").split()):
            continue  # "funder Jane Porter": a person who funds
        label = _KIND_LABEL.get(m.group("kind"), Label.FIRM)
        add(*m.span("name"), label, 0.7)
    heads = lexicon.en_org_heads().label_of
    for m in _MAKER_BEFORE.finditer(text):
        if not english_names.looks_like_person(m.group("name").split()):
            add(*m.span("name"), Label.FIRM, 0.7)
    for m in _LIST.finditer(text):
        pos = m.start("items")
        for item in _SPLIT.split(m.group("items")):
            start = text.find(item, pos)
            if start < 0:
                break
            pos = start + len(item)
            if item.startswith("the "):
                start += 4
                item = item[4:]
            words = item.split()
            if (
                _DEMONYM.fullmatch(item)
                and text[start + len(item) : start + len(item) + 2][1:].islower()
            ):
                continue  # "the Danish firm X": an adjective of a described item
            if not words or words[-1] in heads:
                continue  # a head word: the head rules have it, with its own label
            # (a name that reads as a person's is still a company here: Johnson Matthey)
            add(start, start + len(item), Label.FIRM, 0.65)
