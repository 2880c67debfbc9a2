"""Text normalisation and pinyin keys shared by search and matching.

NFKC folds full-width letters and digits to ASCII; case folding makes English case-blind;
OpenCC converts traditional characters to simplified (the registry stores simplified).
"""
import functools
import re
import unicodedata

import opencc
from pypinyin import lazy_pinyin

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A space next to a Chinese character: Chinese does not separate words by spaces.
_HAN_GAP = re.compile(f"(?<=[{_HAN}]) | (?=[{_HAN}])")


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_text(text: str) -> str:
    """Text folded for comparison: NFKC, simplified Chinese, lower case, single spaces."""
    # Lone surrogates (JSON can carry "\ud800") would make OpenCC raise: make them U+FFFD.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    folded = unicodedata.normalize("NFKC", text)
    folded = _to_simplified().convert(folded)
    # NFKC again after case folding: folding "İ" gives "i" + U+0307, which must be reordered
    # with any combining mark after it, or a second pass would give a different string.
    folded = unicodedata.normalize("NFKC", folded.casefold())
    return _SPACES.sub(" ", folded).strip()


def close_han_gaps(folded: str) -> str:
    """Folded text without the spaces next to Chinese characters: "知识 产权" → "知识产权".

    Spaces between Latin words stay, so English keeps its word boundaries ("ERP 系统 for our
    shop" → "erp系统for our shop": English words are runs of letters, so "for" is still one).
    """
    return _HAN_GAP.sub("", folded)


def pinyin_syllables(text: str) -> list[str]:
    """Toneless pinyin of the Chinese characters, other runs kept as folded words.

    ``知识产全`` and ``知识产权`` give the same syllables, which is how homophone typos from a
    pinyin input method are caught.
    """
    syllables = []
    for chunk in lazy_pinyin(normalize_text(text), errors=lambda run: [run]):
        syllables += [word for word in _NON_ALNUM.split(chunk) if word]
    return syllables


def pinyin_key(text: str) -> str:
    """Full pinyin without spaces: 苏州市 → ``suzhoushi``."""
    return "".join(pinyin_syllables(text))


def initials_key(text: str) -> str:
    """First letter of each syllable: 苏州市中小企业 → ``szszxqy``."""
    return "".join(syllable[0] for syllable in pinyin_syllables(text))
