"""What the administration's home page lists: the financing events inside an administrator's scope."""
from datetime import datetime

from sqlmodel import Session

from directory.events.models import FinancingEvent
from directory.events.service import describe_events, events_query

UPCOMING_LIMIT = 50
RECENT_LIMIT = 10


def events_in_scope(session: Session, *, within: str | None, now: datetime) -> dict[str, list[dict]]:
    """Events organised in ``within`` or below (None: everywhere): ``upcoming`` (not yet ended,
    soonest first) and ``recent`` (ended, latest first), each described for templates."""
    upcoming = session.scalars(events_query(within=within, from_=now).limit(UPCOMING_LIMIT)).all()
    recent = session.scalars(events_query(within=within, newest_first=True)
                             .where(FinancingEvent.ends_at < now).limit(RECENT_LIMIT)).all()
    return {"upcoming": describe_events(session, list(upcoming)), "recent": describe_events(session, list(recent))}
