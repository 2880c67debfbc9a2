"""Statistics read from the directory, kept in the process until the directory changes.

Every change to institutions or divisions bumps the directory revision in its own transaction
(``directory.institutions.revision``); a figure computed at one revision stays right until the next.
Each request compares revisions (one query), so every process of every machine sees a change
on its next request. Keys also hold the day, since "now" and the monthly trend move with it.
"""
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from flask import current_app
from sqlmodel import Session

from directory.institutions.revision import current_revision
from directory.timestamps import today

MAX_ENTRIES = 64     # scopes kept: the country, 31 provinces, a few past days and categories


class FiguresCache:
    """Figures by (revision, day, key), least recently used dropped first."""

    def __init__(self, size: int = MAX_ENTRIES):
        self._entries: OrderedDict = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: Hashable, compute: Callable[[], object]):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


def cached_figures(session: Session, key: Hashable, compute: Callable[[], object]):
    """``compute()`` at the directory's current revision, computed once per process and revision."""
    cache = current_app.extensions.setdefault("statistics_figures", FiguresCache())
    return cache.get((current_revision(session), today(), key), compute)
