"""English sentence structures whose relation is fixed by the construction itself, run after the
trigger-driven relations of `relations.py` (which calls `structures` for English text):

- `X, founded by A and B` (an apposition): A and B founded X, not the sentence's subject;
- `X (ABBR), a unit of Y` / `X, a joint lab of Y and Z`: X is part of Y (and Z);
- `At the PARK, X leased ...` / `X moved its team to the PARK`: X sits in that park, the one
  the clause names, not another park of the sentence;
- `Existing investors A and B also took part` / `with participation from A and B`: each
  invests in the company the article is about;
- `Among the first tenants is X` / `tenants include A and B`: they sit in the park or centre
  the article is about.

Each rule emits through the relation builder (so the schema's signatures apply) and, where the
construction is unambiguous, withdraws the same-sentence relation the generic rules attached to
another entity (`X, founded by A, a researcher at B`: A founded X, not the topic).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from innograph.model import Label, RelType

if TYPE_CHECKING:
    from innograph.ingest.components.relations import Ref, _Relations

_PEOPLE = (Label.PERSON, Label.ACADEMICIAN)
_ORGS = (Label.INSTITUTE, Label.FIRM, Label.PARK, Label.ORGANIZATION)
_INVESTOR_WORDS = frozenset(
    ["Ventures", "Capital", "Partners", "Fund", "Investments", "Angels", "Equity", "Bank"]
)

_FOUNDED_BY = re.compile(
    r"^(?:\s*\([^)]{1,20}\))?,\s+(?:(?:a|an|the)\s+[^,;.]{0,40}?,\s+)?(?:which\s+was\s+)?"
    r"(?:co-)?(?:founded|set up|started|established)(?:\s+in\s+\d{4})?\s+by\s+"
    r"(?:(?:the|a|an)\s+)?(?:[a-z][a-z\-]*\s+){0,2}(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?$"
)
# "founded by former Mila researchers A and B", "set up by IIT Madras alumni A and B": the
# founders' own body, written before the group word
_FOUNDED_BY_GROUP = re.compile(
    r"^(?:\s*\([^)]{1,20}\))?,\s+(?:which\s+was\s+)?(?:co-)?(?:founded|set up|started|"
    r"established)(?:\s+in\s+\d{4})?\s+by\s+(?:(?:the|a|an|two|three|former|ex-)\s+)*$"
)
_GROUP_WORD = re.compile(
    r"^(?:'s\s+)?\s*(?:alumni|graduates|researchers|professors|students|engineers|scientists|"
    r"employees|staff|colleagues|veterans|doctoral students|PhD students)\s+"
    r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?$"
)
_RUN_BY = re.compile(
    r"^(?:\s*\([^)]{1,20}\))?,\s+(?:(?:a|an|the)\s+[^,;.]{0,40}?\s+)?(?:which\s+(?:is|was)\s+)?"
    r"(?:run|operated|managed|hosted|coordinated|jointly run)\s+by\s+(?:the\s+)?$"
)
_BACKED_BY = re.compile(
    r"^(?:\s*\([^)]{1,20}\))?,\s+(?:(?:a|an|the)\s+[^,;.]{0,40}?\s+)?(?:which\s+(?:is|was)\s+)?"
    r"(?:backed|funded|financed|bankrolled|supported)\s+by\s+(?:the\s+)?$"
)
_NEXT_AGENT = re.compile(
    r"^(?:,\s*|,?\s+and\s+)(?:(?!the\s)[a-z][a-z\-]*\s+){0,2}"
    r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?$"
)
_PART_OF = re.compile(
    r"^(?:\s*\([^)]{1,20}\))?,\s+(?:a|an|the|one)\s+(?:of\s+the\s+)?(?:[a-z][a-z\-]*\s+){0,2}?"
    r"(?:unit|units|part|division|subsidiary|department|school|faculty|lab|laboratory|branch|"
    r"institute|centre|center|campus|affiliate|arm|offshoot)\s+of\s+(?:the\s+)?$"
)
_AND_ORG = re.compile(r"^(?:,\s*|,?\s+and\s+)(?:the\s+)?$")
_AT_PARK = re.compile(r"(?:^|[.;!?]\s+|\n)(?:At|In|Inside)\s+(?:the\s+)?$")
_CLAUSE_END = re.compile(r",\s+(?:while|whereas|and|but)\s|;|\.\s")
_MOVED_TO = re.compile(
    r"\b(?:moved|moves|relocated|relocates|moving|relocating)\s+(?:[a-z][a-z\-]*\s+){0,4}?"
    r"(?:to|into)\s+(?:the\s+)?$"
)
_BUILT_AT = re.compile(
    r"\b(?:leased|leases|lease|build|builds|building|built|open|opens|opened|opening|rent|"
    r"rents|rented|occupy|occupies|occupied)\s+(?:an?\s+|its\s+|the\s+)?"
    r"(?:[\w,\-]+\s+){0,5}?(?:at|in)\s+(?:the\s+)?$"
)
_INVESTOR_LIST = re.compile(
    r"(?:\b(?:[Ee]xisting|[Nn]ew|[Oo]ther|[Rr]eturning)\s+)?\b(?:investors|backers|co-investors|"
    r"shareholders)\s+(?:including\s+|such as\s+)?(?:the\s+)?$|"
    r"\bwith\s+(?:further\s+)?participation\s+(?:from|by)\s+(?:the\s+)?$|"
    r"\balongside\s+(?:(?:angel|individual|private|the)\s+)?(?:investors?\s+)?$|"
    r"\b(?:Its|Their|The company's|The start-up's)\s+(?:[a-z]+\s+)?(?:backers|investors|"
    r"shareholders),?\s+(?:the\s+)?$"
)
_TENANTS = re.compile(
    r"\b(?:[Aa]mong\s+the\s+(?:[a-z]+\s+)?tenants(?:\s+(?:of|at|in)\s+[^,;]{3,60}?)?\s+"
    r"(?:is|are|will be)|"
    r"[Tt]enants\s+(?:include|includes|including|are|will include)|"
    r"(?:first|new|latest)\s+tenants?\s*(?:is|are|:))\s+(?:the\s+)?$"
)


def structures(rel: _Relations) -> None:
    text = rel.text
    for si, refs in enumerate(rel.by_sentence):
        for i, r in enumerate(refs):
            if r.label in _ORGS:
                _founded_by(rel, si, refs, i, text)
                _backed_by(rel, si, refs, i, text)
                _run_by(rel, si, refs, i, text)
                _spinout_apposition(rel, si, refs, i, text)
                _spinout_from(rel, si, refs, i, text)
                _possessive_apposition(rel, si, refs, i, text)
                _possessive_part(rel, si, refs, i, text)
                _part_of(rel, si, refs, i, text)
                if r.label == Label.PARK:
                    _in_park(rel, si, refs, i, text)
            _event_at_park(rel, si, refs, i, text)
        _investor_list(rel, si, refs, text)
        _tenants(rel, si, refs, text)
        _both_firms(rel, si, refs, text)
        _opening_role_said(rel, si, refs, text)
        _joins_board(rel, si, refs, text)
        _its_founders(rel, si, refs, text)
        _people_of(rel, si, refs, text)
        _they_include(rel, si, refs, text)
        _each_gets(rel, si, refs, text)
        _unit_role(rel, si, refs, text)
        _role_of_then_possessive(rel, si, refs, text)
        _with_partner(rel, si, refs, text)
        _partners_of_coordinator(rel, si, refs, text)
        _won_from(rel, si, refs, text)
        _where_at_event(rel, si, refs, text)
        _at_the_event(rel, si, refs, text)
        _org_role_name(rel, si, refs, text)
        _joins_as(rel, si, refs, text)
        _signed_at_event(rel, si, refs, text)
        _member_firm(rel, si, refs, text)
        _developed_with(rel, si, refs, text)
        _owner_partners(rel, si, refs, text)
        _unit_led_by(rel, si, refs, text)
        _formerly_at(rel, si, refs, text)
        _round_sentence(rel, si, refs, text)
        _founded_opening(rel, si, refs, text)
        _awards_went_to(rel, si, refs, text)
        _bare_partners(rel, si, refs, text)
        _at_park_nesting(rel, si, refs, text)


def _following(refs: list[Ref], i: int) -> list[Ref]:
    """The mentions after refs[i] that do not sit inside it."""
    return [r for r in refs[i + 1 :] if r.start >= refs[i].end]


_DECLARED = re.compile(r"^\s*\([^()]{1,20}\)")


def _chain(
    refs: list[Ref], first: Ref, labels: tuple[Label, ...], sep: re.Pattern[str], text: str
) -> list[Ref]:
    """`first` and the mentions of `labels` listed after it with separators `sep`."""
    out = [first]
    for r in refs:
        if r.start < out[-1].end:
            continue
        gap = _DECLARED.sub("", text[out[-1].end : r.start])  # "A (EPSRC) and the B"
        if r.label in labels and sep.match(gap):
            out.append(r)
            continue
        if r.label in _PEOPLE or r.label in _ORGS:
            break
    return out


def _withdraw(rel: _Relations, si: int, source: int, rtype: RelType, keep: int) -> None:
    """Drop what the generic rules said `source` did (`rtype`) in this sentence to another
    entity than `keep`: the construction names the right one."""
    s, _e = rel.state.sentences[si]
    for key in [k for k, d in rel.out.items() if k[2] == rtype and d.start == s]:
        if source in key[:2] and keep not in key[:2]:
            del rel.out[key]


def _founded_by(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    org = refs[i]
    after = _following(refs, i)
    if (
        len(after) >= 2
        and after[0].label in _ORGS
        and after[1].label in _PEOPLE
        and _FOUNDED_BY_GROUP.match(text[org.end : after[0].start])
        and _GROUP_WORD.match(text[after[0].end : after[1].start])
    ):
        for person in _chain(refs, after[1], _PEOPLE, _NEXT_AGENT, text):
            _withdraw(rel, si, person.entity, RelType.FOUNDED, org.entity)
            rel.emit(person.entity, org.entity, RelType.FOUNDED, si, "en_founded_by", 0.85)
            rel.emit(person.entity, after[0].entity, RelType.AFFILIATED_WITH, si, "en_group", 0.8)
        # the founders' body founded nothing here ("set up by Warwick alumni A and B")
        for key in [k for k in rel.out if k[2] == RelType.FOUNDED]:
            if set(key[:2]) == {org.entity, after[0].entity}:
                del rel.out[key]
        return
    people = [r for r in after if r.label in _PEOPLE]
    if not people or not _FOUNDED_BY.match(text[org.end : people[0].start]):
        return
    if any(r.start < people[0].start for r in after if r.label in _ORGS):
        return  # an organisation between: not a plain apposition of `org`
    for person in _chain(refs, people[0], _PEOPLE, _NEXT_AGENT, text):
        _withdraw(rel, si, person.entity, RelType.FOUNDED, org.entity)
        rel.emit(person.entity, org.entity, RelType.FOUNDED, si, "en_founded_by", 0.85)


def _part_of(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    child = refs[i]
    after = [r for r in _following(refs, i) if r.label in _ORGS]
    if not after or not _PART_OF.match(text[child.end : after[0].start]):
        return
    for parent in _chain(refs, after[0], _ORGS, _AND_ORG, text):
        for key in [k for k in rel.out if k[2] == RelType.PART_OF and k[1] == parent.entity]:
            if key[0] != child.entity and rel.out[key].start == rel.state.sentences[si][0]:
                del rel.out[key]  # "A visited ... X, a unit of Y": A is no part of Y
        rel.emit(child.entity, parent.entity, RelType.PART_OF, si, "en_part_of", 0.85)


def _in_park(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    park = refs[i]
    s, e = rel.state.sentences[si]
    if _AT_PARK.search(text, max(0, park.start - 16), park.start) and text.startswith(
        ",", park.end
    ):
        # "At the Ridgeline Science Park, lidar maker Spectrane leased ..., while ...": the
        # clause's first company or institute sits there
        end = _CLAUSE_END.search(text, park.end + 1, e)
        stop = end.start() if end else e
        subject = next(
            (
                r
                for r in _following(refs, i)
                if r.end <= stop and r.label in (Label.FIRM, Label.INSTITUTE)
            ),
            None,
        )
        if subject is not None:
            rel.emit(subject.entity, park.entity, RelType.LOCATED_IN, si, "en_at_park", 0.75)
        return
    before = text[max(s, park.start - 60) : park.start]
    if not (_MOVED_TO.search(before) or _BUILT_AT.search(before)):
        return
    # "Kitefin moved its engineering team to the X": the nearest actor before the verb
    clause = max(
        (m.end() for m in re.finditer(r",\s+(?:while|whereas|and|but)\s|;", text[s : park.start])),
        default=0,
    )
    actors = [
        r
        for r in refs[:i]
        if s + clause <= r.start
        and r.end <= park.start
        and r.label in (Label.FIRM, Label.INSTITUTE)
    ]
    if actors:
        actor = actors[0]  # the clause's subject, not a name inside its apposition
        _withdraw(rel, si, actor.entity, RelType.LOCATED_IN, park.entity)
        rel.emit(actor.entity, park.entity, RelType.LOCATED_IN, si, "en_moved_to", 0.75)


def _topic(rel: _Relations, labels: tuple[Label, ...], skip: set[int], until: int) -> int:
    """The entity of `labels` named most often before `until` (ties: the first named)."""
    counts: dict[int, int] = {}
    for refs in rel.by_sentence:
        for r in refs:
            if r.start >= until:
                break
            if r.label in labels and r.entity not in skip:
                name = rel.state.entities[r.entity].name
                if labels == (Label.FIRM,) and name.split()[-1] in _INVESTOR_WORDS:
                    continue
                counts[r.entity] = counts.get(r.entity, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else -1


def _investor_list(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    s, _e = rel.state.sentences[si]
    for n, r in enumerate(refs):
        if r.label not in (Label.FIRM, Label.ORGANIZATION):
            continue
        if n and refs[n - 1].end > r.start:
            continue
        if not _INVESTOR_LIST.search(text, max(s, r.start - 50), r.start):
            continue
        investors = _chain(refs, r, (Label.FIRM, Label.ORGANIZATION, Label.PERSON), _AND_ORG, text)
        # they join the round already told (led by X)
        target = _round_company(rel, {x.entity for x in investors}, r.start)
        for investor in investors:
            rel.emit(investor.entity, target, RelType.INVESTS_IN, si, "en_investor_list", 0.7)
        return


def _tenants(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    s, _e = rel.state.sentences[si]
    for r in refs:
        if r.label not in (Label.FIRM, Label.INSTITUTE):
            continue
        cue = _TENANTS.search(text, max(s, r.start - 110), r.start)
        if cue is None:
            continue
        tenants = _chain(refs, r, (Label.FIRM, Label.INSTITUTE), _AND_ORG, text)
        taken = {x.entity for x in tenants}
        # (a park: LOCATED_IN ends at a park or place in the schema)
        hosts = [
            x
            for refs_before in rel.by_sentence[: si + 1]
            for x in refs_before
            if x.end <= r.start and x.entity not in taken and x.label == Label.PARK
        ]
        if not hosts:
            return
        inside = [x for x in hosts if x.start >= cue.start()]
        if inside:
            hosts = inside[-1:]  # "tenants of the Medway Innovation Park": that park
        named: dict[int, int] = {}
        for x in hosts:
            named[x.entity] = named.get(x.entity, 0) + 1
        host = max(named, key=lambda k: named[k])  # most named, then first named
        for tenant in tenants:
            rel.emit(tenant.entity, host, RelType.LOCATED_IN, si, "en_tenants", 0.7)
        return


def _backed_by(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    """ "the Centre for X, a £12 million facility backed by Research England": the funder
    invests in the centre, not in the sentence's subject."""
    org = refs[i]
    after = [r for r in _following(refs, i) if r.label in _ORGS or r.label in _PEOPLE]
    if not after or not _BACKED_BY.match(text[org.end : after[0].start]):
        return
    for funder in _chain(refs, after[0], (*_ORGS, *_PEOPLE), _AND_ORG, text):
        owned = next((r for r in refs if r.start >= funder.end and r.label in _ORGS), None)
        if owned is not None and _POSSESSIVE.match(text[funder.end : owned.start]):
            funder = owned  # "backed by Safaricom's Spark Fund": the fund invests
        _withdraw(rel, si, funder.entity, RelType.INVESTS_IN, org.entity)
        rel.emit(funder.entity, org.entity, RelType.INVESTS_IN, si, "en_backed_by", 0.8)


_POSSESSIVE = re.compile(r"^(?:'s|’s)\s+$")
_OWNED_HEADS = frozenset(["Fund", "Ventures", "Foundation", "Accelerator", "Incubator", "Labs"])


def _possessive_part(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    """ "the university's Department of Materials": the department is part of the university,
    and whoever the sentence ties to the university through it works at the department."""
    owner = refs[i]
    after = _following(refs, i)
    if not after or after[0].label not in (Label.INSTITUTE, Label.ORGANIZATION, Label.FIRM):
        return
    part = after[0]
    if not _POSSESSIVE.match(text[owner.end : part.start]):
        return
    part_name = rel.state.entities[part.entity].name.split()
    if (owner.label != Label.INSTITUTE or part.label == Label.FIRM) and part_name[
        -1
    ] not in _OWNED_HEADS:
        return  # "Safaricom's Spark Fund" is the company's; other possessives may be roles
    rel.emit(part.entity, owner.entity, RelType.PART_OF, si, "en_possessive_part", 0.8)
    s, _e = rel.state.sentences[si]
    for key, draft in list(rel.out.items()):
        if key[2] == RelType.AFFILIATED_WITH and key[1] == owner.entity and draft.start == s:
            rel.emit(key[0], part.entity, RelType.AFFILIATED_WITH, si, "en_possessive_part", 0.8)


_BOTH = re.compile(
    r"\s*(?:Both|The two|All three|The three)\s+(?:firms|companies|start-ups|startups|"
    r"spin-outs|spinouts|groups)\b"
)
_TAKE_PART = re.compile(
    r"\b(?:exhibit|exhibits|exhibited|exhibiting|pitch|pitched|present|presented|showcase|"
    r"showcased|attend|attended|attends|speak|spoke)\s+(?:[a-z]+\s+){0,3}?(?:at|in)\s+(?:the\s+)?$"
)


def _both_firms(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Both firms will exhibit at EVENT rather than at EVENT2": the firms named last take
    part in the event the verb names, not in the one the sentence sets against it."""
    s, _e = rel.state.sentences[si]
    m = _BOTH.match(text, s)
    if m is None:
        return
    count = 3 if m.group().split()[-2] in {"three"} else 2
    firms: list[int] = []
    for refs_before in reversed(rel.by_sentence[:si]):
        for r in reversed(refs_before):
            if r.label == Label.FIRM and r.entity not in firms:
                firms.append(r.entity)
    firms = firms[:count]
    if len(firms) < count:
        return
    for r in refs:
        if r.label == Label.EVENT and _TAKE_PART.search(text, max(s, r.start - 40), r.start):
            for firm in firms:
                rel.emit(firm, r.entity, RelType.PARTICIPATED_IN, si, "en_both_firms", 0.7)
            return


_OPENING_ROLE_SAID = re.compile(
    r"^\s*(?:Director|Chief executive|President|Dean|Chair|Chairman|Chairwoman|Head|Founder|"
    r"Co-founder|CEO|Principal|Provost|Vice-chancellor|Secretary-general)\s+$"
)
_SAID_ORG = re.compile(r"^\s+(?:said|says|told reporters|added)\s+(?:that\s+)?(?:the\s+)?$")


def _opening_role_said(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Director Zhou Hanlin said SINANO would host ...": a sentence opening with a role and
    a name, whose reported clause opens with an organisation: the role is at that body."""
    s, _e = rel.state.sentences[si]
    people = [r for r in refs if r.label in _PEOPLE]
    if not people or not _OPENING_ROLE_SAID.match(text[s : people[0].start]):
        return
    person = people[0]
    org = next((r for r in refs if r.start >= person.end and r.label in _ORGS), None)
    if org is None or not _SAID_ORG.match(text[person.end : org.start]):
        return
    if not text[org.start].isupper() or text.startswith("The ", org.start):
        return  # "said the company would grow": an anaphor, the generic rules resolve it
    _withdraw(rel, si, person.entity, RelType.AFFILIATED_WITH, org.entity)
    rel.emit(person.entity, org.entity, RelType.AFFILIATED_WITH, si, "en_role_said", 0.8)


_JOIN_BOARD = re.compile(
    r"^[^.;]{0,60}?\b(?:will join|joins|joined|has joined|is joining|takes a seat on|will take a "
    r"seat on)\s+(?:the|its)\s+board\b(?!\s+of)"
)


def _joins_board(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Marcus Lindqvist, a partner at Ashgrove Ventures, will join the board": the board of
    the company the article is about."""
    s, e = rel.state.sentences[si]
    for r in refs:
        if r.label not in _PEOPLE:
            continue
        if _JOIN_BOARD.match(text[r.end : e]) is None:
            continue
        firm = _round_company(rel, {r.entity}, s)
        if firm >= 0:
            rel.emit(r.entity, firm, RelType.AFFILIATED_WITH, si, "en_board", 0.7)
        return


def _round_company(rel: _Relations, skip: set[int], until: int) -> int:
    """The company the article's funding round is for: the target of most investments told
    so far, else the firm named most often."""
    rounds: dict[int, int] = {}
    for key, draft in rel.out.items():
        if key[2] == RelType.INVESTS_IN and key[1] not in skip and draft.start < until:
            rounds[key[1]] = rounds.get(key[1], 0) + 1
    if rounds:
        return max(rounds, key=lambda k: rounds[k])
    return _topic(rel, (Label.FIRM,), skip, until)


def _run_by(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    """ "The X Accelerator, a robotics programme run by A and B": the programme belongs to
    the bodies that run it (PART_OF); people who run it are affiliated with it."""
    org = refs[i]
    after = [r for r in _following(refs, i) if r.label in _ORGS or r.label in _PEOPLE]
    if not after or not _RUN_BY.match(text[org.end : after[0].start]):
        return
    for agent in _chain(refs, after[0], (*_ORGS, *_PEOPLE), _AND_ORG, text):
        if agent.label in _PEOPLE:
            rel.emit(agent.entity, org.entity, RelType.AFFILIATED_WITH, si, "en_run_by", 0.8)
        else:
            rel.emit(org.entity, agent.entity, RelType.PART_OF, si, "en_run_by", 0.8)


_SPINOUT_APPOSED = re.compile(
    r"^,\s+(?:a|an)\s+(?:[a-z\-]+\s+){0,2}?(?:spin-out|spinout|spin-off|spinoff|spun-out)\b"
    r"(?!\s+(?:from|of)\b)"
)


def _spinout_apposition(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    """ "A team from University College London has launched X, a spin-out that ...": the
    spin-out comes from the institution the sentence named before it."""
    firm = refs[i]
    if firm.label != Label.FIRM or not _SPINOUT_APPOSED.match(text[firm.end : firm.end + 40]):
        return
    parents = [r for r in refs[:i] if r.label == Label.INSTITUTE and r.end <= firm.start]
    if parents:
        rel.emit(firm.entity, parents[-1].entity, RelType.SPUN_OFF_FROM, si, "en_spinout", 0.75)


_POSSESSIVE_PART = re.compile(
    r"^(?:'s|’s)\s+(?:[a-z\-]+\s+){0,2}?(?:arm|unit|subsidiary|division|branch|office|"
    r"company|fund|venture fund|investment fund|incubator|accelerator)\b"
)


def _possessive_apposition(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    """ "UCL Business, the university's commercialisation arm": part of the university."""
    part = refs[i]
    after = _following(refs, i)
    if not after or after[0].label not in _ORGS:
        return
    owner = after[0]
    if not re.match(r"^,\s+(?:the\s+)?$", text[part.end : owner.start], re.I):
        return
    if _POSSESSIVE_PART.match(text[owner.end : owner.end + 50]):
        rel.emit(part.entity, owner.entity, RelType.PART_OF, si, "en_possessive_part", 0.8)


_EVENT_AT = re.compile(r"^\s+(?:at|in)\s+(?:the\s+)?$")


def _event_at_park(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    """ "hosted the Asia Biotech Forum at the Biopolis campus and the X Week at Block71":
    each event sits in the park written right after it."""
    event = refs[i] if refs[i].label == Label.EVENT else None
    if event is None:
        return
    after = _following(refs, i)
    if after and after[0].label == Label.PARK and _EVENT_AT.match(text[event.end : after[0].start]):
        rel.emit(event.entity, after[0].entity, RelType.LOCATED_IN, si, "en_event_at", 0.8)


_ITS_FOUNDERS = re.compile(
    r"\b(?:Its|Their|The company's|The start-up's|The startup's)\s+(?:[a-z\-]+\s+)?"
    r"(?:co-)?founders\s+(?:are|were|include|included)\s+"
    r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?$"
)


def _its_founders(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Its scientific founders are Dr A and Professor B of the X": they founded the company
    the article is about."""
    s, _e = rel.state.sentences[si]
    people = [r for r in refs if r.label in _PEOPLE]
    if not people or not _ITS_FOUNDERS.search(text, max(s, people[0].start - 60), people[0].start):
        return
    firm = _topic(rel, (Label.FIRM,), set(), s)
    if firm < 0:
        return
    for person in _chain(refs, people[0], _PEOPLE, _NEXT_AGENT, text):
        rel.emit(person.entity, firm, RelType.FOUNDED, si, "en_its_founders", 0.8)


_OF_ORG = re.compile(r"^\s+(?:of|from|at)\s+(?:the\s+)?$")


def _people_of(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Dr A and Professor B of the X Institute": every person of the list is of X."""
    for n, r in enumerate(refs):
        if r.label not in _PEOPLE or (n and refs[n - 1].label in _PEOPLE):
            continue
        people = _chain(refs, r, _PEOPLE, _NEXT_AGENT, text)
        if len(people) < 2:
            continue
        after = [x for x in refs if x.start >= people[-1].end]
        if (
            after
            and after[0].label in _ORGS
            and _OF_ORG.match(text[people[-1].end : after[0].start])
        ):
            for person in people:
                rel.emit(person.entity, after[0].entity, RelType.AFFILIATED_WITH, si, "en_of", 0.8)


_THEY_INCLUDE = re.compile(
    r"\s*(?:They|These|The companies|The start-ups|The startups|The firms|The teams)\s+"
    r"(?:include|included|are|were)\s+"
)
_PROGRAMME = re.compile(
    r"(?:Programme|Program|Accelerator|Incubator|Incubation|Fellowship|Initiative|Scheme|"
    r"Challenge|Competition|Bootcamp|Cohort)\b"
)


def _programme_before(rel: _Relations, si: int) -> int:
    """The programme (accelerator, incubator ...) named last before sentence `si`."""
    for refs in reversed(rel.by_sentence[: si + 1]):
        for r in reversed(refs):
            if _PROGRAMME.search(rel.state.entities[r.entity].name):
                return r.entity
    return -1


def _they_include(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "... has picked six start-ups for its spring cohort. They include A, B and C": the
    listed companies take part in the programme."""
    s, _e = rel.state.sentences[si]
    m = _THEY_INCLUDE.match(text, s)
    if m is None or si == 0:
        return
    before = text[rel.state.sentences[si - 1][0] : s]
    if not re.search(r"\b(?:cohort|start-ups|startups|companies|firms|teams|finalists)\b", before):
        return
    programme = _programme_before(rel, si)
    firms = [r for r in refs if r.start >= m.end() and r.label in (Label.FIRM, Label.INSTITUTE)]
    if programme < 0 or not firms:
        return
    # a programme takes part; an accelerator the rules read as a park hosts them
    rtype = (
        RelType.LOCATED_IN
        if rel.state.entities[programme].label == Label.PARK
        else RelType.PARTICIPATED_IN
    )
    for firm in _chain(refs, firms[0], (Label.FIRM, Label.INSTITUTE), _AND_ORG, text):
        rel.emit(firm.entity, programme, rtype, si, "en_cohort", 0.75)
    rel.state.scratch["en_last_list"] = [
        f.entity for f in _chain(refs, firms[0], (Label.FIRM, Label.INSTITUTE), _AND_ORG, text)
    ]


_EACH_GETS = re.compile(
    r"^\s*Each\s+(?:company|start-up|startup|firm|team|winner|participant)\s+(?:gets|receives|"
    r"will get|will receive|received|got|is given|will be given)\b[^.;]*?\bfrom\s+(?:the\s+)?$"
)


def _each_gets(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Each company gets $150,000 from X": X invests in every company just listed."""
    listed: list[int] = rel.state.scratch.get("en_last_list", [])
    s, _e = rel.state.sentences[si]
    if not listed:
        return
    for r in refs:
        if r.label in _ORGS and _EACH_GETS.match(text[s : r.start]):
            for firm in listed:
                rel.emit(r.entity, firm, RelType.INVESTS_IN, si, "en_each_gets", 0.7)
            return


_UNIT_ROLE = re.compile(
    r"^\s*(?P<unit>Programme|Program|Centre|Center|Institute|Lab|Laboratory|Park|Hub|Accelerator|"
    r"Incubator|Fund|Project|Consortium|Campus)\s+(?:director|manager|head|lead|leader|"
    r"coordinator|chair|president)\s+(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?$"
)


def _unit_role(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Programme director Marcus Bell said": the role is at the programme (or centre ...)
    the text has named."""
    s, _e = rel.state.sentences[si]
    people = [r for r in refs if r.label in _PEOPLE]
    if not people:
        return
    m = _UNIT_ROLE.match(text[s : people[0].start])
    if m is None:
        return
    unit = m.group("unit").lower()
    family = {"program": "programme", "center": "centre", "laboratory": "lab"}.get(unit, unit)
    words = {family, unit, "program" if family == "programme" else family}
    if family == "programme":
        words |= {"accelerator", "incubator", "incubation", "scheme", "initiative"}
    named: dict[int, int] = {}
    for refs_before in rel.by_sentence[: si + 1]:
        for r in refs_before:
            if r.end <= people[0].start and r.label in _ORGS:
                name = rel.state.entities[r.entity].name.lower().split()
                if words & set(name):
                    named[r.entity] = named.get(r.entity, 0) + 1
    if named:
        target = max(named, key=lambda k: named[k])
        _withdraw(rel, si, people[0].entity, RelType.AFFILIATED_WITH, target)
        rel.emit(people[0].entity, target, RelType.AFFILIATED_WITH, si, "en_unit_role", 0.8)


_OF_THEN_POSSESSIVE = re.compile(r"^,\s+(?:the\s+)?$", re.I)
_ROLE_AFTER_POSSESSIVE = re.compile(r"^(?:'s|’s)\s+(?:[a-z\-]+\s+){0,2}?[a-z\-]+\s*[,)]")


def _role_of_then_possessive(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Academician W of the Chinese Academy of Sciences, the institute's president, said":
    W holds the role at the institute the possessive names, as well as being of the academy."""
    for n, p in enumerate(refs):
        if p.label not in _PEOPLE:
            continue
        rest = [r for r in refs[n + 1 :] if r.start >= p.end]
        if len(rest) < 2 or rest[0].label not in _ORGS or rest[1].label not in _ORGS:
            continue
        if not _OF_ORG.match(text[p.end : rest[0].start]):
            continue
        if not _OF_THEN_POSSESSIVE.match(text[rest[0].end : rest[1].start]):
            continue
        if _ROLE_AFTER_POSSESSIVE.match(text[rest[1].end : rest[1].end + 40]):
            rel.emit(p.entity, rest[1].entity, RelType.AFFILIATED_WITH, si, "en_role_of", 0.8)


_WITH_PARTNER = re.compile(r"\bwith\s+(?:its\s+|their\s+)?(?:[a-z\-]+\s+)?partners?\s+$")


def _with_partner(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "... stores carbon underground with partner X": the sentence's organisation (else the
    article's company) works with X."""
    s, _e = rel.state.sentences[si]
    for n, r in enumerate(refs):
        if r.label not in _ORGS or not _WITH_PARTNER.search(text, max(s, r.start - 40), r.start):
            continue
        before = [x for x in refs[:n] if x.label in _ORGS and x.end <= r.start]
        owner = before[0].entity if before else _topic(rel, (Label.FIRM,), {r.entity}, s)
        for partner in _chain(refs, r, _ORGS, _AND_ORG, text):
            rel.emit(owner, partner.entity, RelType.COLLABORATES_WITH, si, "en_with_partner", 0.7)
        return


_PARTNERS_ARE = re.compile(
    r"\s*(?:The|Its|Their|Other)\s+(?:[a-z\-]+\s+)?partners\s+(?:are|include|includes|comprise|"
    r"were)\s+"
)
_COORDINATED_BY = re.compile(r"\b(?:coordinated|led|headed)\s+by\s+(?:the\s+)?$")
_LIST_ITEM_GAP = re.compile(
    r"^(?:,\s*|,?\s+and\s+)(?:the\s+)?(?:[A-Z][a-z]+\s+)?(?:(?!and\s)[a-z][a-z\-]*\s+){0,3}$"
)


def _partners_of_coordinator(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "A consortium coordinated by X has won ... The partners are A, B, the Danish firm C and
    the French research body D": each partner works with the coordinator."""
    s, _e = rel.state.sentences[si]
    m = _PARTNERS_ARE.match(text, s)
    if m is None:
        return
    coordinator = -1
    for refs_before in reversed(rel.by_sentence[:si]):
        for r in refs_before:
            if r.label in _ORGS and _COORDINATED_BY.search(text, max(0, r.start - 30), r.start):
                coordinator = r.entity
        if coordinator >= 0:
            break
    if coordinator < 0:
        return
    items = [r for r in refs if r.start >= m.end() and r.label in _ORGS]
    if not items:
        return
    for partner in _chain(refs, items[0], _ORGS, _LIST_ITEM_GAP, text):
        rel.emit(coordinator, partner.entity, RelType.COLLABORATES_WITH, si, "en_partners", 0.75)


_WON_FROM = re.compile(
    r"\b(?:won|wins|received|receives|secured|secures|was awarded|has been awarded|has won|"
    r"has received|has secured|obtained|raised|raises|has raised|closed|has closed)\b"
    r"[^.;]{0,60}?\bfrom\s+(?:the\s+)?$"
)


def _won_from(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "A consortium coordinated by X has won 18 million euros from the Y programme": Y funds
    the sentence's first organisation."""
    s, _e = rel.state.sentences[si]
    for n, r in enumerate(refs):
        if r.label not in (Label.ORGANIZATION, Label.FIRM):
            continue
        if not _WON_FROM.search(text, max(s, r.start - 90), r.start):
            continue
        before = [x for x in refs[:n] if x.label in _ORGS and x.end <= r.start]
        if before:
            for funder in _chain(refs, r, (Label.ORGANIZATION, Label.FIRM), _AND_ORG, text):
                rel.emit(funder.entity, before[0].entity, RelType.INVESTS_IN, si, "en_from", 0.7)
        return


_WHERE = re.compile(r"[^.;]{0,40}?,\s+where\s+")


def _where_at_event(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "presented at the European Hydrogen Week in Brussels, where A spoke on a panel with
    Commissioner B": the people of the where-clause took part in the event."""
    for n, r in enumerate(refs):
        if r.label != Label.EVENT:
            continue
        m = _WHERE.match(text, r.end)
        if m is None:
            continue
        for x in refs[n + 1 :]:
            if x.start >= m.end() and x.label in _PEOPLE:
                rel.emit(x.entity, r.entity, RelType.PARTICIPATED_IN, si, "en_where", 0.7)


_NOT_ACTING = re.compile(
    r"(?:(?:founded|co-founded|set up|started|backed|funded|owned)\s+by|,\s+(?:a|an)\s+[^,]{0,25}"
    r"\b(?:of|at|from))\s+(?:[a-z\-]+\s+){0,2}(?:(?:Dr|Prof|Professor)\.?\s+)?(?:the\s+)?$"
)
_AT_THE_EVENT = re.compile(
    r"\s*(?:At|During)\s+the\s+(?P<words>(?:[\w\-]+\s+){0,3}?)"
    r"(?P<head>week|forum|summit|conference|expo|fair|festival|show|day|congress|symposium|"
    r"meeting|awards|roadshow)\s*,"
)


def _at_the_event(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "At the start-up week, X won the pitch contest judged by A and B": everyone acting in
    the sentence took part in the event whose name carries that head word."""
    s, e = rel.state.sentences[si]
    m = _AT_THE_EVENT.match(text, s)
    if m is None:
        return
    head = m.group("head")
    words = {w.lower().replace("-", "") for w in m.group("words").split()}
    best, score = -1, -1
    for refs_before in rel.by_sentence[:si]:
        for r in refs_before:
            if r.label != Label.EVENT:
                continue
            name = rel.state.entities[r.entity].name.lower().replace("-", "").split()
            if head not in name:
                continue
            overlap = len(words & set(name))
            if overlap > score:
                best, score = r.entity, overlap
    if best < 0:
        return
    for r in refs:
        if r.start < m.end() or r.label not in (*_ORGS, *_PEOPLE) or r.label == Label.PARK:
            continue
        if _OF_ORG.match(text[max(s, r.start - 6) : r.start]):
            continue  # "of the X": an affiliation, not an actor
        if _NOT_ACTING.search(text, max(s, r.start - 40), r.start):
            continue  # "start-up X, founded by Y, signed": Y describes X
        rel.emit(r.entity, best, RelType.PARTICIPATED_IN, si, "en_at_the_event", 0.7)


_ORG_ROLE = re.compile(
    r"^\s+(?:chief executive|chief technology officer|chief scientific officer|chief scientist|"
    r"chief operating officer|chief financial officer|founder|co-founder|chairman|chairwoman|"
    r"chair|president|director|managing director|CEO|CTO|CFO|COO|head|spokesperson)\s+"
    r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?$"
)


def _org_role_name(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Solvik chief executive Mette Kragh said": the role is at the organisation written
    right before it."""
    for n, r in enumerate(refs[:-1]):
        p = refs[n + 1]
        if r.label in _ORGS and p.label in _PEOPLE and _ORG_ROLE.match(text[r.end : p.start]):
            rel.emit(p.entity, r.entity, RelType.AFFILIATED_WITH, si, "en_org_role", 0.85)


_JOINS_AS = re.compile(
    r"^[^.;]{0,40}?\b(?:will join|joins|joined|has joined|is joining)\s+(?:the\s+)?$"
)
_AS_ROLE = re.compile(r"^\s+as\s+(?:its\s+|a\s+|an\s+|the\s+)?[a-z]")


def _joins_as(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Whitlock ... will join Solvik as chief scientific officer": she works there."""
    for n, p in enumerate(refs):
        if p.label not in _PEOPLE:
            continue
        for r in refs[n + 1 :]:
            if r.label in _ORGS and r.start >= p.end:
                if _JOINS_AS.match(text[p.end : r.start]) and _AS_ROLE.match(
                    text[r.end : r.end + 20]
                ):
                    rel.emit(p.entity, r.entity, RelType.AFFILIATED_WITH, si, "en_joins_as", 0.8)
                break


_SIGNED_AT = re.compile(
    r"\s*(?:The|This|That)\s+(?:agreement|memorandum|deal|MoU|MOU|contract|partnership|"
    r"collaboration|accord)\s+(?:was|were|will be|had been)\s+(?:signed|announced|unveiled|"
    r"sealed|agreed)\s+(?:at|during|on the sidelines of)\s+(?:the\s+)?"
)


def _signed_at_event(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "The agreement was signed at the X Summit": the parties of the previous sentence's
    agreement took part in the event."""
    s, _e = rel.state.sentences[si]
    m = _SIGNED_AT.match(text, s)
    if m is None or si == 0:
        return
    event = next((r for r in refs if r.label == Label.EVENT and r.start >= m.end()), None)
    if event is None:
        return
    ps, _pe = rel.state.sentences[si - 1]
    parties = {
        x
        for key, d in rel.out.items()
        if key[2] == RelType.COLLABORATES_WITH and d.start == ps
        for x in key[:2]
    }
    for party in parties:
        rel.emit(party, event.entity, RelType.PARTICIPATED_IN, si, "en_signed_at", 0.7)


_MEMBER_FIRM = re.compile(
    r"^\s+(?:member|partner|affiliate|associate)\s+(?:firm|company|organisation)\b"
)
_PORTFOLIO = re.compile(r"^\s+(?:portfolio|investee)\s+(?:firm|company)\b")


def _member_firm(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Hartwell Precision, an AMRC member firm": part of the body; "X, a Y portfolio
    company": Y invests in X."""
    for n, r in enumerate(refs[:-1]):
        o = refs[n + 1]
        if r.label not in _ORGS or o.label not in _ORGS or o.start < r.end:
            continue
        if not re.match(r"^,\s+(?:a|an|the)\s+$", text[r.end : o.start]):
            continue
        after = text[o.end : o.end + 30]
        if _MEMBER_FIRM.match(after):
            rel.emit(r.entity, o.entity, RelType.PART_OF, si, "en_member_firm", 0.8)
        elif _PORTFOLIO.match(after):
            rel.emit(o.entity, r.entity, RelType.INVESTS_IN, si, "en_portfolio", 0.8)


_DEVELOPED_WITH = re.compile(
    r"\b(?:developed|built|designed|tested|created|trialled|trialed|validated|co-developed)\s+"
    r"(?:jointly\s+)?(?:together\s+)?with\s+(?:the\s+)?$"
)


def _developed_with(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "The buoys were developed with the National Institute of Ocean Technology": the
    article's company (the sentence names no organisation before) works with that body."""
    s, _e = rel.state.sentences[si]
    for n, r in enumerate(refs):
        if r.label not in _ORGS or not _DEVELOPED_WITH.search(text, max(s, r.start - 50), r.start):
            continue
        before = [x for x in refs[:n] if x.label in _ORGS and x.entity != r.entity]
        # the sentence's first organisation developed it, else the article's company
        firm = before[0].entity if before else _topic(rel, (Label.FIRM,), {r.entity}, s)
        if firm >= 0:
            rel.emit(firm, r.entity, RelType.COLLABORATES_WITH, si, "en_developed_with", 0.7)
        return


_OWNER_PARTNERS = re.compile(
    r"^(?:'s|’s)\s+(?:[a-z\-]+\s+){0,2}?partners\s+(?:are|include|includes|were|comprise)\s+"
    r"(?:the\s+)?$"
)


def _owner_partners(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Mila's new industrial partners are A, B and the C": each works with the owner."""
    for n, r in enumerate(refs[:-1]):
        first = refs[n + 1]
        if r.label not in _ORGS or first.label not in _ORGS:
            continue
        if not _OWNER_PARTNERS.match(text[r.end : first.start]):
            continue
        for partner in _chain(refs, first, _ORGS, _LIST_ITEM_GAP, text):
            rel.emit(r.entity, partner.entity, RelType.COLLABORATES_WITH, si, "en_partners", 0.8)
        return


_UNIT_LED_BY = re.compile(
    r"\s*(?:The|Its|Their)\s+(?:new\s+)?(?:office|lab|laboratory|centre|center|team|hub|unit|"
    r"branch|division|site|facility)\s+(?:will be|is|was|has been)\s+(?:led|headed|run|"
    r"directed)\s+by\s+(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?"
)


def _unit_led_by(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "The office will be led by Dr X": X works for the organisation the article is about."""
    s, _e = rel.state.sentences[si]
    m = _UNIT_LED_BY.match(text, s)
    if m is None:
        return
    person = next((r for r in refs if r.start >= m.end() and r.label in _PEOPLE), None)
    if person is None or person.start != m.end():
        return
    org = _topic(rel, _ORGS, set(), s)
    if org >= 0:
        _withdraw(rel, si, person.entity, RelType.AFFILIATED_WITH, org)
        rel.emit(person.entity, org, RelType.AFFILIATED_WITH, si, "en_unit_led_by", 0.75)


_FORMERLY = re.compile(
    r"^,\s+(?:previously|formerly|until recently|now|most recently)\s+(?:a|an|the)?\s*"
    r"[^,;.()]{0,50}?\b(?:at|of|with)\s+(?:the\s+)?$"
)


def _formerly_at(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Dr X, previously a research scientist at Google DeepMind": X worked there."""
    for n, p in enumerate(refs[:-1]):
        o = refs[n + 1]
        if p.label in _PEOPLE and o.label in _ORGS and _FORMERLY.match(text[p.end : o.start]):
            rel.emit(p.entity, o.entity, RelType.AFFILIATED_WITH, si, "en_formerly", 0.8)


_SPINOUT_FROM = re.compile(
    r"^,\s+(?:a|an|the)\s+(?:[0-9]{4}\s+)?(?:[a-z\-]+\s+){0,2}?(?:spin-out|spinout|spin-off|"
    r"spinoff|offshoot)\s+(?:from|of)\s+(?:the\s+)?$"
)


def _spinout_from(rel: _Relations, si: int, refs: list[Ref], i: int, text: str) -> None:
    """ "buy X, a 2019 spin-out from the University of Oxford": X (not the buyer) came out
    of the university."""
    firm = refs[i]
    after = [r for r in _following(refs, i) if r.label in _ORGS]
    if not after or not _SPINOUT_FROM.match(text[firm.end : after[0].start]):
        return
    parent = after[0]
    for key in [k for k in rel.out if k[2] == RelType.SPUN_OFF_FROM and k[1] == parent.entity]:
        if key[0] != firm.entity and rel.out[key].start == rel.state.sentences[si][0]:
            del rel.out[key]
    rel.emit(firm.entity, parent.entity, RelType.SPUN_OFF_FROM, si, "en_spinout", 0.85)


_ROUND_OPENING = re.compile(
    r"\s*(?:The|This|That)\s+(?:[A-Za-z$€£0-9\-.]+\s+){0,3}?(?:round|financing|funding|investment|"
    r"raise|deal)\s+(?:was|is|has been|will be)\s+"
)
_EXISTING_BACKER = re.compile(
    r"\bwith\s+(?:existing|new|returning)\s+(?:backer|investor|backers|investors)\s+(?:the\s+)?$"
)


def _round_sentence(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "The round was co-led by A and B, with existing backer C also investing": every
    investor of the sentence invests in the company that raised the round (named before),
    not in one of the sentence's own names."""
    s, _e = rel.state.sentences[si]
    if _ROUND_OPENING.match(text, s) is None:
        return
    investors = {r.entity for r in refs if r.label in _ORGS or r.label in _PEOPLE}
    target = _round_company(rel, investors, s)
    if target < 0:
        return
    for key in [k for k, d in rel.out.items() if k[2] == RelType.INVESTS_IN and d.start == s]:
        if key[1] in investors:
            del rel.out[key]
            rel.emit(key[0], target, RelType.INVESTS_IN, si, "en_round", 0.8)
    for r in refs:
        if r.entity in investors and (_EXISTING_BACKER.search(text, max(s, r.start - 40), r.start)):
            rel.emit(r.entity, target, RelType.INVESTS_IN, si, "en_round", 0.75)


_FOUNDED_OPENING = re.compile(
    r"\s*(?:Co-)?(?:Founded|Set up|Started|Established)(?:\s+in\s+\d{4})?\s+by\s+"
)
_MAIN_SUBJECT = re.compile(
    r"\s+(?:is|was|has|have|had|will|now|also|builds|makes|develops|designs|"
    r"sells|employs|raised|plans|uses|operates|[a-z]+s)\b"
)


def _founded_opening(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Founded in 2022 by A and B, who met at C, Qontrol is based at ...": A and B founded
    the main clause's subject, not the organisation the apposition names."""
    s, _e = rel.state.sentences[si]
    m = _FOUNDED_OPENING.match(text, s)
    if m is None:
        return
    people = [r for r in refs if r.label in _PEOPLE]
    if not people:
        return
    founders = _chain(refs, people[0], _PEOPLE, _NEXT_AGENT, text)
    subject = next(
        (
            r
            for r in refs
            if r.start > founders[-1].end
            and r.label in _ORGS
            and re.search(r",\s+(?:the\s+)?$", text[max(s, r.start - 8) : r.start], re.I)
            and _MAIN_SUBJECT.match(text, r.end)
        ),
        None,
    )
    if subject is None:
        return
    for person in founders:
        _withdraw(rel, si, person.entity, RelType.FOUNDED, subject.entity)
        rel.emit(person.entity, subject.entity, RelType.FOUNDED, si, "en_founded_opening", 0.85)
    # "..., Vireo is based at the X campus": the main clause's place is the subject's too
    for key, draft in list(rel.out.items()):
        later = {r.entity for r in refs if subject.start <= r.start}
        if (
            key[2] == RelType.LOCATED_IN
            and draft.start == s
            and key[0] != subject.entity
            and rel.state.entities[key[0]].label in _ORGS
            and key[0] not in later
        ):
            del rel.out[key]
            rel.emit(subject.entity, key[1], RelType.LOCATED_IN, si, "en_founded_opening", 0.75)


_AWARDS_WENT = re.compile(
    r"\s*(?:The|the)\s+(?P<words>(?:[\w\-]+\s+){0,3}?)(?P<head>awards|award|prize|prizes|"
    r"challenge|competition)\s+(?:went|go|goes|was won|were won|was given|were given)\s+"
    r"(?:to|by)\s+(?:the\s+)?$"
)


def _awards_went_to(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "The fintech awards went to Pesaflow": the winner took part in the awards event."""
    s, _e = rel.state.sentences[si]
    for r in refs:
        if r.label not in _ORGS and r.label not in _PEOPLE:
            continue
        m = _AWARDS_WENT.match(text[s : r.start])
        if m is None:
            continue
        head = m.group("head").rstrip("s")
        for refs_before in rel.by_sentence[:si]:
            for e in refs_before:
                name = rel.state.entities[e.entity].name.lower()
                if e.label == Label.EVENT and head in name:
                    for winner in _chain(refs, r, (*_ORGS, *_PEOPLE), _AND_ORG, text):
                        rel.emit(
                            winner.entity, e.entity, RelType.PARTICIPATED_IN, si, "en_award", 0.7
                        )
                    return
        return


_BARE_PARTNERS = re.compile(
    r"\b(?:industrial|industry|corporate|academic|research|founding|key|commercial)\s+partners\s+$"
)


def _bare_partners(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "Its director said industrial partners A, B and C would each host a fellow": the
    partners of the organisation the sentence (its 'Its') or the article is about."""
    s, _e = rel.state.sentences[si]
    for n, r in enumerate(refs):
        if r.label not in _ORGS or not _BARE_PARTNERS.search(text, max(s, r.start - 30), r.start):
            continue
        before = [x for x in refs[:n] if x.label in _ORGS]
        owner = before[-1].entity if before else _topic(rel, _ORGS, {r.entity}, s)
        if re.match(r"\s*Its\b", text[s : s + 5]) and si > 0:
            subjects = [x for x in rel.by_sentence[si - 1] if x.label in _ORGS]
            owner = subjects[0].entity if subjects and not before else owner
        for partner in _chain(refs, r, _ORGS, _AND_ORG, text):
            rel.emit(owner, partner.entity, RelType.COLLABORATES_WITH, si, "en_partners", 0.75)
        return


def _at_park_nesting(rel: _Relations, si: int, refs: list[Ref], text: str) -> None:
    """ "the Bradfield Centre at Cambridge Science Park": a building or centre in the park."""
    for n, r in enumerate(refs[:-1]):
        park = refs[n + 1]
        if (
            r.label in (Label.INSTITUTE, Label.PARK, Label.FIRM)
            and park.label == Label.PARK
            and park.start >= r.end
            and re.match(r"^\s+(?:at|on|in|within)\s+(?:the\s+)?$", text[r.end : park.start])
        ):
            rel.emit(r.entity, park.entity, RelType.LOCATED_IN, si, "en_at_park", 0.75)
