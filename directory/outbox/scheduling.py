"""The outbox in the background worker: a delivery pass every few seconds, and one on demand."""
import logging

from flask import Flask, current_app

from directory.database import get_engine
from directory.jobs import register_periodic, run_soon
from directory.outbox.delivery import deliver_due
from directory.outbox.retention import purge_finished

log = logging.getLogger(__name__)

DELIVERY_JOB = "outbox.deliver"
PURGE_JOB = "outbox.purge"
PASS_LIMIT = 100
MAX_PASSES = 20              # a backlog beyond 2,000 messages waits for the next turn


def deliver_outbox() -> None:
    """One turn of the worker: deliver every due message, pass after pass (in an app context)."""
    engine = get_engine()
    for _ in range(MAX_PASSES):
        counts = deliver_due(engine, limit=PASS_LIMIT)
        if counts.attempted:
            log.info("Outbox: %d sent, %d to retry, %d failed, %d postponed.", counts.sent, counts.retrying,
                     counts.failed, counts.postponed)
        if counts.attempted < PASS_LIMIT or counts.postponed:
            return


def purge_old_messages() -> None:
    """Once a day: forget delivered and failed messages older than ``MAIL_KEEP_DAYS`` (default 90)."""
    purged = purge_finished(get_engine(), keep_days=current_app.config.get("MAIL_KEEP_DAYS", 90))
    if purged:
        log.info("Outbox: %d delivered or failed messages older than the retention period deleted.", purged)


def deliver_soon() -> bool:
    """Ask the worker for a delivery pass now (call after the commit); False when that could not be asked."""
    return run_soon(DELIVERY_JOB)


def init_app(app: Flask) -> None:
    """Deliver the outbox every ``OUTBOX_EVERY_SECONDS`` (default 10) in the worker; purge it daily."""
    register_periodic(DELIVERY_JOB, deliver_outbox, every_seconds=app.config.get("OUTBOX_EVERY_SECONDS", 10))
    register_periodic(PURGE_JOB, purge_old_messages, every_seconds=24 * 3600)
