"""How the name search reads institution names and queries.

A name is folded (NFKC, simplified, lower case, no punctuation), cut into place chunks (苏州市 |
中小企业公共服务中心) and read as characters, pinyin and initials. Its "core" leaves out the
generic words of matching/data/aliases.toml (中小企业, 服务, 中心, 市). Pinyin is kept as a
"sound": one private-use character a syllable, so that rapidfuzz compares syllables, not
letters (da lian is not da li xian), and a pair of syllables is a two-character index term.
A query is read the same way, with pinyin typed in Latin letters cut into syllables, and with
the index's vocabulary at hand to tell typos (保户, 盱胎) from words.
"""
from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from itertools import compress
from operator import not_
from pathlib import Path
from typing import NamedTuple

from matching.normalize import normalize_text, pinyin_syllables

ALIASES_PATH = Path(__file__).with_name("data") / "aliases.toml"
MAX_QUERY_CHARS = 40      # the longest names are about 30 characters
JUNCTION_WEIGHT = 0.5     # weight of a pair of characters half in a generic word

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUN = re.compile(f"[{_CJK}]+|[a-z]+|[0-9]+")
_DROPPED = re.compile(f"[^{_CJK}a-z0-9]+")
# Place names end at their administrative suffix. Pinyin is cached per such chunk: 200,000
# names share a few thousand places and a few dozen kinds of centre.
_PLACE_CHUNK = re.compile(".*?(?:自治区|自治州|自治县|省|市|县|区|旗|盟)|.+")
_SUFFIXES = "市县区州旗盟"
SOUNDS = (0xE000, 0xF8FF)  # private-use characters that stand for syllables
_UNKNOWN_SOUND = chr(SOUNDS[1])


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
    provincial_pattern: re.Pattern     # a province's full name: 江苏省, 广西壮族自治区
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

    def alternatives(keys) -> str:  # longest first; an empty list matches nothing
        return "|".join(map(re.escape, sorted(keys, key=len, reverse=True))) or "(?!)"
    return Aliases(
        replacements=replacements,
        province_short=data["province_short"],
        generic_weight=float(data["generic"]["weight"]),
        replacement_pattern=re.compile(alternatives(replacements)),
        provincial_pattern=re.compile(alternatives(set(data["province_short"].values()))),
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


@functools.cache
def _pinyin_set() -> frozenset[str]:
    return frozenset(_pinyin_inventory())


@functools.lru_cache(maxsize=4096)
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
    inventory = _pinyin_set()
    best: list[list[tuple[float, tuple[str, ...]]]] = [[(0.0, ())]] + [[] for _ in word]
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            syllable = word[start:end]
            if best[start] and syllable in inventory:
                cost = 1.5 if start and syllable[0] in "aeo" else 1.0
                best[end] += [(before + cost, split + (syllable,)) for before, split in best[start]]
        best[end] = sorted(best[end])[:keep]
    return tuple(split for cost, split in best[-1] if cost <= best[-1][0][0] + 0.5)


@functools.cache
def _sound_codes() -> dict[str, str]:
    """One private-use character per pinyin syllable. Comparing these, rapidfuzz compares pinyin
    syllable by syllable (da lian is not da li xian), and a pair of syllables is a two-character
    term. Syllables outside pypinyin's inventory (Latin words in names) are learnt from names."""
    return {s: chr(SOUNDS[0] + i) for i, s in enumerate(_pinyin_inventory())}


def _sound(syllables: list[str], *, learn: bool = False) -> str:
    codes = _sound_codes()
    try:
        return "".join(map(codes.__getitem__, syllables))
    except KeyError:
        if learn:
            for syllable in syllables:
                if syllable not in codes and SOUNDS[0] + len(codes) < SOUNDS[1]:
                    codes[syllable] = chr(SOUNDS[0] + len(codes))
        return "".join([codes.get(syllable, _UNKNOWN_SOUND) for syllable in syllables])


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


@dataclass(slots=True)
class Reading:
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


class _Part(NamedTuple):
    """A chunk of a name (苏州市, 中小企业公共服务中心), read once for all the names that hold it."""

    text: str
    sound: str
    core: str
    core_sound: str
    initials: str
    letters: str                          # pinyin
    edges: tuple[bool, bool, bool, bool]  # first, last character generic; first, last syllable
    terms: list[str]
    generic_terms: list[str]              # pairs of characters of generic words: 中小, 服务


def _read_part(chunk: str) -> _Part:
    aliases = load_aliases()
    if _is_cjk(chunk):
        syllables = _chunk_syllables(chunk)
        chars = _generic_marks(chunk, aliases.generic_pattern)
        marks = _syllable_marks(chunk, syllables, aliases)
    else:  # a Latin word or a number: one token
        syllables, chars, marks = (chunk,), [False] * len(chunk), [False]
    sound = _sound(syllables, learn=True)
    terms = [c for c in chunk if c > "\u2fff" and c not in aliases.generic_chars]
    terms += [chunk[i:i + 2] for i in range(len(chunk) - 1) if not (chars[i] and chars[i + 1])]
    terms += [sound[i:i + 2] for i in range(len(sound) - 1) if not (marks[i] and marks[i + 1])]
    return _Part(chunk, sound, "".join(compress(chunk, map(not_, chars))),
                 "".join(compress(sound, map(not_, marks))), "".join([s[0] for s in syllables]),
                 "".join(syllables),
                 (chars[0], chars[-1], *((marks[0], marks[-1]) if marks else (True, True))), terms,
                 [chunk[i:i + 2] for i in range(len(chunk) - 1) if chars[i] and chars[i + 1]])


def read_name(text: str, parts: dict[str, _Part]) -> tuple[Reading, list[str], list[str], str]:
    """A folded name's reading, its index terms, the pairs of characters of its generic words
    (中小, 服务: in most names, so they are indexed apart), and its pinyin. ``parts`` caches the
    chunks already read."""
    chain = []
    for run in _RUN.findall(text):
        for chunk in _PLACE_CHUNK.findall(run) if _is_cjk(run) else (run,):
            part = parts.get(chunk)
            chain.append(part if part is not None else parts.setdefault(chunk, _read_part(chunk)))
    terms, generic_terms = [], []
    for before, after in zip(chain, chain[1:]):
        pair = before.text[-1] + after.text[0]
        (generic_terms if before.edges[1] and after.edges[0] else terms).append(pair)
        if before.sound and after.sound and not (before.edges[3] and after.edges[2]):
            terms.append(before.sound[-1] + after.sound[0])
    for part in chain:
        terms += part.terms
        generic_terms += part.generic_terms
    reading = Reading(text=text, core="".join([p.core for p in chain]),
                       sound="".join([p.sound for p in chain]),
                       core_sound="".join([p.core_sound for p in chain]),
                       initials="".join([p.initials for p in chain]))
    return reading, terms, generic_terms, "".join([p.letters for p in chain])


def read_query(text: str, aliases: Aliases, vocabulary,
               split: int = 0) -> Reading | None:
    """A folded query's reading and weighted terms, its pinyin runs cut in syllables their
    ``split``-th likeliest way; None when it has nothing to search for, or no such split."""
    runs = _RUN.findall(text)
    if not runs or (split and not any(len(segment_pinyin(run)) > split for run in runs)):
        return None
    reading = Reading()
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
            cores.append("".join(compress(run, map(not_, marks))))
            cjk.append(run)
            known = [run[i:i + 2] in vocabulary or marks[i] and marks[i + 1]
                     for i in range(len(run) - 1)] + [False]
            unknown_pairs += ([not k for k in known] if len(run_syllables) == len(run)
                              else [True] * len(run_syllables))
            for i, char in enumerate(run):
                if i + 1 < len(run):  # a pair across a place and a generic word (州中) says less
                    weight = (low if marks[i] + marks[i + 1] == 2
                              else JUNCTION_WEIGHT if marks[i] or marks[i + 1] else 1.0)
                    add_weight(reading.terms, run[i:i + 2], weight)
                # A character alone only where a typo broke both of its pairs (盱胎县).
                if char not in aliases.generic_chars and not known[i] and not (i and known[i - 1]):
                    add_weight(reading.terms, char, 1.0)
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
            cores.append("".join(compress(segmented, map(not_, flags))))
            syllables += segmented
            generic += flags
            unknown_pairs += [True] * len(segmented)
        else:
            cores.append(run)
            initials_runs.append(run)
    sound = _sound(syllables)
    reading.text, reading.core, reading.cjk = "".join(texts), "".join(cores), "".join(cjk)
    reading.sound, reading.core_sound = sound, "".join(compress(sound, map(not_, generic)))
    reading.initials = "".join(s[0] for s in syllables) + "".join(initials_runs)
    reading.initials_only = bool(initials_runs)
    for i in range(len(sound) - 1):  # Chinese pairs found as such need no pinyin (but 保户 does)
        if unknown_pairs[i] and not (generic[i] and generic[i + 1]):
            add_weight(reading.terms, sound[i:i + 2], 1.0)
    return reading


def add_weight(terms: dict[str, float], term: str, weight: float) -> None:
    terms[term] = max(weight, terms.get(term, 0.0))


def _latin_generic_flags(syllables: tuple[str, ...], aliases: Aliases) -> list[bool]:
    flags = [False] * len(syllables)
    for size in range(len(syllables), 1, -1):
        for i in range(len(syllables) - size + 1):
            if syllables[i:i + size] in aliases.generic_syllables:
                flags[i:i + size] = [True] * size
    return flags


def fold_query(query: str) -> str:
    """A query folded for reading: NFKC, simplified, lower case, single spaces."""
    return normalize_text(_clean(query[:MAX_QUERY_CHARS]))


def fold_name(name: str) -> str:
    """A name folded to its Chinese characters, Latin letters and digits."""
    return _DROPPED.sub("", normalize_text(_clean(name)))


def expand_abbreviations(text: str, aliases: Aliases, vocabulary) -> str:
    """Abbreviations replaced by full forms, where the text does not go on with the full form
    (中小企 → 中小企业, but 中小企业 stays); a province's one-character name (粤) too, when it
    stands alone or begins the text and is not part of a known pair (苏州, 新吴区)."""
    def replace(match: re.Match) -> str:
        key, full = match.group(), aliases.replacements[match.group()]
        offset = full.find(key)
        rest = full[offset + len(key):] if offset >= 0 else ""
        return key if rest and text.startswith(rest[0], match.end()) else full
    words = aliases.replacement_pattern.sub(replace, text).split(" ")
    for i, word in enumerate(words):
        if word in aliases.province_short:
            words[i] = aliases.province_short[word]
        elif i == 0 and word[:1] in aliases.province_short and len(word) > 1 \
                and _is_cjk(word[1]) and word[:2] not in vocabulary:
            words[i] = aliases.province_short[word[0]] + word[1:]
    return " ".join(words)


def _clean(text: str) -> str:
    """Text without lone surrogates, which no codec (and so OpenCC) accepts."""
    return text if text.isascii() else text.encode("utf-8", "ignore").decode("utf-8")


