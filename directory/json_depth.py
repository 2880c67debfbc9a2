"""How deeply a JSON document nests, measured on its text before anything parses it.

Python's ``json`` parser recurses once per level, so a body of a few thousand ``[`` ends in a
RecursionError (a 500) inside whatever parses it. Measuring first, in C-speed passes over the
bytes (strings removed, then only brackets kept), lets the request be refused with a clear 422
before any parser or schema sees it. Malformed text is measured the same way: an unclosed run of
brackets counts as deep as it goes.
"""
import re
from itertools import accumulate

MAX_JSON_DEPTH = 32
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENING_AND_CLOSING = bytes.maketrans(b"[{]}", b"(())")
_STEP = {ord("("): 1, ord(")"): -1}


def nests_deeper_than(text: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether objects and arrays in ``text`` open more than ``limit`` levels deep."""
    brackets = _STRING.sub(b"", text).translate(_OPENING_AND_CLOSING, delete=_NOT_BRACKETS)
    if brackets.count(b"(") <= limit:      # the usual case: too few brackets to matter
        return False
    return max(accumulate(map(_STEP.__getitem__, brackets))) > limit
