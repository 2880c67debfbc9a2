"""Fuzzy search of institution names: typos, traditional characters, pinyin, initials, abbreviations.

Every name is indexed under its characters, character pairs and pairs of pinyin syllables (see
matching/name_reading.py), each weighted by IDF; terms made only of generic words (中小企业,
服务, 中心) are left out. A query reads the postings of its rarest terms first, within a budget,
so it never scans every name; its commoner terms then only score the few hundred names found
(MaxScore). Initials (szszxqy) are looked up as prefixes in a sorted list. The best 200 names
are re-ranked with rapidfuzz on the folded name, on its core (苏州, 苏州知识产权) and on the
pinyin of both.
"""
from __future__ import annotations

import bisect
import functools
import gc
import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Iterable
from itertools import compress

from rapidfuzz import fuzz

from matching.name_reading import (
    MAX_QUERY_CHARS, SOUNDS, Reading, add_weight, expand_abbreviations, fold_name, fold_query,
    load_aliases, read_name, read_query)

CANDIDATES = 200          # names re-ranked per query
POSTINGS_BUDGET = 5_000   # postings read per query, rarest terms first
MIN_SCORE = 45.0          # below this a name is not "reasonably close"
_SETTLED = 0.25           # stop reading postings when new names could reach 1/4 of the best


class NameIndex:
    """In-memory fuzzy index of institution names."""

    def __init__(self, entries: Iterable[tuple[int, str]]):
        self._aliases = load_aliases()
        collecting = gc.isenabled()
        gc.disable()  # a build makes millions of small objects and no cycles: skip the scans
        try:
            self._build(entries)
        finally:
            if collecting:
                gc.enable()

    def _build(self, entries: Iterable[tuple[int, str]]) -> None:
        rows = []
        for institution_id, name in entries:
            text = fold_name(name or "")
            if text:
                rows.append((len(text), text, int(institution_id), name))
        rows.sort(key=lambda row: row[0])  # postings list short names first (see _candidates)
        self._ids = array("q", [row[2] for row in rows])
        self._names = [text if name == text else name for _, text, _, name in rows]
        self._text = [row[1] for row in rows]
        del rows
        self._core, self._sound, self._core_sound, self._initials = [], [], [], []
        pool: dict[str, str] = {}  # one string object per distinct key
        pinyin, parts = [], {}
        postings: dict[str, array] = defaultdict(functools.partial(array, "i"))
        overflow: dict[str, int] = defaultdict(int)
        for doc, text in enumerate(self._text):
            reading, terms, generic_terms, letters = read_name(text, parts)
            self._core.append(pool.setdefault(reading.core, reading.core))
            self._sound.append(reading.sound)
            self._core_sound.append(pool.setdefault(reading.core_sound, reading.core_sound))
            self._initials.append(pool.setdefault(reading.initials, reading.initials))
            pinyin.append(letters)
            for term in dict.fromkeys(terms):
                postings[term].append(doc)
            for term in dict.fromkeys(generic_terms):  # only read when a query has nothing else
                posting = postings[term]
                if len(posting) < POSTINGS_BUDGET:
                    posting.append(doc)
                else:
                    overflow[term] += 1
        # Past the budget a posting is never read whole: keep its shortest names, and its size.
        self._frequency = {t: len(p) + overflow[t] for t, p in postings.items()
                           if len(p) + overflow.get(t, 0) > POSTINGS_BUDGET}
        self._postings = {t: p if len(p) <= POSTINGS_BUDGET else p[:POSTINGS_BUDGET]
                          for t, p in postings.items()}
        self._prefixes = {form: _sorted_keys(keys) for form, keys in
                          (("text", self._text), ("pinyin", pinyin), ("initials", self._initials))}

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str, limit: int = 20) -> list[tuple[int, float]]:
        """Ids best first with a relevance score in (0, 100]; [] when nothing is reasonably close."""
        return [(self._ids[doc], score) for doc, score in self._search(query, limit)]

    def suggest(self, prefix: str, limit: int = 8) -> list[tuple[int, str]]:
        """(id, name) as the user types: names that begin with the prefix, or whose pinyin or
        initials do, shortest first; then the best fuzzy matches."""
        folded = fold_name(prefix[:MAX_QUERY_CHARS])
        if not folded or limit <= 0:
            return []
        forms = ["text"] + (["pinyin", "initials"] if folded.isascii() and folded.isalpha() else [])
        found: dict[int, tuple] = {}
        for rank, form in enumerate(forms):
            keys, docs = self._prefixes[form]
            start = bisect.bisect_left(keys, folded)
            for position in range(start, min(start + 4 * limit + 20, len(keys))):
                if not keys[position].startswith(folded):
                    break
                found.setdefault(docs[position], (rank, docs[position]))
        docs = [doc for _, doc in sorted(found.values())[:limit]]
        if len(docs) < limit:
            docs += [doc for doc, _ in self._search(prefix, limit) if doc not in found]
        return [(self._ids[doc], self._names[doc]) for doc in docs[:limit]]

    def _search(self, query: str, limit: int) -> list[tuple[int, float]]:
        readings = self._readings(query)
        if not readings or limit <= 0 or not self._ids:
            return []
        weights: dict[str, float] = {}
        for reading in readings:
            for term, weight in reading.terms.items():
                add_weight(weights, term, weight)
        if readings[0].initials_only:
            overlap, total = self._initials_candidates(readings[0].initials), 1.0
        else:
            overlap, total = self._candidates(weights)
        scored = []
        for doc, matched in overlap.items():
            similarity = max(self._similarity(reading, doc) for reading in readings)
            score = 0.8 * similarity + 20.0 * min(1.0, matched / total)
            if score >= MIN_SCORE:
                provincial, places = self._prominence(doc)
                scored.append((-score, not provincial, -places, self._ids[doc], doc))
        scored.sort()
        return [(doc, round(min(100.0, -score), 2)) for score, *_, doc in scored[:limit]]

    def _readings(self, query: str) -> list[Reading]:
        """The query as typed and, when it holds abbreviations, with their full forms; pinyin
        that splits into syllables in more than one likely way (daxinganling), each way."""
        folded = fold_query(query)
        expanded = expand_abbreviations(folded, self._aliases, self._postings)
        return [reading for text in dict.fromkeys([folded, expanded])
                for split in range(3) if (reading := read_query(
                    text, self._aliases, self._postings, split))]

    def _candidates(self, weights: dict[str, float]) -> tuple[dict[int, float], float]:
        """Names by IDF-weighted overlap with the query terms: the rarest terms' postings are
        read within a budget; the commoner terms then only score the best 400 names."""
        postings, size = self._postings, len(self._ids)
        ranked = []
        for term, weight in weights.items():
            frequency = self._frequency.get(term) or len(postings.get(term, ())) or size
            ranked.append((frequency, term, weight * math.log(1.0 + size / frequency)))
        ranked.sort()
        overlap: dict[int, float] = {}
        later, spent, read = [], 0, 0.0
        unread = sum(w for _, term, w in ranked if term in postings)  # the most a new name can get
        settled = False
        for _, term, weight in ranked:
            posting = postings.get(term)
            # Settled: a name not yet seen would now be far behind the best one (MaxScore).
            settled = settled or (bool(overlap) and unread < _SETTLED * read
                                  and unread < _SETTLED * max(overlap.values()))
            if posting is None or settled or (overlap and spent + len(posting) > POSTINGS_BUDGET):
                later.append((term, weight))
            else:
                spent, read = spent + len(posting), read + weight
                get = overlap.get
                for doc in posting:
                    overlap[doc] = get(doc, 0.0) + weight
            if posting is not None:
                unread -= weight
        if not overlap:  # generic words only: look among the shortest names
            overlap = dict.fromkeys(range(min(size, 2 * CANDIDATES)), 0.0)
        if len(overlap) > 2 * CANDIDATES:  # the best 400, shorter names first among equals
            cutoff = heapq.nlargest(2 * CANDIDATES, overlap.values())[-1]
            above = list(compress(overlap, map(cutoff.__lt__, overlap.values())))
            tied = heapq.nsmallest(2 * CANDIDATES - len(above),
                                   compress(overlap, map(cutoff.__eq__, overlap.values())))
            overlap = {doc: overlap[doc] for doc in above + tied}
        # Distinctive terms decide which 200 names are re-ranked (ties: shorter names);
        # generic words, in nearly every name, only add to the score of those.
        low = self._aliases.generic_weight
        self._score_containment(overlap, [(t, w) for t, w in later if weights[t] > low])
        best = sorted(overlap, key=lambda doc: (-overlap[doc], doc))[:CANDIDATES]
        overlap = {doc: overlap[doc] for doc in best}
        self._score_containment(overlap, [(t, w) for t, w in later if weights[t] <= low])
        return overlap, sum(w for *_, w in ranked) or 1.0

    def _score_containment(self, overlap: dict[int, float], terms: list[tuple[str, float]]) -> None:
        """Add each term's weight to the names that hold it."""
        for term, weight in terms:
            keys = self._sound if SOUNDS[0] <= ord(term[0]) <= SOUNDS[1] else self._text
            for doc in overlap:
                if term in keys[doc]:
                    overlap[doc] += weight

    def _initials_candidates(self, initials: str) -> dict[int, float]:
        """Names whose initials begin with the query's (szszxqy: 苏州市中小企业…), shortest first."""
        keys, docs = self._prefixes["initials"]
        start = bisect.bisect_left(keys, initials)
        end = min(bisect.bisect_left(keys, initials + "~"), start + POSTINGS_BUDGET)
        return dict.fromkeys(heapq.nsmallest(CANDIDATES, docs[start:end]), 1.0)

    def _similarity(self, reading: Reading, doc: int) -> float:
        """rapidfuzz similarity (0-100) of one reading of the query to one name."""
        if reading.initials_only:
            initials = self._initials[doc]
            if initials.startswith(reading.initials):  # ties go to the more prominent place
                return 100.0 if initials == reading.initials else 95.0
            return 0.9 * fuzz.ratio(reading.initials, initials)
        sound = _blend(reading.sound, self._sound[doc], reading.core_sound, self._core_sound[doc])
        if not reading.latin:
            text = _blend(reading.text, self._text[doc], reading.core, self._core[doc])
            return 0.75 * text + 0.25 * sound
        if reading.cjk:
            return 0.35 * fuzz.partial_ratio(reading.cjk, self._text[doc]) + 0.65 * sound
        return sound

    def _prominence(self, doc: int) -> tuple[bool, int]:
        """What breaks ties between names that read alike (szszxqy: 苏州, 深圳, 宿州 …): a
        province's own institutions first, then the place with more institutions (names that
        share the first two characters); after it, the registry's order (lower id)."""
        text = self._text[doc]
        head = text[:2]
        return (self._aliases.provincial_pattern.match(text) is not None,
                self._frequency.get(head) or len(self._postings.get(head, ())))


def _blend(whole: str, name: str, core: str, name_core: str) -> float:
    """Similarity of the whole texts (40 %) and of their cores (60 %); a core typed in part
    (长春 shuzihua for 长春数字化转型促进) keeps half of the credit of a full one."""
    core, name_core = core or whole, name_core or name
    core_score = fuzz.ratio(core, name_core)
    if len(core) < len(name_core):
        core_score = (core_score + max(core_score, fuzz.partial_ratio(core, name_core))) / 2
    return 0.4 * fuzz.ratio(whole, name) + 0.6 * core_score


def _sorted_keys(keys: list[str]) -> tuple[list[str], array]:
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return [keys[doc] for doc in order], array("i", order)
