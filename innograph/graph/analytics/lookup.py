"""Finding entities by what a person types: id, canonical name, any alias, Traditional or
Simplified, any case, a prefix, or a near miss.

Every name and alias is reduced to its `names.name_key` (script-, case-, width- and
punctuation-insensitive), so exact matching is a dict lookup. Prefixes use a sorted key
list and bisection. Near misses use a character-bigram index (built on the first fuzzy
query) to collect candidates sharing bigrams, scored by Dice overlap and refined with
difflib's ratio. Only an exact match of one entity (or a prefix shared by exactly one
entity) resolves; anything else returns ranked candidates instead of a guess.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import threading
from collections import Counter, defaultdict

from innograph.errors import AmbiguousEntity, EntityLookupError, EntityNotFound
from innograph.graph.analytics.projection import Projection
from innograph.model import Candidate, EntityRecord, LookupResult
from innograph.names import name_key

__all__ = ["AmbiguousEntity", "EntityLookupError", "EntityNotFound", "LookupIndex"]


def _bigrams(key: str) -> set[str]:
    if len(key) < 2:
        return {key} if key else set()
    return {key[i : i + 2] for i in range(len(key) - 1)}


class LookupIndex:
    """Name index over a projection; rebuilt when the projection's revision changes."""

    PREFIX_LIMIT = 50
    FUZZY_MIN = 0.5

    def __init__(self, proj: Projection) -> None:
        self.proj = proj
        self.revision = -1
        self.by_key: dict[str, set[int]] = {}
        self.keys: list[str] = []
        # bigram -> keys containing it, and key -> its number of distinct bigrams (one
        # tuple, so a query never pairs one build's postings with another's sizes).
        self._grams: tuple[dict[str, list[str]], dict[str, int]] | None = None
        # Concurrent first fuzzy queries (API threads) must build the bigram table once.
        self._grams_lock = threading.Lock()
        self.refresh()

    def refresh(self) -> None:
        if self.revision == self.proj.revision:
            return
        if self.revision >= self.proj.journal_floor >= 0 and self.revision >= 0:
            self._follow_journal()
            return
        by_key: dict[str, set[int]] = defaultdict(set)
        for i, rec in enumerate(self.proj.records):
            for name in (rec.name, *rec.aliases):
                key = name_key(name)
                if key:
                    by_key[key].add(i)
        self.by_key = dict(by_key)
        self.keys = sorted(self.by_key)
        self._grams = None
        self.revision = self.proj.revision

    def _follow_journal(self) -> None:
        """Applies the projection's journal since this index's revision: the names of the
        entities added or replaced since, instead of all names again (an ingest of 100
        documents touches a few thousand entities of a graph of hundreds of thousands).
        Keys left without entities stay in `keys`; readers skip them."""
        grams = self._grams
        for revision, i, old in self.proj.journal:
            if revision <= self.revision:
                continue
            if old is not None:
                for name in (old.name, *old.aliases):
                    key = name_key(name)
                    holders = self.by_key.get(key)
                    if holders is not None:
                        holders.discard(i)
                        if not holders:
                            del self.by_key[key]
            rec = self.proj.records[i]
            for name in (rec.name, *rec.aliases):
                key = name_key(name)
                if not key:
                    continue
                holders = self.by_key.get(key)
                if holders is None:
                    holders = self.by_key[key] = set()
                    at = bisect.bisect_left(self.keys, key)
                    if at == len(self.keys) or self.keys[at] != key:
                        self.keys.insert(at, key)
                        if grams is not None:
                            key_grams = _bigrams(key)
                            grams[1][key] = len(key_grams)
                            for g in key_grams:
                                grams[0].setdefault(g, []).append(key)
                holders.add(i)
        self.revision = self.proj.revision

    def _gram_index(self) -> tuple[dict[str, list[str]], dict[str, int]]:
        built = self._grams
        if built is not None:
            return built
        with self._grams_lock:
            if self._grams is None:
                grams: dict[str, list[str]] = defaultdict(list)
                sizes: dict[str, int] = {}
                for key in self.keys:
                    key_grams = _bigrams(key)
                    sizes[key] = len(key_grams)
                    for g in key_grams:
                        grams[g].append(key)
                self._grams = (dict(grams), sizes)
            return self._grams

    def _candidate(self, i: int, score: float, matched: str, kind: str) -> Candidate:
        rec = self.proj.records[i]
        return Candidate(
            rec.id, rec.name, rec.label, round(score, 4), matched, kind, self.proj.degree(i)
        )

    def _matched_name(self, i: int, key: str) -> str:
        rec = self.proj.records[i]
        return next((n for n in (rec.name, *rec.aliases) if name_key(n) == key), rec.name)

    def prefix(self, key: str) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[int] = set()
        pos = bisect.bisect_left(self.keys, key)
        while (
            pos < len(self.keys)
            and self.keys[pos].startswith(key)
            and len(seen) < self.PREFIX_LIMIT
        ):
            k = self.keys[pos]
            for i in self.by_key.get(k, ()):
                if i not in seen:
                    seen.add(i)
                    # Longer completions are less likely to be what was meant.
                    out.append(
                        self._candidate(
                            i, 0.6 + 0.3 * len(key) / len(k), self._matched_name(i, k), "prefix"
                        )
                    )
            pos += 1
        return out

    def fuzzy(self, key: str, limit: int = 10) -> list[Candidate]:
        grams = _bigrams(key)
        if not grams:
            return []
        index, sizes = self._gram_index()
        # Counting runs in C (Counter.update over a list): a short query's bigrams can
        # share thousands of keys, and this is the hot loop of a search request.
        shared: Counter[str] = Counter()
        for g in grams:
            postings = index.get(g, ())
            # Very common bigrams (e.g. "大学") say little and would flood the tally.
            if len(postings) > 20_000:
                continue
            shared.update(postings)
        n_grams = len(grams)
        floor = self.FUZZY_MIN * 0.6
        scored = [(2 * n / (n_grams + sizes[k]), k) for k, n in shared.items()]
        out: list[Candidate] = []
        for _, k in heapq.nlargest(limit * 5, (s for s in scored if s[0] >= floor)):
            ratio = difflib.SequenceMatcher(None, key, k).ratio()
            if ratio >= self.FUZZY_MIN:
                for i in self.by_key.get(k, ()):
                    out.append(self._candidate(i, 0.8 * ratio, self._matched_name(i, k), "fuzzy"))
        return out

    def lookup(self, query: str, limit: int = 10) -> LookupResult:
        self.refresh()
        q = query.strip()
        i = self.proj.index.get(q)
        if i is not None:
            return LookupResult(
                query, self.proj.records[i], [self._candidate(i, 1.0, q, "id")], "id"
            )
        key = name_key(q)
        exact = self.by_key.get(key, set()) if key else set()
        if exact:
            cands = sorted(
                (self._candidate(i, 1.0, self._matched_name(i, key), "exact") for i in exact),
                key=lambda c: (-c.degree, c.name, c.id),
            )
            if len(cands) == 1:
                return LookupResult(query, self.proj.records[next(iter(exact))], cands, "exact")
            return LookupResult(query, None, cands[:limit], "ambiguous")
        if not key:
            return LookupResult(query, None, [], "none")
        best: dict[str, Candidate] = {}
        for c in (*self.prefix(key), *self.fuzzy(key, limit)):
            if c.id not in best or c.score > best[c.id].score:
                best[c.id] = c
        cands = sorted(best.values(), key=lambda c: (-c.score, -c.degree, c.name))[:limit]
        prefix_only = [c for c in cands if c.kind == "prefix"]
        if len(prefix_only) == 1 and len({c.id for c in self.prefix(key)}) == 1:
            rec = self.proj.records[self.proj.index[prefix_only[0].id]]
            return LookupResult(query, rec, cands, "prefix")
        # Several entities completing the prefix: ambiguous. Only near misses: unknown, with
        # the near misses as suggestions.
        kind = "ambiguous" if len(prefix_only) > 1 else "none"
        return LookupResult(query, None, cands, kind)

    def resolve(self, query: str, parameter: str | None = None) -> EntityRecord:
        """The one entity a query names; raises AmbiguousEntity or EntityNotFound (both with
        ranked candidates) otherwise. `parameter` names the input in the error."""
        result = self.lookup(query)
        if result.match is not None:
            return result.match
        if result.kind == "ambiguous":
            raise AmbiguousEntity(query, result.candidates, parameter)
        raise EntityNotFound(query, result.candidates, parameter)
