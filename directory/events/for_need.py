"""Upcoming events an SME could go to for its need: open, on topic, near it first."""
from flask import url_for
from sqlalchemy import or_, select
from sqlmodel import Session

from directory.events.areas import scope_for
from directory.events.models import EventStatus, EventTag, FinancingEvent, TagKind
from directory.events.service import describe_events
from directory.timestamps import utcnow
from directory.regions.editions import province_code_of

MAX_EVENTS = 5


def events_for_need(session: Session, *, chain_codes: list[str], categories: list[str],
                    financing_types: list[str], limit: int = MAX_EVENTS) -> list[dict]:
    """Open events still taking registrations whose categories or financing types fit the need.

    First those of the SME's own chain and those open to its area; when none of these is local,
    the fitting ones elsewhere in its province (labelled so: the organiser decides on
    registrations from outside its area); then national ones. Soonest first within each group.
    """
    if not categories and not financing_types:
        return []
    wanted = [(EventTag.kind == TagKind.category) & EventTag.code.in_(categories),
              (EventTag.kind == TagKind.financing_type) & EventTag.code.in_(financing_types)]
    where = [FinancingEvent.region_code.is_(None), FinancingEvent.open_to == "nationwide",
             FinancingEvent.region_code.in_(chain_codes)]
    province = province_code_of(chain_codes[0]) if chain_codes else None   # a chain lies in one province
    if province:
        where.append(FinancingEvent.region_code.like(province[:2] + "%"))
    stmt = (select(FinancingEvent)
            .where(FinancingEvent.status == EventStatus.open, FinancingEvent.ends_at > utcnow(), or_(*where),
                   FinancingEvent.id.in_(select(EventTag.event_id).where(or_(*wanted))))
            .order_by(FinancingEvent.starts_at, FinancingEvent.id).limit(limit * 8))
    described = [e | {"scope": scope_for(e, chain_codes)}
                 for e in describe_events(session, list(session.scalars(stmt))) if e["registration_open"]]
    local = [e for e in described if e["scope"] in ("local", "open_to_you")]
    elsewhere = [e for e in described if e["scope"] == "province"] if not any(
        e["scope"] == "local" for e in local) else []
    national = [e for e in described if e["scope"] == "national"]
    return [_summary(e) for e in (local + elsewhere + national)[:limit]]


def _summary(event: dict) -> dict:
    return {key: event[key] for key in (
        "id", "title", "starts_at", "ends_at", "region_code", "level", "organizer_name", "status", "seats_left",
        "categories", "financing_types", "chains", "open_to", "open_area", "scope")} | {
        "url": url_for("event_pages.detail", event_id=event["id"], _external=True)}
