"""Hostile text for the matching library: normalize_text and classify_need never raise on any unicode."""
from hypothesis import given, settings, strategies as st

from matching.classify import CategoryMatch, classify_need
from matching.normalize import normalize_text

HOSTILE = settings(max_examples=200, deadline=None)
# Everything st.text() leaves out or rarely draws: lone surrogates, combining marks, full-width
# forms, controls, bidi overrides, and characters whose folding changes the string's length.
PIECES = st.sampled_from(["\ud800", "\udfff", "\u0301", "\u0336\u0336", "Ａ", "１", "　", "\x00", "\x1b", "\u202e",
                          "\ufeff", "ß", "ﬁ", "İ", "㍿", "①", "蘇州", "融姿", "知识产全", "\u3000\t\n", "ǅ", "ᾈ"])
hostile_text = st.one_of(
    st.text(),
    st.text(st.characters(codec=None, categories=None)),   # includes surrogates (category Cs)
    st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=30).map("".join),
)
long_text = st.builds(lambda piece, n: piece * n, st.text(min_size=1, max_size=8), st.integers(500, 5000))


@HOSTILE
@given(text=st.one_of(hostile_text, long_text))
def test_normalize_text_returns_a_fixed_point(text):
    once = normalize_text(text)
    assert isinstance(once, str)
    assert normalize_text(once) == once


@HOSTILE
@given(text=st.one_of(hostile_text, long_text))
def test_classify_need_never_raises(text):
    categories = classify_need(text)
    assert isinstance(categories, list)
    assert all(isinstance(c, CategoryMatch) and 0 < c.score <= 1 for c in categories)
