"""How long the outbox keeps what it has delivered: its bodies may carry contact details."""
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from directory.database import writing
from directory.outbox.models import OutboxMessage, OutboxStatus
from directory.timestamps import utcnow

outbox = OutboxMessage.__table__


def purge_finished(engine: Engine, *, keep_days: int, now: datetime | None = None) -> int:
    """Delete sent and failed messages queued more than ``keep_days`` ago; returns how many."""
    before = (now or utcnow()) - timedelta(days=keep_days)
    with writing(engine).begin() as connection:
        return connection.execute(delete(outbox).where(
            outbox.c.status.in_([OutboxStatus.sent, OutboxStatus.failed]), outbox.c.created_at < before)).rowcount
