"""A built name index and the names changed since it was built, searched as one.

Rebuilding the whole ``NameIndex`` for one changed institution costs seconds at 200,000 names.
Instead the names changed since the build live in a small index of their own (rebuilt per
change: a few hundred names take milliseconds), and the built index hides their old entries.
Once the changed names pass ``MAX_CHANGED`` the owner rebuilds the whole index.
"""
from __future__ import annotations

import heapq
from collections.abc import Mapping

from matching.name_reading import fold_name
from matching.name_search import NameIndex

MAX_CHANGED = 200   # the small index of changed names is rebuilt per change: keep it to milliseconds


class LayeredNameIndex:
    """``base`` with ``changed`` (id -> current name, None when the name is gone) laid over it."""

    def __init__(self, base: NameIndex, changed: Mapping[int, str | None] | None = None):
        self.base = base
        self.changed: dict[int, str | None] = dict(changed or {})
        self._delta = NameIndex((iid, name) for iid, name in self.changed.items() if name)

    def with_changes(self, names: Mapping[int, str | None]) -> LayeredNameIndex:
        """A new layered index with these names changed too (self stays as it is: readers may hold it)."""
        return LayeredNameIndex(self.base, self.changed | dict(names))

    @property
    def changed_count(self) -> int:
        """How many names differ from the built index."""
        return len(self.changed)

    def search(self, query: str, limit: int = 20) -> list[tuple[int, float]]:
        """Ids best first with a relevance score, as ``NameIndex.search``."""
        if not self.changed:
            return self.base.search(query, limit)
        if limit <= 0:
            return []
        found = [(iid, score) for iid, score in self.base.search(query, limit + len(self.changed))
                 if iid not in self.changed]
        found += self._delta.search(query, limit)
        found.sort(key=lambda pair: -pair[1])   # stable: at equal scores the built index's order first
        return found[:limit]

    def suggest(self, prefix: str, limit: int = 8) -> list[tuple[int, str]]:
        """(id, name) as the user types, as ``NameIndex.suggest``: names beginning with it first."""
        if not self.changed:
            return self.base.suggest(prefix, limit)
        if limit <= 0:
            return []
        base = [(iid, name) for iid, name in self.base.suggest(prefix, limit + len(self.changed))
                if iid not in self.changed]
        delta = self._delta.suggest(prefix, limit)
        folded = fold_name(prefix)
        starting = [pair for pair in delta if fold_name(pair[1]).startswith(folded)]
        merged = sorted(starting + [pair for pair in base if fold_name(pair[1]).startswith(folded)],
                        key=lambda pair: len(pair[1]))
        seen = {iid for iid, _ in merged}
        merged += [pair for pair in base + delta if pair[0] not in seen]
        return merged[:limit]


class LayeredFoldedNames:
    """(id, folded name) of every institution by id: a built tuple with the changed names laid over it."""

    def __init__(self, base: tuple[tuple[int, str], ...], changed: Mapping[int, str | None] | None = None):
        self.base = base
        self.changed: dict[int, str | None] = dict(changed or {})

    def with_changes(self, names: Mapping[int, str | None]) -> LayeredFoldedNames:
        """A new layer with these folded names changed too (None: gone)."""
        return LayeredFoldedNames(self.base, self.changed | dict(names))

    def __iter__(self):
        changed = self.changed
        if not changed:
            yield from self.base
            return
        kept = (pair for pair in self.base if pair[0] not in changed)
        added = sorted((iid, name) for iid, name in changed.items() if name is not None)
        yield from heapq.merge(kept, added)
