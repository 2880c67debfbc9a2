"""The worker: Huey's consumer, with a scheduler that also starts the registered jobs on their intervals.

Huey's own periodic tasks are checked once a minute; the outbox wants a turn every few seconds,
so the scheduler (which wakes every second) enqueues each registered job when its interval comes
round. A turn is identified by its slot on the clock (``time // every_seconds``) and claimed in
the queue's storage with ``put_if_empty``: every consumer sharing the queue runs it once.
"""
import logging
import os
import signal
import threading
import time

from flask import Flask
from huey.consumer import Consumer, Scheduler

from directory.database import get_engine
from directory.jobs.queue import JobQueue

log = logging.getLogger(__name__)

SLOT_KEY = "sme.periodic.{name}.{slot}"


class IntervalScheduler(Scheduler):
    """Huey's scheduler, plus the registered jobs every ``every_seconds``."""

    def __init__(self, huey, stop_flag, interval, periodic, jobs: dict[str, tuple[int, object]]):
        super().__init__(huey, stop_flag, interval, periodic)
        self.jobs = jobs
        self._last_slot: dict[str, int] = {}

    def loop(self, now=None):
        self.enqueue_interval_jobs(time.time())
        super().loop(now)

    def enqueue_interval_jobs(self, wall_time: float) -> None:
        """Enqueue each job whose interval has come round, once across every consumer of the queue."""
        for name, (every, task) in self.jobs.items():
            slot = int(wall_time // every)
            if self._last_slot.get(name) == slot:
                continue
            try:
                if self.huey.storage.put_if_empty(SLOT_KEY.format(name=name, slot=slot), b"1"):
                    # The previous slot's key stays, so a consumer whose clock is a little behind
                    # cannot claim that turn again; the one before goes.
                    self.huey.storage.delete_data(SLOT_KEY.format(name=name, slot=slot - 2))
                    self.huey.enqueue(task.s())
                self._last_slot[name] = slot
            except Exception:   # noqa: BLE001  storage unreachable: tried again next second
                log.exception("Could not schedule job %s.", name)


class WorkerConsumer(Consumer):
    """Huey's consumer with the interval scheduler; without signal handlers when not in the main thread."""

    def __init__(self, huey, *, jobs: dict[str, tuple[int, object]], handle_signals: bool = True, **options):
        self.jobs, self.handle_signals = jobs, handle_signals
        super().__init__(huey, **options)

    def _create_scheduler(self):
        return IntervalScheduler(huey=self.huey, stop_flag=self.stop_flag, interval=self.scheduler_interval,
                                 periodic=self.periodic, jobs=self.jobs)

    def _set_signal_handlers(self):
        if self.handle_signals:
            super()._set_signal_handlers()


def create_consumer(app: Flask, queue: JobQueue, *, workers: int = 2, worker_type: str = "thread",
                    handle_signals: bool = True) -> WorkerConsumer:
    """A consumer running every registered job of ``app`` (``worker_type``: thread or process)."""
    huey = queue.huey
    if huey is None:
        raise LookupError("No job queue is configured (JOBS_SQLITE_PATH or REDIS_URL).")
    if huey.immediate:
        raise LookupError("The job queue runs tasks immediately (JOBS_IMMEDIATE): there is nothing to consume.")
    jobs = queue.all_tasks()
    for name in jobs:
        huey.lock_task(name)   # known to the consumer, which clears a lock a killed worker left behind
    if worker_type == "process":
        parent = os.getpid()

        @huey.on_startup()
        def own_database_connections():
            if os.getpid() != parent:   # a forked worker must not share the parent's pooled connections
                with app.app_context():
                    get_engine().dispose(close=False)
    return WorkerConsumer(huey, jobs=jobs, handle_signals=handle_signals, workers=workers,
                          worker_type=worker_type, flush_locks=True)


def stop_with_parent(poll_seconds: float = 1.0) -> None:
    """Stop this worker (as Ctrl-C would) when the process that started it is gone (``make run``)."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        log.info("The process that started the worker has ended; stopping.")
        os.kill(os.getpid(), signal.SIGINT)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
