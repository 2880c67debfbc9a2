"""Per-process copies of small, often-read data (categories, open events), kept fresh by two rules.

A copy is read again when it is older than ``max_age`` seconds, so a change made by another
process (a CLI command, another worker or server) is seen within that bound; and a commit in this
process that added, changed or deleted a row of one of the copy's ``models`` drops it at once, so a
request always reads its own process's writes.
"""
import itertools
import threading
import time
from collections.abc import Callable

from flask import current_app
from sqlalchemy import event
from sqlmodel import Session

_generations = itertools.count(1)
_changed: dict[type, int] = {}          # model → the local generation of its last committed change
_PENDING_KEY = "process_copy_changed_models"


class ProcessCopy:
    """One app's copy of what ``load(session)`` returns, as last read, with when and at which generation."""

    def __init__(self, load: Callable[[Session], object], *, models: tuple[type, ...], max_age: float = 1.0):
        self._load, self._models, self.max_age = load, models, max_age
        self._lock = threading.Lock()
        self._value: object = None
        self._read_at = 0.0
        self._generation = -1

    def get(self, open_session: Callable[[], Session]):
        """The copy, read again through ``open_session()`` when older than ``max_age`` or outdated here."""
        if self._fresh():
            return self._value
        with self._lock:
            if not self._fresh():
                generation, read_at = self._latest_change(), time.monotonic()
                self._value = self._load(open_session())
                self._read_at, self._generation = read_at, generation
            return self._value

    def _latest_change(self) -> int:
        return max((_changed.get(model, 0) for model in self._models), default=0)

    def _fresh(self) -> bool:
        return (self._generation >= 0 and self._generation == self._latest_change()
                and time.monotonic() - self._read_at < self.max_age)


def app_copy(key: str, load: Callable[[Session], object], *, models: tuple[type, ...],
             max_age: float = 1.0) -> ProcessCopy:
    """The current app's copy named ``key``, made on first use (``max_age`` as the caller says now)."""
    copy = current_app.extensions.get(key)
    if copy is None:
        copy = current_app.extensions.setdefault(key, ProcessCopy(load, models=models, max_age=max_age))
    copy.max_age = max_age
    return copy


def _note_changed_models(session, _context, _instances) -> None:
    touched = {type(obj) for obj in session.new | session.dirty | session.deleted}
    if touched:
        session.info.setdefault(_PENDING_KEY, set()).update(touched)


def _outdate_copies_after_commit(session) -> None:
    touched = session.info.pop(_PENDING_KEY, None)
    if touched:
        generation = next(_generations)
        for model in touched:
            _changed[model] = generation


def _forget_rolled_back_changes(session) -> None:
    session.info.pop(_PENDING_KEY, None)


LISTENERS = (("before_flush", _note_changed_models), ("after_commit", _outdate_copies_after_commit),
             ("after_rollback", _forget_rolled_back_changes))


def init_app(_app) -> None:
    """Watch commits for changed models, which drop this process's copies of them (once per process)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
