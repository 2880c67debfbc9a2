"""The category lexicon as data: complete, unambiguous, and compiled the way needs are folded."""
import csv
from pathlib import Path

import pytest

from matching.lexicon import (DEFAULT_PATH, EXCLUSIONS_NAME, default_lexicon, english_stem,
                              load_lexicon)

CATEGORIES_CSV = Path(__file__).resolve().parents[2] / "seed_data" / "categories.csv"


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


def test_categories_are_exactly_the_ten_reference_codes(lexicon):
    with open(CATEGORIES_CSV, encoding="utf-8", newline="") as file:
        reference = [row["code"] for row in csv.DictReader(file)]
    assert len(reference) == 10
    assert set(lexicon.codes) == set(reference)
    assert {term.code for term in lexicon.terms} == set(reference)


def test_every_category_has_a_generous_vocabulary_in_both_languages(lexicon):
    for code in lexicon.codes:
        terms = [term for term in lexicon.terms if term.code == code]
        chinese = [term for term in terms if not term.is_english]
        english = [term for term in terms if term.is_english]
        assert len(terms) >= 30, code
        assert len(chinese) >= 20 and len(english) >= 10, code


def test_terms_are_non_empty_and_weighted_within_range(lexicon):
    for term in lexicon.terms:
        assert term.text.strip() and term.folded, term
        assert 0 < term.weight <= 1, term


def test_no_term_routes_to_two_categories_unless_listed_as_shared(lexicon):
    owners: dict[str, set[str]] = {}
    for term in lexicon.terms:   # English terms meet where they fold to the same stems
        owners.setdefault(" ".join(term.stems) or term.folded, set()).add(term.code)
    ambiguous = {term.folded for term in lexicon.terms if len(owners[" ".join(term.stems) or term.folded]) > 1}
    assert ambiguous == lexicon.shared_terms


def test_chinese_terms_carry_one_syllable_per_character(lexicon):
    for term in lexicon.terms:
        if term.syllables:
            assert len(term.syllables) == len(term.folded), term
    assert next(t for t in lexicon.terms if t.text == "知识产权").syllables == ("zhi", "shi", "chan", "quan")


def test_terms_are_folded_like_need_text(lexicon):
    texts = {term.folded for term in lexicon.terms}
    assert "mes系统" in texts and "mes" in texts   # written upper case in people's needs
    assert all(term.folded == term.folded.casefold() for term in lexicon.terms)


def test_english_folding_joins_plurals_and_ing_forms():
    assert english_stem("loans") == english_stem("loan")
    assert english_stem("financing") == english_stem("finance")
    assert english_stem("subsidies") == english_stem("subsidy")
    assert english_stem("business") == "business"


def test_generated_typo_exclusions_are_real_words_not_terms(lexicon):
    assert (DEFAULT_PATH.with_name(EXCLUSIONS_NAME)).exists()
    assert "parent" in lexicon.typo_exclusions
    assert not lexicon.typo_exclusions & lexicon.english_vocabulary
    assert "自助" in lexicon.homophone_exclusions


def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "lexicon.toml"
    path.write_text('[scoring]\nthreshold = 0.6\nhomophone_factor = 0.7\ntypo_factor = 0.7\n' + body,
                    encoding="utf-8")
    return path


def test_a_term_in_two_categories_is_refused_unless_shared(tmp_path):
    body = '[categories.ip]\nzh = ["专利"]\n[categories.technology]\nzh = ["专利"]\n'
    with pytest.raises(ValueError, match="shared_terms"):
        load_lexicon(_write(tmp_path, body))
    loaded = load_lexicon(_write(tmp_path, '[rules]\nshared_terms = ["专利"]\n' + body))
    assert {term.code for term in loaded.terms} == {"ip", "technology"}


@pytest.mark.parametrize("body, message", [
    ('[categories.ip]\nzh = ["  "]\n', "empty"),
    ('[categories.ip]\nen = ["patent", "patents"]\n', "same term"),
    ('[categories.ip]\nzh = ["专利"]\n[categories.ip.weighted]\n"版权" = 1.5\n', "weight"),
])
def test_malformed_lexicons_are_refused(tmp_path, body, message):
    with pytest.raises(ValueError, match=message):
        load_lexicon(_write(tmp_path, body))
