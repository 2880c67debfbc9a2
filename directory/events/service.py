"""Queries and changes of financing events; every event write goes through these functions."""
from datetime import datetime

from sqlalchemy import Select, delete, func, select
from sqlmodel import Session

from directory.events.areas import open_area_code
from directory.events.models import (EventFinancier, EventStatus, EventTag, Financier, FinancingEvent,
                                     Registration, RegistrationStatus, TagKind)
from directory.events.outcomes import event_totals
from directory.events.rules import check_event, event_problems
from directory.institutions.models import Institution
from directory.regions.service import get_region, placed, region_paths
from directory.timestamps import utcnow

TAG_FIELDS = {"categories": TagKind.category, "chains": TagKind.chain, "financing_types": TagKind.financing_type}
CHANGEABLE = ("title", "organizer_id", "starts_at", "ends_at", "venue", "online_url", "capacity",
              "registration_deadline", "status", "description", "slot_minutes", "open_to")


def events_query(*, status: EventStatus | None = None, region_code: str | None = None,
                 within: str | None = None, from_: datetime | None = None, to: datetime | None = None,
                 category: str | None = None, chain: str | None = None, financing_type: str | None = None,
                 level: str | None = None, newest_first: bool = False) -> Select:
    """Events matching every filter, soonest first (``newest_first`` for past events).

    ``from_``/``to`` select events overlapping that period: ending at or after ``from_`` and
    starting at or before ``to``. ``within`` keeps events organised in that division or below it.
    """
    stmt = select(FinancingEvent)
    if status:
        stmt = stmt.where(FinancingEvent.status == status)
    stmt = placed(stmt, FinancingEvent.region_code, region_code=region_code, within=within)
    if from_:
        stmt = stmt.where(FinancingEvent.ends_at >= from_)
    if to:
        stmt = stmt.where(FinancingEvent.starts_at <= to)
    if level:
        stmt = stmt.where(FinancingEvent.level == level)
    for kind, code in ((TagKind.category, category), (TagKind.chain, chain),
                       (TagKind.financing_type, financing_type)):
        if code:
            stmt = stmt.where(FinancingEvent.id.in_(
                select(EventTag.event_id).where(EventTag.kind == kind, EventTag.code == code)))
    order = FinancingEvent.starts_at.desc() if newest_first else FinancingEvent.starts_at
    return stmt.order_by(order, FinancingEvent.id)


def get_event(session: Session, event_id: int, *, for_update: bool = False) -> FinancingEvent | None:
    """The event with this id (row-locked on PostgreSQL with ``for_update``), or None."""
    if for_update:
        return session.scalar(select(FinancingEvent).where(FinancingEvent.id == event_id).with_for_update())
    return session.get(FinancingEvent, event_id)


def active_registrations(session: Session, event_id: int) -> int:
    """Registrations that hold a seat (not declined)."""
    return session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event_id, Registration.status != RegistrationStatus.declined)) or 0


def registration_closed_reason(event: FinancingEvent, seats_taken: int, now: datetime | None = None) -> str | None:
    """Why an SME cannot register now (``closed``, ``deadline``, ``full``, ``started``), or None."""
    now = now or utcnow()
    if event.status != EventStatus.open:
        return "closed"
    if event.registration_deadline is not None and now > event.registration_deadline:
        return "deadline"
    if now >= event.ends_at:
        return "started"
    if seats_taken >= event.capacity:
        return "full"
    return None


def _tags(session: Session, event_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    tags = {eid: {field: [] for field in TAG_FIELDS} for eid in event_ids}
    field_of = {kind: field for field, kind in TAG_FIELDS.items()}
    for tag in session.scalars(select(EventTag).where(EventTag.event_id.in_(event_ids))
                               .order_by(EventTag.event_id, EventTag.kind, EventTag.code)):
        tags[tag.event_id][field_of[tag.kind]].append(tag.code)
    return tags


def describe_events(session: Session, events: list[FinancingEvent]) -> list[dict]:
    """Events as plain dicts (tags, organiser, region path, seats), for schemas and templates."""
    ids = [e.id for e in events]
    tags = _tags(session, ids)
    organizers = dict(session.execute(select(Institution.id, Institution.name).where(
        Institution.id.in_({e.organizer_id for e in events}))).all())
    taken = dict(session.execute(
        select(Registration.event_id, func.count()).where(
            Registration.event_id.in_(ids), Registration.status != RegistrationStatus.declined)
        .group_by(Registration.event_id)).all())
    paths = region_paths(session, {e.region_code for e in events})
    areas = {code: get_region(session, code) for code in {
        open_area_code(region_code=e.region_code, open_to=e.open_to) for e in events} if code}
    now = utcnow()
    described = []
    for event in events:
        seats_taken = taken.get(event.id, 0)
        closed_reason = registration_closed_reason(event, seats_taken, now)
        described.append(event.model_dump() | tags[event.id] | {
            "organizer_name": organizers.get(event.organizer_id, ""),
            "sessions": sessions_of(event) if event.sessions else [],
            "region_path": paths.get(event.region_code, []),
            "open_area": _area(areas.get(open_area_code(region_code=event.region_code, open_to=event.open_to))),
            "registrations": seats_taken,
            "seats_left": max(event.capacity - seats_taken, 0),
            "registration_open": closed_reason is None,
            "closed_reason": closed_reason,
        })
    return described


def _area(region) -> dict | None:
    return None if region is None else {"code": region.code, "name": region.name, "level": region.level}


def event_financiers(session: Session, event_id: int) -> list[dict]:
    """The financiers taking part, by table number, with their per-event capacity."""
    rows = session.execute(select(Financier, EventFinancier).join(
        EventFinancier, EventFinancier.financier_id == Financier.id).where(
        EventFinancier.event_id == event_id).order_by(EventFinancier.table_number)).all()
    return [financier.model_dump() | {"table_number": link.table_number, "capacity": link.capacity}
            for financier, link in rows]


def describe_event(session: Session, event: FinancingEvent) -> dict:
    """One event with its financiers and outcome totals."""
    return describe_events(session, [event])[0] | {
        "financiers": event_financiers(session, event.id),
        "totals": event_totals(session, [event.id])[event.id],
    }


def _set_tags(session: Session, event: FinancingEvent, fields: dict) -> None:
    for field, kind in TAG_FIELDS.items():
        if field not in fields:
            continue
        session.execute(delete(EventTag).where(EventTag.event_id == event.id, EventTag.kind == kind))
        for code in dict.fromkeys(fields[field]):
            session.add(EventTag(event_id=event.id, kind=kind, code=code))


def _set_financiers(session: Session, event: FinancingEvent, financiers: list[dict] | None) -> None:
    if financiers is None:
        return
    existing = {link.financier_id: link for link in session.scalars(
        select(EventFinancier).where(EventFinancier.event_id == event.id))}
    wanted = {f["financier_id"]: f.get("capacity") for f in financiers}
    for financier_id, link in existing.items():
        if financier_id not in wanted:
            session.delete(link)
    next_table = max((link.table_number for link in existing.values()), default=0) + 1
    for financier_id, capacity in wanted.items():
        link = existing.get(financier_id)
        if link is None:
            link = EventFinancier(event_id=event.id, financier_id=financier_id, table_number=next_table)
            next_table += 1
        link.capacity = capacity
        session.add(link)


def _sessions_as_stored(sessions: list[dict]) -> list[dict]:
    return [{"starts_at": s["starts_at"].isoformat(), "ends_at": s["ends_at"].isoformat()}
            for s in sorted(sessions, key=lambda s: s["starts_at"])]


def sessions_of(event: FinancingEvent) -> list[dict]:
    """The event's meeting sessions as aware datetimes; the whole event when none are set."""
    if not event.sessions:
        return [{"starts_at": event.starts_at, "ends_at": event.ends_at}]
    return [{"starts_at": datetime.fromisoformat(s["starts_at"]), "ends_at": datetime.fromisoformat(s["ends_at"])}
            for s in event.sessions]


def create_event(session: Session, *, fields: dict) -> FinancingEvent:
    """Add an event after checking it; level and region are the organiser's."""
    organizer = check_event(session, fields)
    event = FinancingEvent(**{k: fields.get(k) for k in CHANGEABLE if k in fields},
                           level=organizer.level, region_code=organizer.region_code,
                           sessions=_sessions_as_stored(fields.get("sessions", [])))
    event.updated_at = event.created_at
    session.add(event)
    session.flush()
    _set_tags(session, event, fields)
    _set_financiers(session, event, fields.get("financiers"))
    session.flush()
    return event


def update_event(session: Session, *, event: FinancingEvent, changes: dict) -> FinancingEvent:
    """Apply a partial change; the merged event must satisfy every rule."""
    current = {field: getattr(event, field) for field in CHANGEABLE} | {
        "sessions": sessions_of(event) if event.sessions else [],
        "categories": _tags(session, [event.id])[event.id]["categories"]}
    _, already = event_problems(session, current, kept_region=event.region_code)
    organizer = check_event(session, current | changes, already=already, kept_region=event.region_code)
    for field in CHANGEABLE:
        if field in changes:
            setattr(event, field, changes[field])
    if "sessions" in changes:
        event.sessions = _sessions_as_stored(changes["sessions"])
    event.level, event.region_code = organizer.level, organizer.region_code
    event.updated_at = utcnow()
    session.add(event)
    _set_tags(session, event, changes)
    _set_financiers(session, event, changes.get("financiers"))
    session.flush()
    return event


def cancel_event(session: Session, *, event: FinancingEvent) -> FinancingEvent:
    """Mark an event cancelled; registrations and history are kept.

    Always possible: nothing else about the event is checked, since whatever became of its
    organiser or schedule is no reason to keep an event on.
    """
    event.status = EventStatus.cancelled
    event.updated_at = utcnow()
    session.add(event)
    session.flush()
    return event


def financiers_query(q: str | None = None) -> Select:
    """Financiers by name."""
    stmt = select(Financier).order_by(Financier.name, Financier.id)
    if q:
        stmt = stmt.where(Financier.name.contains(q, autoescape=True))
    return stmt


def create_financier(session: Session, *, fields: dict) -> Financier:
    """Add a financier to the shared list events draw from."""
    financier = Financier(**fields)
    session.add(financier)
    session.flush()
    return financier


def move_organised_events(session: Session, *, duplicate: Institution, keep: Institution) -> None:
    """The events ``duplicate`` organised move to ``keep`` (its level and division too), when the two are merged."""
    for event in session.scalars(select(FinancingEvent).where(FinancingEvent.organizer_id == duplicate.id)):
        event.organizer_id, event.level, event.region_code = keep.id, keep.level, keep.region_code
