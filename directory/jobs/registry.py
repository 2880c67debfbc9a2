"""The periodic jobs features register (their own ``init_app`` calls ``register_periodic``)."""
import re
from collections.abc import Callable
from dataclasses import dataclass

JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class PeriodicJob:
    """A function the worker calls every ``every_seconds``."""

    name: str
    func: Callable[[], object]
    every_seconds: int


PERIODIC: dict[str, PeriodicJob] = {}


def register_periodic(name: str, func: Callable[[], object], *, every_seconds: float) -> PeriodicJob:
    """Have the worker call ``func()`` every ``every_seconds`` (at least 1), inside an app context.

    ``func`` takes no arguments and runs inside an application context of the worker's app
    (``current_app``, ``get_engine()`` work); it opens, commits and closes its own session.
    Turns are aligned on the clock (every 3,600 s: on the hour), at most one turn of a job runs
    at a time (a turn still running makes the next one skip), and every worker sharing the queue
    runs a given turn once. Registering a name again replaces the job (one per name).
    """
    if not JOB_NAME.fullmatch(name):
        raise ValueError(f"Job name {name!r}: 1-100 characters of letters, digits, '_', '.', '-'.")
    seconds = int(every_seconds)
    if seconds < 1:
        raise ValueError(f"Job {name}: every_seconds must be at least 1, not {every_seconds!r}.")
    job = PeriodicJob(name=name, func=func, every_seconds=seconds)
    PERIODIC[name] = job
    return job
