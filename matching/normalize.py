"""Text normalisation shared by search and matching.

NFKC folds full-width letters and digits to ASCII; case folding makes English case-blind;
OpenCC converts traditional characters to simplified (the registry stores simplified).
"""
import functools
import re
import unicodedata

import opencc

_SPACES = re.compile(r"\s+")


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_text(text: str) -> str:
    """Text folded for comparison: NFKC, simplified Chinese, lower case, single spaces."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _to_simplified().convert(folded)
    return _SPACES.sub(" ", folded.casefold()).strip()
