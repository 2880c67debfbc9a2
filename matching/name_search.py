"""Fuzzy search of institution names: typos, traditional characters, pinyin, initials, abbreviations.

Every name is indexed under its characters, character pairs, pairs of pinyin syllables and
triples of pinyin initials, each weighted by IDF; terms made only of generic words (中小企业,
服务, 中心, 市) are left out. A query reads the postings of its rarest terms first, within a
budget, so it never scans every name; its commoner terms then only score the few hundred names
found. The best 200 are re-ranked with rapidfuzz on the folded name, on its "core" (the name
without generic words: 苏州, 苏州知识产权) and on the pinyin of both.
"""
from __future__ import annotations

import bisect
import functools
import heapq
import math
import re
import tomllib
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path

from rapidfuzz import fuzz

from matching.normalize import normalize_text, pinyin_syllables

ALIASES_PATH = Path(__file__).with_name("data") / "aliases.toml"
CANDIDATES = 200          # names re-ranked per query
POSTINGS_BUDGET = 15_000  # postings read per query, rarest terms first
MIN_SCORE = 45.0          # below this a name is not "reasonably close"
MAX_QUERY_CHARS = 100     # names are shorter than that
_SETTLED = 0.25           # stop reading postings when new names could reach 1/4 of the best

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUN = re.compile(f"[{_CJK}]+|[a-z]+|[0-9]+")
_DROPPED = re.compile(f"[^{_CJK}a-z0-9]+")
# Place names end at their administrative suffix. Pinyin is cached per such chunk: 200,000
# names share a few thousand places and a few dozen kinds of centre.
_PLACE_CHUNK = re.compile(".*?(?:自治区|自治州|自治县|省|市|县|区|旗|盟)|.+")
_SUFFIXES = "市县区州旗盟"
_SOUNDS = (0xE000, 0xF8FF)  # private-use characters that stand for syllables
_UNKNOWN_SOUND = chr(_SOUNDS[1])


def _is_cjk(run: str) -> bool:
    return run[0] > "\u2fff"


@dataclass(frozen=True)
class Aliases:
    """Abbreviations with their full forms, and the generic words of institution names."""

    replacements: dict[str, str]
    province_short: dict[str, str]
    generic_weight: float
    replacement_pattern: re.Pattern
    province_pattern: re.Pattern       # a province before a smaller place: 江苏省(苏州市)
    generic_pattern: re.Pattern
    generic_chars: frozenset[str]       # never indexed alone
    generic_phrase_pattern: re.Pattern  # generic words of two characters or more
    generic_syllables: frozenset[tuple[str, ...]]


@functools.cache
def load_aliases(path: Path = ALIASES_PATH) -> Aliases:
    """The aliases file, parsed once."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    replacements = {**data["abbreviations"], **data["regions"]}
    words = data["generic"]["words"]
    provinces = set(data["province_short"].values())
    provinces |= {name.removesuffix("省").removesuffix("市") for name in provinces}
    provinces |= {short for short, full in data["regions"].items() if full in provinces}

    def alternatives(keys) -> str:
        return "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
    return Aliases(
        replacements=replacements,
        province_short=data["province_short"],
        generic_weight=float(data["generic"]["weight"]),
        replacement_pattern=re.compile(alternatives(replacements)),
        province_pattern=re.compile(
            f"(?:{alternatives(provinces)})(?=[^{_SUFFIXES}]{{1,7}}[{_SUFFIXES}])"),
        generic_pattern=re.compile(alternatives(words)),
        generic_chars=frozenset("".join(words)),
        generic_phrase_pattern=re.compile(alternatives(w for w in words if len(w) > 1)),
        generic_syllables=frozenset(tuple(pinyin_syllables(w)) for w in words if len(w) > 1),
    )


@functools.cache
def _pinyin_inventory() -> tuple[str, ...]:
    """Every toneless pinyin syllable with a vowel, spelt as pypinyin does (ü as v)."""
    from pypinyin.pinyin_dict import pinyin_dict

    syllables = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
            plain = "".join(c for c in plain if not unicodedata.combining(c))
            if plain.isascii() and plain.isalpha() and any(v in plain for v in "aeiouv"):
                syllables.add(plain)
    return tuple(sorted(syllables))


@functools.lru_cache(maxsize=1 << 16)
def _chunk_syllables(chunk: str) -> tuple[str, ...]:
    return tuple(pinyin_syllables(chunk))


def cjk_syllables(run: str) -> list[str]:
    """Pinyin of a run of Chinese characters, cached per place-name chunk."""
    syllables: list[str] = []
    for chunk in _PLACE_CHUNK.findall(run):
        syllables += _chunk_syllables(chunk)
    return syllables


@functools.lru_cache(maxsize=4096)
def segment_pinyin(word: str, keep: int = 3) -> tuple[tuple[str, ...], ...]:
    """Ways to split pinyin typed without spaces into syllables, likeliest first: ``xian`` →
    (xian); ``daxinganling`` → (da xin gan ling), (da xing an ling). Empty when it is
    not pinyin (``szszxqy``). Fewer syllables are likelier, and a syllable opening with a
    vowel after another is unlikely (it would need an apostrophe); splits much less likely
    than the best (zhi shi chan qu an) are left out."""
    inventory = frozenset(_pinyin_inventory())
    best: list[list[tuple[float, tuple[str, ...]]]] = [[(0.0, ())]] + [[] for _ in word]
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            syllable = word[start:end]
            if best[start] and syllable in inventory:
                cost = 1.5 if start and syllable[0] in "aeo" else 1.0
                best[end] += [(before + cost, split + (syllable,)) for before, split in best[start]]
        best[end] = sorted(best[end])[:keep]
    return tuple(split for cost, split in best[-1] if cost <= best[-1][0][0] + 0.5)


class _Sounds:
    """Pinyin syllables as single private-use characters: rapidfuzz then compares pinyin
    syllable by syllable (da lian is not da li xian), and a pair of syllables is a two-character
    term. Syllables outside pypinyin's inventory (Latin words in names) are learnt from names."""

    def __init__(self):
        self._codes = {s: chr(_SOUNDS[0] + i) for i, s in enumerate(_pinyin_inventory())}

    def encode(self, tokens: Iterable[str], *, learn: bool = False) -> str:
        codes = self._codes
        return "".join(codes.get(t) or (self._learn(t) if learn else _UNKNOWN_SOUND) for t in tokens)

    def _learn(self, token: str) -> str:
        if _SOUNDS[0] + len(self._codes) < _SOUNDS[1]:
            self._codes[token] = chr(_SOUNDS[0] + len(self._codes))
        return self._codes.get(token, _UNKNOWN_SOUND)


def _generic_marks(text: str, pattern: re.Pattern) -> list[bool]:
    marks = [False] * len(text)
    for match in pattern.finditer(text):
        marks[match.start():match.end()] = [True] * (match.end() - match.start())
    return marks


def _syllable_marks(text: str, syllables, aliases: Aliases) -> list[bool]:
    """Which syllables belong to generic words. Single characters (市, 县) count as distinctive
    here: typed in pinyin they cannot be told apart (xian 县, xi'an 西安)."""
    if len(syllables) != len(text):
        return [False] * len(syllables)
    return _generic_marks(text, aliases.generic_phrase_pattern)


@functools.lru_cache(maxsize=1 << 16)
def _chunk_reading(chunk: str) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[bool, ...]]:
    """Syllables of a chunk of a name; which of its characters, and syllables, are generic."""
    aliases, syllables = load_aliases(), _chunk_syllables(chunk)
    return (syllables, tuple(_generic_marks(chunk, aliases.generic_pattern)),
            tuple(_syllable_marks(chunk, syllables, aliases)))


@dataclass(slots=True)
class _Reading:
    """A name or a query as compared: folded text, pinyin ("sound", one character a syllable)
    and initials, with and without generic words; for a query, its terms and their weights."""

    text: str = ""            # Chinese, Latin letters and digits, nothing else
    core: str = ""            # text without generic words
    cjk: str = ""             # the Chinese characters and digits of a query
    sound: str = ""
    core_sound: str = ""
    initials: str = ""
    latin: bool = False       # pinyin typed in Latin letters
    initials_only: bool = False
    terms: dict[str, float] = field(default_factory=dict)


def read_name(text: str, sounds: _Sounds) -> tuple[_Reading, list[str], str]:
    """A folded name's reading, its index terms, and its pinyin. Terms made only of generic
    words (中小, 服务) are left out: they are in most names and would only cost time."""
    syllables, char_marks, syllable_marks = [], [], []
    for run in _RUN.findall(text):
        if _is_cjk(run):
            for chunk in _PLACE_CHUNK.findall(run):
                chunk_syllables, chunk_chars, chunk_marks = _chunk_reading(chunk)
                syllables += chunk_syllables
                char_marks += chunk_chars
                syllable_marks += chunk_marks
        else:
            syllables.append(run)
            char_marks += [False] * len(run)
            syllable_marks.append(False)
    sound, initials = sounds.encode(syllables, learn=True), "".join(s[0] for s in syllables)
    reading = _Reading(text=text, core="".join(compress(text, _not(char_marks))), sound=sound,
                       core_sound="".join(compress(sound, _not(syllable_marks))), initials=initials)
    marks, generic_chars = char_marks, load_aliases().generic_chars
    terms = [c for c in text if c > "\u2fff" and c not in generic_chars]
    terms += [text[i:i + 2] for i in range(len(text) - 1) if not (marks[i] and marks[i + 1])]
    marks = syllable_marks
    terms += [sound[i:i + 2] for i in range(len(sound) - 1) if not (marks[i] and marks[i + 1])]
    terms += ["#" + initials[i:i + 3] for i in range(len(initials) - 2)
              if not (marks[i] and marks[i + 1] and marks[i + 2])]
    return reading, terms, "".join(syllables)


def read_query(text: str, aliases: Aliases, sounds: _Sounds, vocabulary,
               split: int = 0) -> _Reading | None:
    """A folded query's reading and weighted terms, its pinyin runs cut in syllables their
    ``split``-th likeliest way; None when it has nothing to search for, or no such split."""
    runs = _RUN.findall(text)
    if not runs or (split and not any(len(segment_pinyin(run)) > split for run in runs)):
        return None
    reading = _Reading()
    texts, cores, cjk, syllables, generic, initials_runs = [], [], [], [], [], []
    unknown_pairs: list[bool] = []  # per syllable: is the pair it starts missing from the index?
    low = aliases.generic_weight
    for run in runs:
        texts.append(run)
        if _is_cjk(run):
            marks = _generic_marks(run, aliases.generic_pattern)
            if province := aliases.province_pattern.match(run):
                marks[:province.end()] = [True] * province.end()
            run_syllables = cjk_syllables(run)
            syllables += run_syllables
            generic += _syllable_marks(run, run_syllables, aliases)
            cores.append("".join(compress(run, _not(marks))))
            cjk.append(run)
            known = [run[i:i + 2] in vocabulary or marks[i] and marks[i + 1]
                     for i in range(len(run) - 1)] + [False]
            unknown_pairs += ([not k for k in known] if len(run_syllables) == len(run)
                              else [True] * len(run_syllables))
            for i, char in enumerate(run):
                if i + 1 < len(run):
                    _add(reading.terms, run[i:i + 2], low if marks[i] and marks[i + 1] else 1.0)
                # A character alone only where a typo broke both of its pairs (盱胎县).
                if char not in aliases.generic_chars and not known[i] and not (i and known[i - 1]):
                    _add(reading.terms, char, 1.0)
        elif run.isdigit():
            cores.append(run)
            cjk.append(run)
            syllables.append(run)
            generic.append(False)
            unknown_pairs.append(True)
        elif splits := segment_pinyin(run):
            reading.latin = True
            segmented = splits[min(split, len(splits) - 1)]
            flags = _latin_generic_flags(segmented, aliases)
            cores.append("".join(compress(segmented, _not(flags))))
            syllables += segmented
            generic += flags
            unknown_pairs += [True] * len(segmented)
        else:
            cores.append(run)
            initials_runs.append(run)
    sound = sounds.encode(syllables)
    reading.text, reading.core, reading.cjk = "".join(texts), "".join(cores), "".join(cjk)
    reading.sound, reading.core_sound = sound, "".join(compress(sound, _not(generic)))
    reading.initials = "".join(s[0] for s in syllables) + "".join(initials_runs)
    reading.initials_only = bool(initials_runs)
    for i in range(len(sound) - 1):  # Chinese pairs found as such need no pinyin (but 保户 does)
        if unknown_pairs[i] and not (generic[i] and generic[i + 1]):
            _add(reading.terms, sound[i:i + 2], 1.0)
    if reading.initials_only:
        for i in range(len(reading.initials) - 2):
            _add(reading.terms, "#" + reading.initials[i:i + 3], 1.0)
    return reading


def _add(terms: dict[str, float], term: str, weight: float) -> None:
    terms[term] = max(weight, terms.get(term, 0.0))


def _not(marks: list[bool]):
    return (not mark for mark in marks)


def _latin_generic_flags(syllables: tuple[str, ...], aliases: Aliases) -> list[bool]:
    flags = [False] * len(syllables)
    for size in (4, 3, 2):
        for i in range(len(syllables) - size + 1):
            if syllables[i:i + size] in aliases.generic_syllables:
                flags[i:i + size] = [True] * size
    return flags


class NameIndex:
    """In-memory fuzzy index of institution names."""

    def __init__(self, entries: Iterable[tuple[int, str]]):
        self._aliases = load_aliases()
        self._sounds = _Sounds()
        pool: dict[str, str] = {}  # one string object per distinct key
        intern = lambda s: pool.setdefault(s, s)  # noqa: E731
        rows = []
        for institution_id, name in entries:
            text = _DROPPED.sub("", normalize_text(_clean(name or "")))
            if text:
                rows.append((len(text), text, int(institution_id), name))
        rows.sort(key=lambda row: row[0])  # postings list short names first (see _candidates)
        self._ids = array("q", [row[2] for row in rows])
        self._names = [text if name == text else name for _, text, _, name in rows]
        self._text = [row[1] for row in rows]
        self._core, self._sound, self._core_sound, self._initials = [], [], [], []
        pinyin = []
        postings: dict[str, array] = defaultdict(functools.partial(array, "i"))
        for doc, text in enumerate(self._text):
            reading, terms, letters = read_name(text, self._sounds)
            self._core.append(intern(reading.core))
            self._sound.append(intern(reading.sound))
            self._core_sound.append(intern(reading.core_sound))
            self._initials.append(intern(reading.initials))
            pinyin.append(intern(letters))
            for term in dict.fromkeys(terms):
                postings[term].append(doc)
        # Past the budget a posting is never read whole: keep its shortest names, and its size.
        self._frequency = {t: len(p) for t, p in postings.items() if len(p) > POSTINGS_BUDGET}
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
        folded = _DROPPED.sub("", normalize_text(_clean(prefix[:MAX_QUERY_CHARS])))
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
                _add(weights, term, weight)
        overlap, total = self._candidates(weights)
        scored = []
        for doc, matched in overlap.items():
            similarity = max(self._similarity(reading, doc) for reading in readings)
            score = 0.8 * similarity + 20.0 * min(1.0, matched / total)
            if score >= MIN_SCORE:
                scored.append((-score, -self._prominence(doc), self._ids[doc], doc))
        scored.sort()
        return [(doc, round(min(100.0, -score), 2)) for score, *_, doc in scored[:limit]]

    def _readings(self, query: str) -> list[_Reading]:
        """The query as typed and, when it holds abbreviations, with their full forms; pinyin
        that splits into syllables in more than one likely way (daxinganling), each way."""
        folded = normalize_text(_clean(query[:MAX_QUERY_CHARS]))
        return [reading for text in dict.fromkeys([folded, self._expand(folded)])
                for split in range(3) if (reading := read_query(
                    text, self._aliases, self._sounds, self._postings, split))]

    def _expand(self, text: str) -> str:
        """Abbreviations replaced by full forms, where the text does not go on with the full form."""
        aliases = self._aliases

        def replace(match: re.Match) -> str:
            key, full = match.group(), aliases.replacements[match.group()]
            offset = full.find(key)
            rest = full[offset + len(key):] if offset >= 0 else ""
            return key if rest and text.startswith(rest[0], match.end()) else full
        words = aliases.replacement_pattern.sub(replace, text).split(" ")
        for i, word in enumerate(words):  # 粤 知识产权, 粤知识产权: but not 苏州, 新吴区
            if word in aliases.province_short:
                words[i] = aliases.province_short[word]
            elif i == 0 and word[:1] in aliases.province_short and len(word) > 1 \
                    and _is_cjk(word[1]) and word[:2] not in self._postings:
                words[i] = aliases.province_short[word[0]] + word[1:]
        return " ".join(words)

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
            settled = settled or bool(overlap) and unread < _SETTLED * read \
                and unread < _SETTLED * max(overlap.values())
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
        for term, weight in later:
            keys, needle = self._keys_for(term)
            for doc in overlap:
                if needle in keys[doc]:
                    overlap[doc] += weight
        best = sorted(overlap, key=lambda doc: (-overlap[doc], doc))[:CANDIDATES]
        return {doc: overlap[doc] for doc in best}, sum(w for *_, w in ranked) or 1.0

    def _keys_for(self, term: str) -> tuple[list[str], str]:
        """Where a name holds a term (its text, its sound or its initials), and what to find."""
        if term[0] == "#":
            return self._initials, term[1:]
        return (self._sound if _SOUNDS[0] <= ord(term[0]) <= _SOUNDS[1] else self._text), term

    def _similarity(self, reading: _Reading, doc: int) -> float:
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

    def _prominence(self, doc: int) -> int:
        """How many names share this one's first two characters: breaks ties between
        homophones (苏州, 宿州) in favour of the place with more institutions; after it, the
        registry's order (lower id) decides."""
        head = self._text[doc][:2]
        return self._frequency.get(head) or len(self._postings.get(head, ()))


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


def _clean(text: str) -> str:
    """Text without lone surrogates, which no codec (and so OpenCC) accepts."""
    return text if text.isascii() else text.encode("utf-8", "ignore").decode("utf-8")
