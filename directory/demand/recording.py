"""Recording a match request: anonymous, written behind the answer, never lost while the process lives.

A match only reads, so its request does not hold SQLite's write lock (``@read_only``). The view
hands the facts of the match to this process's ``DemandRecorder``, which keeps them in a bounded
buffer and writes them in batches from a background thread: one short transaction per batch
instead of one write per request, no request ever waits for the write lock, and a busy
database delays a batch (retried with backoff) instead of dropping it. The buffer is written out
when the process stops (gunicorn's ``worker_exit`` hook and ``atexit``), so a graceful restart
loses nothing; a process killed with SIGKILL loses at most the last flush interval (0.5 s).
"""
import atexit
import logging
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from directory.database import writing
from directory.demand.models import MatchRequest, MatchRequestCategory, RequestSource
from directory.regions.editions import province_code_of
from directory.regions.models import Region
from directory.timestamps import utcnow

log = logging.getLogger(__name__)
FLUSH_SECONDS = 0.5
BATCH_SIZE = 500
CAPACITY = 100_000          # ~100 s of 1,000 matches/s with the database unreachable
MAX_BACKOFF_SECONDS = 10.0


@dataclass(frozen=True)
class PendingMatch:
    """The anonymous facts of one match that detected a need, as answered."""

    created_at: datetime
    region_code: str | None
    categories: tuple[str, ...]
    unserved: frozenset[str]
    need_text: str | None
    source: RequestSource


def pending_match(*, result: dict, region_code: str | None, need: str, consent: bool,
                  source: RequestSource | str) -> PendingMatch | None:
    """The record a match answer leaves; None when no need was detected (small talk is not demand)."""
    codes = tuple(dict.fromkeys(c["code"] for c in result["categories"]))
    if not codes:
        return None
    return PendingMatch(created_at=utcnow(), region_code=region_code, categories=codes,
                        unserved=frozenset(result["unserved_categories"]),
                        need_text=need.strip() if consent else None, source=RequestSource(source))


def province_of(session: Session, region_code: str | None) -> str | None:
    """The code of the province ``region_code`` lies in (itself for a province); None for an unknown code."""
    if region_code is None or session.get(Region, region_code) is None:
        return None
    return province_code_of(region_code)


def write_matches(session: Session, matches: list[PendingMatch]) -> None:
    """Insert ``matches`` and their categories (two multi-row INSERTs), in the caller's transaction."""
    if not matches:
        return
    provinces = {code: province_of(session, code) for code in {m.region_code for m in matches}}
    ids = session.scalars(insert(MatchRequest).returning(MatchRequest.id, sort_by_parameter_order=True), [
        {"created_at": m.created_at, "region_code": m.region_code, "province_code": provinces[m.region_code],
         "served_in_chain": not m.unserved & set(m.categories), "need_text": m.need_text, "source": m.source}
        for m in matches]).all()
    session.execute(insert(MatchRequestCategory), [
        {"request_id": request_id, "category_code": code, "served_in_chain": code not in m.unserved}
        for request_id, m in zip(ids, matches) for code in m.categories])


class DemandRecorder:
    """A bounded buffer of match records and the background thread that writes them in batches."""

    def __init__(self, engine: Engine, *, flush_seconds: float = FLUSH_SECONDS, batch_size: int = BATCH_SIZE,
                 capacity: int = CAPACITY):
        self._engine, self._flush_seconds = engine, flush_seconds
        self._batch_size, self._capacity = batch_size, capacity
        self._pending: deque[PendingMatch] = deque()
        self._lock = threading.Lock()          # guards _pending and _thread
        self._writing = threading.Lock()       # one batch in flight at a time
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self.written = 0
        self.dropped = 0

    def add(self, match: PendingMatch | None) -> bool:
        """Queue one record; False only when the buffer is full (the database unreachable for long)."""
        if match is None:
            return False
        with self._lock:
            self._forget_parent_after_fork()
            if len(self._pending) >= self._capacity:
                self.dropped += 1
                log.error("Demand buffer full (%d records): a match record was dropped", self._capacity)
                return False
            self._pending.append(match)
            self._start_thread()
            if len(self._pending) >= self._batch_size:
                self._wake.set()
        return True

    def pending(self) -> int:
        """Records not yet written."""
        return len(self._pending)

    def flush(self) -> int:
        """Write every queued record now, batch by batch; raises if the database refuses (records kept)."""
        total = 0
        with self._writing:
            while True:
                with self._lock:
                    batch = [self._pending.popleft() for _ in range(min(self._batch_size, len(self._pending)))]
                if not batch:
                    return total
                try:
                    with Session(writing(self._engine)) as session:
                        write_matches(session, batch)
                        session.commit()
                except BaseException:
                    with self._lock:
                        self._pending.extendleft(reversed(batch))   # back in front, in order
                    raise
                total += len(batch)
                self.written += len(batch)

    def close(self, timeout: float = 20.0) -> None:
        """Stop the thread and write what is left, retrying while the database is busy (process exit)."""
        self._stopping = True
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        deadline = time.monotonic() + timeout
        while self._pending:
            try:
                self.flush()
            except SQLAlchemyError as error:
                if time.monotonic() > deadline:
                    log.error("%d match records not written at exit: %s", len(self._pending), error)
                    return
                time.sleep(0.2)

    def _run(self) -> None:
        backoff = self._flush_seconds
        while not self._stopping:
            self._wake.wait(backoff)
            self._wake.clear()
            try:
                self.flush()
                backoff = self._flush_seconds
            except SQLAlchemyError as error:
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                log.warning("Match records kept for retry in %.1f s (database busy or unavailable): %s",
                            backoff, error)
            except Exception:  # never let the writer die silently: the buffer would only grow
                log.exception("Unexpected error while writing match records; retrying")
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def _start_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="demand-recorder", daemon=True)
            self._thread.start()
            atexit.register(self.close)

    def _forget_parent_after_fork(self) -> None:
        # A forked child inherits the parent's buffer and a dead thread: the parent writes its own records.
        if os.getpid() != self._pid:
            self._pid, self._thread = os.getpid(), None
            self._pending.clear()


def init_app(app: Flask) -> None:
    """Give the app process its recorder, writing through the app's engine (call after the database)."""
    app.extensions["sme_demand_recorder"] = DemandRecorder(
        app.extensions["sme_engine"], flush_seconds=app.config.get("DEMAND_FLUSH_SECONDS", FLUSH_SECONDS))


def demand_recorder(app: Flask | None = None) -> DemandRecorder:
    """This process's recorder."""
    return (app or current_app).extensions["sme_demand_recorder"]


def record_match(*, result: dict, region_code: str | None, need: str, consent: bool,
                 source: RequestSource | str) -> bool:
    """Queue the record of one answered match; it is written within the flush interval."""
    return demand_recorder().add(pending_match(result=result, region_code=region_code, need=need,
                                               consent=consent, source=source))
