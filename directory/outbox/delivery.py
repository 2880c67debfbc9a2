"""Delivering the outbox: claim due messages atomically, send each, record the outcome.

Claiming is one ``UPDATE … RETURNING`` that moves due rows to ``sending`` with a lease
(``claimed_at``), so two workers never claim the same row (PostgreSQL: the rows are picked
``FOR UPDATE SKIP LOCKED``; SQLite: the write transaction is serialised). The outcome is
written only if the claim is still the worker's own. A worker that dies between sending and
recording leaves its rows ``sending``; once the lease runs out they are sent again, with the
same ``Message-ID`` so the copy is recognisable: that is the one case of a second delivery.
"""
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Engine, and_, func, or_, select, update
from sqlmodel import Session

from directory.database import writing
from directory.outbox.models import OutboxMessage, OutboxStatus
from directory.outbox.transport import (Envelope, MailSettings, build_email, is_permanent, is_server_down,
                                        transport_for)
from directory.timestamps import utcnow

log = logging.getLogger(__name__)

CLAIM_BATCH = 10            # claimed per transaction: a slow SMTP server cannot outlast the lease
outbox = OutboxMessage.__table__


@dataclass
class DeliveryCounts:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0       # failed this time, tried again later
    failed: int = 0         # given up: refused for good or out of attempts
    postponed: int = 0      # not tried: the server was unreachable for the message before

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def deliver_due(engine: Engine, *, now: datetime | None = None, limit: int = 100,
                settings: MailSettings | None = None) -> DeliveryCounts:
    """Send up to ``limit`` due messages (``settings``: the current app's ``MAIL_*`` when omitted)."""
    settings = settings or MailSettings.from_config(current_app.config)
    counts, taken = DeliveryCounts(), 0
    transport = transport_for(settings)
    try:
        while taken < limit:
            moment = now or utcnow()
            claimed = claim_due(engine, now=moment, limit=min(CLAIM_BATCH, limit - taken),
                                lease_seconds=settings.lease_seconds)
            if not claimed:
                break
            taken += len(claimed)
            for position, envelope in enumerate(claimed):
                error = _deliver_one(engine, transport, envelope, claimed_at=moment, now=now, settings=settings,
                                     counts=counts)
                if error is not None and is_server_down(error):
                    # Each would wait out the same timeout: they wait for the next retry instead, no attempt counted.
                    rest = [later.id for later in claimed[position + 1:]]
                    counts.postponed = release(engine, rest, claimed_at=moment,
                                               until=(now or utcnow()) + timedelta(seconds=settings.retry_delay(1)))
                    return counts
    finally:
        transport.close()
    return counts


def claim_due(engine: Engine, *, now: datetime, limit: int, lease_seconds: int) -> list[Envelope]:
    """Mark up to ``limit`` due messages ``sending`` (claimed at ``now``) and return them, oldest first."""
    due = or_(and_(outbox.c.status == OutboxStatus.pending, outbox.c.next_attempt_at <= now),
              and_(outbox.c.status == OutboxStatus.sending,
                   outbox.c.claimed_at <= now - timedelta(seconds=lease_seconds)))
    # A materialised CTE: picked once. As a plain ``IN (subquery … LIMIT)`` PostgreSQL may run the
    # subquery again for each row it updates and claim far more than ``limit`` rows.
    picked = (select(outbox.c.id).where(due).order_by(outbox.c.next_attempt_at, outbox.c.id).limit(limit)
              .with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED"))
    claim = (update(outbox).where(outbox.c.id.in_(select(picked.c.id)), due)
             .values(status=OutboxStatus.sending, claimed_at=now)
             .returning(outbox.c.id, outbox.c.kind, outbox.c.recipient, outbox.c.subject, outbox.c.body,
                        outbox.c.created_at))
    with writing(engine).begin() as connection:
        rows = connection.execute(claim).all()
    return sorted((Envelope(*row) for row in rows), key=lambda envelope: envelope.id)


def _deliver_one(engine: Engine, transport, envelope: Envelope, *, claimed_at: datetime, now: datetime | None,
                 settings: MailSettings, counts: DeliveryCounts) -> Exception | None:
    """Send one claimed message and record the outcome; returns the error, if any."""
    try:
        transport.send(build_email(envelope, settings), envelope)
    except Exception as error:   # noqa: BLE001  every failure of one message is recorded, the pass goes on
        outcome = record_failure(engine, envelope.id, claimed_at=claimed_at, now=now or utcnow(), error=error,
                                 settings=settings)
        if outcome == OutboxStatus.failed:
            counts.failed += 1
        elif outcome == OutboxStatus.pending:
            counts.retrying += 1
        return error
    if record_sent(engine, envelope.id, claimed_at=claimed_at, now=now or utcnow()):
        counts.sent += 1
    return None


def _still_ours(message_id: int, claimed_at: datetime):
    return and_(outbox.c.id == message_id, outbox.c.status == OutboxStatus.sending,
                outbox.c.claimed_at == claimed_at)


def record_sent(engine: Engine, message_id: int, *, claimed_at: datetime, now: datetime) -> bool:
    """Mark a message sent, if this worker's claim still holds."""
    with writing(engine).begin() as connection:
        done = connection.execute(update(outbox).where(_still_ours(message_id, claimed_at)).values(
            status=OutboxStatus.sent, sent_at=now, attempts=outbox.c.attempts + 1, last_error=None,
            claimed_at=None)).rowcount
    if not done:
        log.warning("Outbox message %d was sent after its lease ran out; another worker may send it again.",
                    message_id)
    return bool(done)


def record_failure(engine: Engine, message_id: int, *, claimed_at: datetime, now: datetime, error: Exception,
                   settings: MailSettings) -> OutboxStatus | None:
    """Count a failed attempt: back to ``pending`` with a later ``next_attempt_at``, or ``failed``."""
    description = f"{type(error).__name__}: {error}"[:500]
    with writing(engine).begin() as connection:
        attempts = connection.scalar(select(outbox.c.attempts).where(_still_ours(message_id, claimed_at))
                                    .with_for_update())
        if attempts is None:
            return None
        attempts += 1
        final = is_permanent(error) or attempts >= settings.max_attempts
        values = ({"status": OutboxStatus.failed} if final else
                  {"status": OutboxStatus.pending,
                   "next_attempt_at": now + timedelta(seconds=settings.retry_delay(attempts))})
        connection.execute(update(outbox).where(_still_ours(message_id, claimed_at)).values(
            attempts=attempts, last_error=description, claimed_at=None, **values))
    if final:
        log.error("Outbox message %d given up after %d attempt(s): %s", message_id, attempts, description)
        return OutboxStatus.failed
    log.warning("Outbox message %d: attempt %d failed (%s); next in %d s.", message_id, attempts, description,
                settings.retry_delay(attempts))
    return OutboxStatus.pending


def release(engine: Engine, message_ids: list[int], *, claimed_at: datetime, until: datetime) -> int:
    """Give claimed, untried messages back: ``pending`` again from ``until``, no attempt counted."""
    if not message_ids:
        return 0
    with writing(engine).begin() as connection:
        return connection.execute(update(outbox).where(
            outbox.c.id.in_(message_ids), outbox.c.status == OutboxStatus.sending, outbox.c.claimed_at == claimed_at,
        ).values(status=OutboxStatus.pending, claimed_at=None, next_attempt_at=until)).rowcount


def outbox_counts(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Messages by status, and how many pending ones are due now."""
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update(session.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status)).all())
    counts["due"] = session.scalar(select(func.count()).select_from(outbox).where(
        outbox.c.status == OutboxStatus.pending, outbox.c.next_attempt_at <= (now or utcnow())))
    return counts
