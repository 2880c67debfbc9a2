"""The task queue (Huey): SQLite file by default, Redis when ``REDIS_URL`` is set.

Each app holds one ``JobQueue`` (``app.extensions["sme_jobs"]``); its Huey instance is built on
first use, so an app that never queues anything creates no file and opens no connection. The web
processes only enqueue; ``flask --app wsgi worker`` consumes (see ``directory.jobs.consumer``).
"""
import logging
import threading
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.exceptions import TaskLockedException
from redis import ConnectionPool

from directory.jobs.registry import PERIODIC, PeriodicJob

log = logging.getLogger(__name__)

EXTENSION = "sme_jobs"
WAITING_KEY = "sme.soon.{name}"   # set while a turn asked for by run_soon waits in the queue


def build_huey(config) -> Huey | None:
    """The Huey instance the config asks for, or None when no queue is configured (tests' apps)."""
    name = config.get("JOBS_NAME") or "sme"
    if config.get("JOBS_IMMEDIATE"):   # tests: a task runs at once, in the caller
        return MemoryHuey(name, immediate=True, results=False)
    if config.get("REDIS_URL"):
        # An unanswering Redis must fail an enqueue quickly, never hold up a request.
        pool = ConnectionPool.from_url(config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
        return RedisHuey(name, connection_pool=pool, results=False)
    if config.get("JOBS_SQLITE_PATH"):
        path = Path(config["JOBS_SQLITE_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False)
    return None


class JobQueue:
    """An app's queue: the Huey instance and one task per registered job, each run in an app context."""

    def __init__(self, app: Flask):
        self.app = app
        self._huey: Huey | None = None
        self._built = False
        self._tasks: dict[str, object] = {}
        self._lock = threading.RLock()

    @property
    def huey(self) -> Huey | None:
        with self._lock:
            if not self._built:
                self._huey, self._built = build_huey(self.app.config), True
            return self._huey

    def task(self, name: str):
        """The Huey task running the registered job ``name`` (created on first use)."""
        huey = self.huey
        with self._lock:
            if name not in self._tasks:
                self._tasks[name] = huey.task(name=name)(self._runner(huey, PERIODIC[name]))
            return self._tasks[name]

    def all_tasks(self) -> dict[str, tuple[int, object]]:
        """Every registered job with its interval and task (the worker registers them all before starting)."""
        return {name: (job.every_seconds, self.task(name)) for name, job in sorted(PERIODIC.items())}

    def _runner(self, huey: Huey, job: PeriodicJob):
        app = self.app

        def run_job():
            huey.delete(WAITING_KEY.format(name=job.name))   # from now on, a new request needs a new turn
            try:
                with huey.lock_task(job.name), app.app_context():
                    job.func()
            except TaskLockedException:
                log.info("Job %s is still running; this turn is skipped.", job.name)
        run_job.__doc__ = job.func.__doc__
        return run_job

    def run_soon(self, name: str) -> bool:
        """Enqueue job ``name`` now, unless a turn is already waiting (so the queue holds at most one per job).

        False (logged) when no queue is configured or the queue is unreachable.
        """
        if name not in PERIODIC or self.huey is None:
            return False
        try:
            if not self.huey.put_if_empty(WAITING_KEY.format(name=name), "1"):
                return True      # a turn not yet started is waiting: it will see what was just committed
            self.huey.enqueue(self.task(name).s())
        except Exception:   # noqa: BLE001  the scheduled turn will do it; the caller's work is already committed
            log.warning("Could not enqueue job %s; it runs at its next scheduled turn.", name, exc_info=True)
            return False
        return True


def get_queue() -> JobQueue:
    """The current app's queue."""
    return current_app.extensions[EXTENSION]


def run_soon(name: str) -> bool:
    """Ask the worker to run the registered job ``name`` now (outside an app context: nothing)."""
    return has_app_context() and get_queue().run_soon(name)


def init_app(app: Flask) -> None:
    """Give the app its queue (built on first use)."""
    app.extensions[EXTENSION] = JobQueue(app)
