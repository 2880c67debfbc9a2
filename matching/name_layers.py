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

    def _layered(self, ask, text: str, limit: int, merge) -> list:
        """``ask`` (a ``NameIndex`` method) of the built index alone while nothing changed; otherwise
        ``merge`` of its answers without the changed ids (enough to fill ``limit``) and the small index's."""
        if not self.changed:
            return ask(self.base, text, limit)
        if limit <= 0:
            return []
        base = [pair for pair in ask(self.base, text, limit + len(self.changed)) if pair[0] not in self.changed]
        return merge(base, ask(self._delta, text, limit))[:limit]

    def search(self, query: str, limit: int = 20) -> list[tuple[int, float]]:
        """Ids best first with a relevance score, as ``NameIndex.search``."""
        return self._layered(NameIndex.search, query, limit, _by_score)

    def suggest(self, prefix: str, limit: int = 8) -> list[tuple[int, str]]:
        """(id, name) as the user types, as ``NameIndex.suggest``: names beginning with it first."""
        def starting_first(base, delta):
            folded = fold_name(prefix)
            starting = [pair for pair in delta if fold_name(pair[1]).startswith(folded)]
            merged = sorted(starting + [pair for pair in base if fold_name(pair[1]).startswith(folded)],
                            key=lambda pair: len(pair[1]))
            seen = {iid for iid, _ in merged}
            return merged + [pair for pair in base + delta if pair[0] not in seen]

        return self._layered(NameIndex.suggest, prefix, limit, starting_first)


def _by_score(base: list, delta: list) -> list:
    """Both answers best first; stable: at equal scores the built index's order first."""
    return sorted(base + delta, key=lambda pair: -pair[1])


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
