"""SMEs registering for events, and organisers accepting or declining them."""
import secrets

from sqlalchemy import delete, select
from sqlmodel import Session

from directory.events.models import FinancingEvent, Meeting, Registration, RegistrationStatus
from directory.events.rules import EventInvalid
from directory.events.service import active_registrations, registration_closed_reason
from directory.regions.service import get_region
from directory.regions.validity import retirement_message
from directory.timestamps import utcnow

REFUSALS = {
    "closed": "Registration for this event is not open.",
    "deadline": "The registration deadline has passed.",
    "started": "The event is over.",
    "full": "The event is full.",
    "duplicate": "This enterprise (same unified social credit code) is already registered for this event.",
}


class RegistrationRefused(Exception):
    """The event cannot take this registration (HTTP 409); ``reason`` is a key of REFUSALS."""

    def __init__(self, reason: str):
        super().__init__(REFUSALS[reason])
        self.reason = reason


def register(session: Session, *, event: FinancingEvent, fields: dict) -> Registration:
    """Register an SME. The caller holds the event row locked (``get_event(for_update=True)``),
    so the capacity check and the insert cannot interleave with another registration."""
    region = get_region(session, fields["region_code"])
    if region is None:
        raise EventInvalid({"region_code": [f"Unknown division code {fields['region_code']}."]})
    if retirement_message(session, region):
        raise EventInvalid({"region_code": [retirement_message(session, region)]})
    duplicate = session.scalar(select(Registration.id).where(
        Registration.event_id == event.id, Registration.credit_code == fields["credit_code"]))
    if duplicate is not None:
        raise RegistrationRefused("duplicate")
    reason = registration_closed_reason(event, active_registrations(session, event.id))
    if reason:
        raise RegistrationRefused(reason)
    registration = Registration(event_id=event.id, access_key=secrets.token_urlsafe(24), **fields)
    session.add(registration)
    session.flush()
    return registration


def registrations_of(session: Session, event_id: int, status: RegistrationStatus | None = None) -> list[Registration]:
    """An event's registrations, first come first."""
    stmt = select(Registration).where(Registration.event_id == event_id)
    if status:
        stmt = stmt.where(Registration.status == status)
    return list(session.scalars(stmt.order_by(Registration.created_at, Registration.id)))


def registration_by_key(session: Session, event_id: int, access_key: str) -> Registration | None:
    """The registration whose private page this key opens."""
    registration = session.scalar(select(Registration).where(Registration.access_key == access_key))
    return registration if registration is not None and registration.event_id == event_id else None


def registration_by_contact(session: Session, event_id: int, *, credit_code: str,
                            contact_phone: str) -> Registration | None:
    """The registration of ``credit_code`` at this event when ``contact_phone`` is the one it gave (digits compared)."""
    registration = session.scalar(select(Registration).where(
        Registration.event_id == event_id, Registration.credit_code == credit_code.strip().upper()))
    given = _digits(contact_phone)
    if registration is None or not given or _digits(registration.contact_phone) != given:
        return None
    return registration


def _digits(phone: str | None) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def decide(session: Session, *, registration: Registration, status: RegistrationStatus) -> Registration:
    """Accept or decline (or set back to pending) a registration; a declined one loses its meetings."""
    registration.status = status
    registration.decided_at = None if status == RegistrationStatus.pending else utcnow()
    session.add(registration)
    if status != RegistrationStatus.accepted:
        session.execute(delete(Meeting).where(Meeting.registration_id == registration.id))
    session.flush()
    return registration
