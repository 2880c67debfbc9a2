"""The clock on the background worker: ``tick`` every few minutes, erasure once a day.

``init_app`` hands both to ``directory.jobs.register_periodic`` (``init_app``, called by the app factory);
each run is one write transaction of its own.
"""
from directory.database import write_session
from directory.jobs import register_periodic
from directory.service_requests.clock import erase_expired, tick
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


def init_app(app) -> None:
    """Schedule the clock and the erasure on the task queue (``directory.jobs``)."""
    register_periodic("service-requests-tick", run_clock, every_seconds=TICK_EVERY_SECONDS)
    register_periodic("service-requests-erase", run_erasure, every_seconds=ERASE_EVERY_SECONDS)
