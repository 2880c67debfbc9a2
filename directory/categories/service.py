"""Queries over the service categories, and this process's copy of them.

The categories are reference data: written by ``init-db``/``seed`` (``load_reference_data``),
read by every client at start. ``current_categories`` answers them from a copy kept per app
process, so ``GET /api/v1/categories`` costs no database round trip. A commit in this process
that adds, changes or deletes a category drops the copy at once; a change made by another
process (a CLI command, another worker or server) is seen within ``MAX_AGE_SECONDS``, because
the copy is read again once it is that old.
"""
import itertools
import threading
import time

from flask import current_app
from sqlalchemy import event, select
from sqlmodel import Session

from directory.categories.models import ServiceCategory

MAX_AGE_SECONDS = 1.0
CACHE_KEY = "sme_categories"
_CHANGED_KEY = "service_categories_changed"
_generations = itertools.count(1)
_generation = 0   # bumped by every commit in this process that changed a category


def list_categories(session: Session) -> list[ServiceCategory]:
    """All categories in contract order."""
    return list(session.scalars(select(ServiceCategory).order_by(ServiceCategory.position)))


def category_codes(session: Session) -> frozenset[str]:
    """The known category codes (reference data: read once per session)."""
    if "category_codes" not in session.info:
        session.info["category_codes"] = frozenset(session.scalars(select(ServiceCategory.code)))
    return session.info["category_codes"]


def categories_by_code(session: Session) -> dict[str, ServiceCategory]:
    """The service categories keyed by code, in contract order."""
    return {category.code: category for category in list_categories(session)}


class CategoryCopy:
    """One app's categories as last read, with when and at which local generation."""

    def __init__(self):
        self._lock = threading.Lock()
        self._categories: list[ServiceCategory] | None = None
        self._read_at = 0.0
        self._generation = -1

    def get(self, open_session) -> list[ServiceCategory]:
        """The copy, read again through ``open_session()`` when older than MAX_AGE_SECONDS or outdated."""
        if self._fresh():
            return self._categories
        with self._lock:
            if not self._fresh():
                generation, read_at = _generation, time.monotonic()
                # Copies belonging to no session: nothing a request's session does can expire them.
                self._categories = [ServiceCategory(**c.model_dump()) for c in list_categories(open_session())]
                self._read_at, self._generation = read_at, generation
            return self._categories

    def _fresh(self) -> bool:
        return (self._categories is not None and self._generation == _generation
                and time.monotonic() - self._read_at < MAX_AGE_SECONDS)


def current_categories(open_session) -> list[ServiceCategory]:
    """The current app's categories in contract order, from its per-process copy (see the module docstring)."""
    copy = current_app.extensions.get(CACHE_KEY)
    if copy is None:
        copy = current_app.extensions.setdefault(CACHE_KEY, CategoryCopy())
    return copy.get(open_session)


def _note_category_change(session, _context, _instances) -> None:
    if any(isinstance(obj, ServiceCategory) for obj in session.new | session.dirty | session.deleted):
        session.info[_CHANGED_KEY] = True


def _drop_copies_after_category_change(session) -> None:
    global _generation
    if session.info.pop(_CHANGED_KEY, False):
        _generation = next(_generations)


def _forget_rolled_back_change(session) -> None:
    session.info.pop(_CHANGED_KEY, None)


LISTENERS = (("before_flush", _note_category_change), ("after_commit", _drop_copies_after_category_change),
             ("after_rollback", _forget_rolled_back_change))


def init_app(_app) -> None:
    """Watch commits for category changes, which drop the process's copies (once per process)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
