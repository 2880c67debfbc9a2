"""The clock on the background worker: ``tick`` every few minutes, erasure once a day.

``register_jobs()`` hands both to ``directory.jobs.register_periodic`` when the task queue is
installed (call it from the app's set-up, as ``directory.jobs`` asks of features); each run is one
write transaction of its own.
"""
from directory.cli import write_session
from directory.service_requests.clock import erase_expired, tick
from directory.service_requests.companions import own_module
from directory.timestamps import utcnow

TICK_EVERY_SECONDS = 300
ERASE_EVERY_SECONDS = 24 * 3600


def run_clock() -> dict:
    """One tick as of now: escalations, reminders, erasure."""
    with write_session() as session, session.begin():
        return tick(session, now=utcnow())


def run_erasure() -> int:
    """Erase the contact details past their retention period, as of now."""
    with write_session() as session, session.begin():
        return erase_expired(session, now=utcnow())


def register_jobs() -> bool:
    """Schedule the clock and the erasure on the task queue; False where there is none."""
    jobs = own_module("directory.jobs")
    if jobs is None:
        return False
    jobs.register_periodic("service-requests-tick", run_clock, every_seconds=TICK_EVERY_SECONDS)
    jobs.register_periodic("service-requests-erase", run_erasure, every_seconds=ERASE_EVERY_SECONDS)
    return True
