"""Need classification: which service categories a need, in the SME's own words, asks for.

Evidence is lexicon terms found in the folded need: Chinese terms as substrings, their pinyin
homophones (input-method typos such as 融姿 for 融资), English words and phrases, and close
misspellings of long English words. Where found terms overlap, the longest wins. A category is
detected when the weights of its terms add up to the lexicon's threshold, so a weak word alone
never decides, and text that contains no term gives no category at all.
"""
import functools
import math
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from matching.lexicon import (
    Lexicon, Term, default_lexicon, english_stem, english_words, is_chinese, usual_reading)
from matching.normalize import close_han_gaps, normalize_text

_MASK = "|"
# Characters that end a clause: a negation does not reach across them.
_CLAUSE_BREAKS = frozenset("，。,.;；!！?？、|\n:：")
# How far a negation reaches: 不需要任何贷款, "we don't need any loans".
_NEGATION_REACH = {True: 12, False: 3}  # characters, by whether the negation is English


@dataclass(frozen=True)
class CategoryMatch:
    """A category the need asks for, how strongly, and the lexicon terms that said so."""

    code: str
    score: float                     # 0 < score <= 1, comparable across categories
    matched_terms: tuple[str, ...]   # lexicon terms as written in the lexicon


@dataclass(frozen=True)
class _Hit:
    term: Term
    start: int   # character offsets in the folded need, end exclusive
    end: int
    weight: float

    @property
    def length(self) -> int:
        return self.end - self.start


def classify_need(text: str, lexicon: Lexicon | None = None) -> list[CategoryMatch]:
    """Categories the need asks for, best first; [] when it asks for none."""
    lexicon = lexicon or default_lexicon()
    folded = _fold(text, lexicon)
    if not folded:
        return []
    exact = _chinese_hits(folded, lexicon)
    hits = [*exact, *_homophone_hits(folded, lexicon, exact), *_english_hits(folded, lexicon)]
    return _categories(_longest(_asked_for(hits, folded, lexicon)), lexicon)


def lexicon_terms_in(text: str, lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """Every lexicon term (folded) occurring literally in ``text``, sorted; for text relevance."""
    lexicon = lexicon or default_lexicon()
    folded = close_han_gaps(normalize_text(text))
    found: set[str] = set()
    index = lexicon.by_first_char
    for start, char in enumerate(folded):
        for term in index.get(char, ()):
            if term.folded not in found and folded.startswith(term.folded, start):
                found.add(term.folded)
    if any("a" <= char <= "z" for char in folded):
        found.update(term.folded for term in lexicon.terms if term.is_english and term.folded in folded)
    return tuple(sorted(found))


def _fold(text: str, lexicon: Lexicon) -> str:
    try:
        folded = normalize_text(text)
    except UnicodeError:  # lone surrogates, e.g. from a JSON "\ud800" escape
        folded = normalize_text(text.encode("utf-8", "replace").decode("utf-8"))
    folded = close_han_gaps(folded)   # "知识 产权" is 知识产权, typed with a space
    for phrase in lexicon.stop_phrases:
        if phrase in folded:
            folded = folded.replace(phrase, _MASK * len(phrase))
    return folded


def _chinese_hits(folded: str, lexicon: Lexicon) -> list[_Hit]:
    hits = []
    index = lexicon.by_first_char
    for start, char in enumerate(folded):
        for term in index.get(char, ()):
            if folded.startswith(term.folded, start):
                hits.append(_Hit(term, start, start + len(term.folded), term.weight))
    return hits


def _homophone_hits(folded: str, lexicon: Lexicon, exact: list[_Hit]) -> list[_Hit]:
    """Terms written with a wrong character of the right sound, as a pinyin input method does.

    At least one character of a two-character term, and half of a longer one, must be right.
    Not typos: a substitute that is a common function character (是, 的, ...) or part of a term
    found as written (the 册 of 注册一下 is not a typo of 测一下), a span that is a term itself,
    and a span inside a real word (自助 sounds like 资助; 监测 like 检测).
    """
    readings = [usual_reading(char) if is_chinese(char) else "" for char in folded]
    written = frozenset(offset for hit in exact for offset in range(hit.start, hit.end))
    hits = []
    index = lexicon.by_first_sounds
    for start in range(len(folded) - 1):
        if readings[start] and readings[start + 1]:
            for term in index.get((readings[start], readings[start + 1]), ()):
                if _sounds_like(term, folded, start, readings, written, lexicon):
                    weight = term.weight * lexicon.homophone_factor
                    hits.append(_Hit(term, start, start + len(term.folded), weight))
    return hits


def _sounds_like(term: Term, folded: str, start: int, readings: list[str],
                 written: frozenset[int], lexicon: Lexicon) -> bool:
    size = len(term.folded)
    span = folded[start:start + size]
    if len(span) < size or span in lexicon.chinese_texts:
        return False
    right = 0
    for offset, char in enumerate(span):
        if char == term.folded[offset]:
            right += 1
        elif (char in lexicon.not_typos or start + offset in written
              or readings[start + offset] != term.syllables[offset]):
            return False
    if right < (1 if size == 2 else (size + 1) // 2):
        return False
    for offset, word in lexicon.homophone_exclusions.get(span, ()):
        if start >= offset and folded.startswith(word, start - offset):
            return False
    return True


def _english_hits(folded: str, lexicon: Lexicon) -> list[_Hit]:
    words = english_words(folded)
    if not words:
        return []
    stems = [english_stem(word) for word, _ in words]
    misspelt = [False] * len(words)
    for position, (word, _) in enumerate(words):
        unknown = stems[position] not in lexicon.english_vocabulary
        if unknown and len(word) >= lexicon.typo_min_length and word.isalpha():
            corrected = _corrected(stems[position], lexicon)
            if corrected:
                stems[position], misspelt[position] = corrected, True
    hits = []
    for position, stem in enumerate(stems):
        for term in lexicon.by_first_stem.get(stem, ()):
            size = len(term.stems)
            if tuple(stems[position:position + size]) != term.stems:
                continue
            factor = lexicon.typo_factor if any(misspelt[position:position + size]) else 1
            weight = term.weight * factor
            last_word, last_start = words[position + size - 1]
            hits.append(_Hit(term, words[position][1], last_start + len(last_word), weight))
    return hits


@functools.lru_cache(maxsize=65536)
def _corrected(stem: str, lexicon: Lexicon) -> str | None:
    """The lexicon word a misspelt English word was meant to be: finac → financ, patnet → patent."""
    if stem in lexicon.typo_exclusions:
        return None
    targets = lexicon.typo_targets.get(stem[0])
    if not targets:
        return None
    limit = 1 if len(stem) < 10 else 2
    found = process.extractOne(stem, targets, scorer=OSA.distance, score_cutoff=limit)
    return found[0] if found else None


def _asked_for(hits: list[_Hit], folded: str, lexicon: Lexicon) -> list[_Hit]:
    """Drop terms right after a negation in the same clause: 不缺钱, 不需要贷款, "don't need a loan"."""
    cues = [cue for cue in lexicon.negations if cue in folded]
    if not cues:
        return hits
    return [hit for hit in hits if not any(_negates(cue, hit.start, folded) for cue in cues)]


def _negates(cue: str, start: int, folded: str) -> bool:
    # The cue may end inside the term (不缺 + 缺钱) but must begin before it.
    reach = _NEGATION_REACH[cue.isascii()]
    found = folded.rfind(cue, max(0, start - reach - len(cue)), start + len(cue) - 1)
    return found != -1 and not _CLAUSE_BREAKS.intersection(folded[found + len(cue):start])


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Drop hits overlapping a longer one: 管理培训 hides 培训, and in 想用工业互联网 the
    longer 工业互联网 claims the 工 that 用工 would need."""
    kept: list[_Hit] = []
    claimed: dict[int, int] = {}  # character offset → length of the longest kept hit over it
    for hit in sorted(hits, key=lambda h: (-h.length, h.start, -h.weight)):
        span = range(hit.start, hit.end)
        if all(claimed.get(offset, 0) <= hit.length for offset in span):
            kept.append(hit)
            for offset in span:
                claimed.setdefault(offset, hit.length)
    return kept


def _categories(hits: list[_Hit], lexicon: Lexicon) -> list[CategoryMatch]:
    evidence: dict[str, dict[Term, tuple[float, int]]] = {}
    for hit in hits:
        terms = evidence.setdefault(hit.term.code, {})
        weight, start = terms.get(hit.term, (0.0, hit.start))
        terms[hit.term] = (max(weight, hit.weight), min(start, hit.start))
    matches = []
    for code, terms in evidence.items():
        total = sum(weight for weight, _ in terms.values())
        if total + 1e-9 < lexicon.threshold:
            continue
        ordered = sorted(terms.items(), key=lambda item: (-item[1][0], item[1][1]))
        score = round(1 - math.exp(-total), 4)
        matches.append(CategoryMatch(code, score, tuple(term.text for term, _ in ordered)))
    order = {code: rank for rank, code in enumerate(lexicon.codes)}
    return sorted(matches, key=lambda m: (-m.score, order[m.code]))
