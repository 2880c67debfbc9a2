"""Unified social credit codes (统一社会信用代码, GB 32100-2015): normalising and checking.

Eighteen characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z):
registration authority, entity type, six-digit division code, nine-character organisation
code, and a check character computed with the weights of GB 32100.
"""
import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
_SHAPE = re.compile(rf"^[{ALPHABET}]{{18}}$")
_SPACES = re.compile(r"[\s\-]+")


def check_character(first17: str) -> str:
    """The check character for the first seventeen characters of a code."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Upper case, without spaces or hyphens people type in (91320500 MA1X... → 91320500MA1X...)."""
    return _SPACES.sub("", code).upper()


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` (normalised) is not a valid unified social credit code, or None if it is."""
    if len(code) != 18:
        return f"Must be 18 characters, got {len(code)}."
    if not _SHAPE.match(code):
        bad = sorted({char for char in code if char not in _VALUE})
        return f"Contains characters a credit code never has: {''.join(bad)} (no I, O, S, V, Z)."
    if check_character(code[:17]) != code[17]:
        return "Check character does not match (GB 32100); please check the code for typos."
    return None


def make_credit_code(body17: str) -> str:
    """A valid code from its first seventeen characters (for sample data and tests)."""
    return body17 + check_character(body17)
