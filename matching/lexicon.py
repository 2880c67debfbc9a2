"""The category lexicon: reviewable terms per service category, compiled for need matching.

The terms live in ``data/lexicon.toml``; this module folds them the way need text is folded
(``normalize_text``), works out their pinyin for homophone matching and their English word
stems, and indexes them so classification only looks at terms that can start where it is.
"""
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from matching.normalize import normalize_text, pinyin_syllables

DEFAULT_PATH = Path(__file__).parent / "data" / "lexicon.toml"
EXCLUSIONS_NAME = "typo_exclusions.toml"   # generated, beside the lexicon

_ENGLISH_WORD = re.compile(r"[a-z0-9]+")


def is_chinese(char: str) -> bool:
    """A CJK unified ideograph (basic block or extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@functools.lru_cache(maxsize=None)
def usual_reading(char: str) -> str:
    """The usual toneless reading of a Chinese character, what one types to get it: 行 → xing."""
    syllables = pinyin_syllables(char)
    return syllables[0] if syllables else ""


def english_stem(word: str) -> str:
    """A folded English word with plural, -ing and final -e dropped: financing → financ.

    Deliberately crude: lexicon terms and need text go through the same folding, so it only
    has to be consistent, not linguistically right.
    """
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def english_words(folded: str) -> list[tuple[str, int]]:
    """Runs of ASCII letters and digits in folded text, with their character offsets."""
    return [(match.group(), match.start()) for match in _ENGLISH_WORD.finditer(folded)]


@dataclass(frozen=True)
class Term:
    """One lexicon term of one category, with what matching needs precomputed."""

    text: str                      # as written in the lexicon
    code: str                      # the category it routes to
    weight: float
    folded: str                    # normalize_text(text)
    syllables: tuple[str, ...]     # pinyin per character, for an all-Chinese term of 2+ characters
    stems: tuple[str, ...]         # English word stems, for an ASCII term

    @property
    def is_english(self) -> bool:
        return bool(self.stems)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Compiled lexicon: terms indexed by how a match can start (character, pinyin, word)."""

    codes: tuple[str, ...]
    terms: tuple[Term, ...]
    shared_terms: frozenset[str]                 # folded terms routed to several categories
    threshold: float
    homophone_factor: float
    typo_factor: float
    stop_phrases: tuple[str, ...]
    negations: tuple[str, ...]                   # folded, Chinese and English
    not_typos: frozenset[str]                    # characters never taken for a homophone typo
    # Real words that contain a term's homophone (自助 sounds like 资助), by that homophone span:
    # span → (offset of the span in the word, word).
    homophone_exclusions: Mapping[str, tuple[tuple[int, str], ...]]
    by_first_char: Mapping[str, tuple[Term, ...]]
    by_first_sounds: Mapping[tuple[str, str], tuple[Term, ...]]  # pinyin of the first two characters
    chinese_texts: frozenset[str]                # every Chinese term, folded
    by_first_stem: Mapping[str, tuple[Term, ...]]
    english_vocabulary: frozenset[str]           # every stem of every English term
    typo_targets: Mapping[str, tuple[str, ...]]  # long stems by first letter, for misspellings
    typo_min_length: int
    typo_exclusions: frozenset[str]              # real words never taken for misspellings


def _index(pairs) -> Mapping:
    grouped: dict = {}
    for key, term in pairs:
        grouped.setdefault(key, []).append(term)
    # Longest first, so the first hit at a position is the most specific one.
    return MappingProxyType({key: tuple(sorted(terms, key=lambda t: -len(t.folded)))
                             for key, terms in grouped.items()})


def _compile_term(text: str, code: str, weight: float) -> Term:
    folded = normalize_text(text)
    if not folded:
        raise ValueError(f"empty term in category {code!r}")
    if folded.isascii():
        stems = tuple(english_stem(word) for word, _ in english_words(folded))
        if not stems:
            raise ValueError(f"term {text!r} of {code!r} has no letters or digits")
        return Term(text, code, weight, folded, (), stems)
    syllables = ()
    if len(folded) >= 2 and all(is_chinese(char) for char in folded):
        syllables = tuple(pinyin_syllables(folded))
        if len(syllables) != len(folded):
            syllables = ()
    return Term(text, code, weight, folded, syllables, ())


def _category_terms(code: str, entry: dict) -> list[Term]:
    weighted = entry.get("weighted", {})
    texts = [(text, 1.0) for text in [*entry.get("zh", []), *entry.get("en", [])]]
    texts += [(text, float(weight)) for text, weight in weighted.items()]
    terms: dict[str, Term] = {}
    for text, weight in texts:
        if not 0 < weight <= 1:
            raise ValueError(f"weight of {text!r} in {code!r} must be in (0, 1]")
        term = _compile_term(text, code, weight)
        key = " ".join(term.stems) if term.is_english else term.folded
        if key in terms:  # e.g. "patents" next to "patent": both fold to the same stems
            raise ValueError(f"{text!r} and {terms[key].text!r} are the same term in {code!r}")
        terms[key] = term
    return list(terms.values())


def _spans_of(words: list[str]) -> Mapping[str, tuple[tuple[int, str], ...]]:
    spans: dict[str, list[tuple[int, str]]] = {}
    for word in {normalize_text(word) for word in words}:
        for start in range(len(word) - 1):
            for end in range(start + 2, len(word) + 1):
                spans.setdefault(word[start:end], []).append((start, word))
    return MappingProxyType({span: tuple(found) for span, found in spans.items()})


def _check_one_category_each(terms: tuple[Term, ...], shared: frozenset[str]) -> None:
    owners: dict[str, str] = {}
    for term in terms:
        key = " ".join(term.stems) if term.is_english else term.folded
        if owners.setdefault(key, term.code) != term.code and term.folded not in shared:
            raise ValueError(f"{term.text!r} is in {owners[key]!r} and {term.code!r}; "
                             "list it in rules.shared_terms if that is meant")


def load_lexicon(path: Path | str = DEFAULT_PATH, *, exclusions: bool = True) -> Lexicon:
    """Read and compile a lexicon file, with the generated typo exclusions beside it if any.

    ``exclusions=False`` leaves them out: that is how they are generated.
    """
    with open(path, "rb") as file:
        data = tomllib.load(file)
    excluded = {"english": [], "chinese": []}
    exclusions_path = Path(path).with_name(EXCLUSIONS_NAME)
    if exclusions and exclusions_path.exists():
        with open(exclusions_path, "rb") as file:
            excluded |= tomllib.load(file)
    scoring, rules, typos = data["scoring"], data.get("rules", {}), data.get("english_typos", {})
    codes = tuple(data["categories"])
    terms = tuple(term for code in codes for term in _category_terms(code, data["categories"][code]))
    shared = frozenset(normalize_text(term) for term in rules.get("shared_terms", []))
    _check_one_category_each(terms, shared)
    min_length = int(typos.get("min_length", 5))
    vocabulary = frozenset(stem for term in terms for stem in term.stems)
    # Misspellings are corrected towards the words that carry meaning: single-word terms and
    # the long words of phrases (transformation), not phrase glue such as "our" or "new".
    long_stems = sorted({stem for term in terms for stem in term.stems
                         if stem.isalpha() and len(stem) >= min_length - 1
                         and (len(term.stems) == 1 or len(stem) >= 6)})
    return Lexicon(
        codes=codes,
        terms=terms,
        shared_terms=shared,
        threshold=float(scoring["threshold"]),
        homophone_factor=float(scoring["homophone_factor"]),
        typo_factor=float(scoring["typo_factor"]),
        stop_phrases=tuple(normalize_text(p) for p in rules.get("stop_phrases", [])),
        negations=tuple(normalize_text(p) for p in [*rules.get("negations_zh", []),
                                                    *rules.get("negations_en", [])]),
        not_typos=frozenset(normalize_text(rules.get("not_typos", ""))),
        homophone_exclusions=_spans_of(excluded["chinese"]),
        by_first_char=_index((t.folded[0], t) for t in terms if not t.is_english),
        by_first_sounds=_index(((first, second), t) for t in terms if t.syllables
                               for first in {t.syllables[0], usual_reading(t.folded[0])}
                               for second in {t.syllables[1], usual_reading(t.folded[1])}),
        chinese_texts=frozenset(t.folded for t in terms if not t.is_english),
        by_first_stem=_index((t.stems[0], t) for t in terms if t.is_english),
        english_vocabulary=vocabulary,
        typo_targets=MappingProxyType({letter: tuple(s for s in long_stems if s[0] == letter)
                                       for letter in {stem[0] for stem in long_stems}}),
        typo_min_length=min_length,
        typo_exclusions=frozenset(english_stem(normalize_text(word)) for word in excluded["english"]),
    )


@functools.cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with the package, compiled once per process."""
    return load_lexicon(DEFAULT_PATH)
