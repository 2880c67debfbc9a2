"""Resolving the record selectors of an ``area-diff`` change line (diff-spec.md, rule 6): which
divisions of the other list a retired division's area went to, or a new one's came from."""
from directory.regions.editions import ChangeLine, parent_of


class UnresolvedSelector(ValueError):
    """A selector that names no division, or several: the change list needs its maintainer."""


class DivisionList:
    """One edition as {code: name}, with the lookups the selectors need."""

    def __init__(self, names: dict[str, str]):
        self.names = names
        self.by_name: dict[str, list[str]] = {}
        for code, name in sorted(names.items()):
            self.by_name.setdefault(name, []).append(code)

    def parent(self, code: str) -> str | None:
        return parent_of(code, self.names)


def resolve(change: ChangeLine, *, own: DivisionList, other: DivisionList) -> list[str]:
    """The codes of ``other`` that the change line's selectors choose (doubtful ``?`` ones left out).

    ``own`` is the list holding the line's record (the old list for ``-``, the new one for ``+``).
    """
    chosen = []
    for selector in change.selectors:
        if selector.endswith("?"):
            continue
        value = selector.rstrip("!")
        if value == ".":
            code = change.code if change.code in other.names else None
        elif value == "..":
            parent = own.parent(change.code)
            code = parent if parent in other.names else None
        else:
            code = _by_name(change.name if value == "_" else value, change, own=own, other=other)
        if code is None:
            raise UnresolvedSelector(f"line {change.line}: '{selector}' of {change.code} {change.name} "
                                     "names no division of the other list")
        if code not in chosen:
            chosen.append(code)
    return chosen


def _by_name(value: str, change: ChangeLine, *, own: DivisionList, other: DivisionList) -> str | None:
    """A name, made unique when needed by the parent's name in front (苏州市 + 姑苏区)."""
    exact = other.by_name.get(value, [])
    if len(exact) == 1:
        return exact[0]
    if exact:
        parent = own.parent(change.code)
        value = own.names.get(parent, "") + value
    marked = [code for end in range(1, len(value)) for code in other.by_name.get(value[:end], [])]
    if len(marked) != 1:
        if exact:
            raise UnresolvedSelector(f"line {change.line}: '{value}' is ambiguous ({', '.join(exact)})")
        return None
    rest = value[len(other.names[marked[0]]):]
    hits = [code for code in other.by_name.get(rest, []) if other.parent(code) == marked[0]]
    return hits[0] if len(hits) == 1 else None
