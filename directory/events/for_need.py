"""Upcoming events an SME could go to for its need: open, in its chain of divisions, on topic."""
from flask import url_for
from sqlalchemy import or_, select
from sqlmodel import Session

from directory.events.models import EventStatus, EventTag, FinancingEvent, TagKind
from directory.events.service import describe_events
from directory.timestamps import utcnow

MAX_EVENTS = 5


def events_for_need(session: Session, *, chain_codes: list[str], categories: list[str],
                    financing_types: list[str], limit: int = MAX_EVENTS) -> list[dict]:
    """Open events still taking registrations, organised nationally or in one of ``chain_codes``
    (the SME's county, city, province), whose categories or financing types fit the need; soonest first."""
    wanted = [(EventTag.kind == TagKind.category) & EventTag.code.in_(categories),
              (EventTag.kind == TagKind.financing_type) & EventTag.code.in_(financing_types)]
    if not categories and not financing_types:
        return []
    stmt = (select(FinancingEvent)
            .where(FinancingEvent.status == EventStatus.open, FinancingEvent.ends_at > utcnow(),
                   or_(FinancingEvent.region_code.is_(None), FinancingEvent.region_code.in_(chain_codes)),
                   FinancingEvent.id.in_(select(EventTag.event_id).where(or_(*wanted))))
            .order_by(FinancingEvent.starts_at, FinancingEvent.id).limit(limit * 2))
    described = [e for e in describe_events(session, list(session.scalars(stmt))) if e["registration_open"]]
    return [{"id": e["id"], "title": e["title"], "starts_at": e["starts_at"], "ends_at": e["ends_at"],
             "region_code": e["region_code"], "level": e["level"], "organizer_name": e["organizer_name"],
             "status": e["status"], "seats_left": e["seats_left"], "categories": e["categories"],
             "financing_types": e["financing_types"], "chains": e["chains"],
             "url": url_for("event_pages.detail", event_id=e["id"], _external=True)}
            for e in described[:limit]]
