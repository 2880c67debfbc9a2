"""The service-request clock: expiry and escalation, reminders, erasure of contact details.

``tick`` runs it once (``flask --app wsgi service-requests tick``, or the scheduled worker);
each function takes the time to act as of, so tests and replays can move the clock.
"""
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from directory.institutions.models import Institution
from directory.service_requests import notifications
from directory.service_requests.models import (Assignment, AssignmentStatus, RequestStatus, ServiceRequest)
from directory.service_requests.service import CONTACT_FIELDS, add_event, audit
from directory.service_requests.settings import setting
from directory.service_requests.transitions import escalate, refresh_status


def tick(session: Session, *, now: datetime) -> dict:
    """Escalate what was not accepted in time (or declined by all), send reminders, erase old contacts."""
    late = list(session.scalars(select(Assignment).where(Assignment.status == AssignmentStatus.offered,
                                                         Assignment.accept_by <= now)
                                .order_by(Assignment.id).with_for_update(skip_locked=True)))
    escalated = 0
    for assignment in late:
        escalate(session, assignment=assignment, now=now)
        escalated += 1
    escalated += _escalate_abandoned(session, now=now)
    reminded = send_reminders(session, now=now)
    erased = erase_expired(session, now=now)
    return {"escalated": escalated, "reminded": reminded, "erased": erased}


def _escalate_abandoned(session: Session, *, now: datetime) -> int:
    """Open requests whose every assignment was declined or forwarded away: up the chain from the last one."""
    count = 0
    for request in session.scalars(select(ServiceRequest).where(ServiceRequest.status.in_(
            (RequestStatus.open, RequestStatus.in_progress)))):
        rows = list(session.scalars(select(Assignment).where(Assignment.request_id == request.id)
                                    .order_by(Assignment.id)))
        if rows and all(a.status in (AssignmentStatus.declined, AssignmentStatus.expired) for a in rows):
            escalate(session, assignment=rows[-1], now=now)
            count += 1
        else:
            refresh_status(session, request, now=now)
    return count


def send_reminders(session: Session, *, now: datetime) -> int:
    """One reminder per assignment when its deadline (accept or resolve) is less than a day away."""
    soon = now + timedelta(hours=setting("SERVICE_REMIND_HOURS"))
    rows = session.scalars(select(Assignment).where(
        Assignment.reminded_at.is_(None),
        ((Assignment.status == AssignmentStatus.offered) & (Assignment.accept_by <= soon))
        | ((Assignment.status == AssignmentStatus.accepted) & (Assignment.resolve_by <= soon))))
    count = 0
    for assignment in rows:
        what = "accept" if assignment.status == AssignmentStatus.offered else "resolve"
        deadline = assignment.accept_by if what == "accept" else assignment.resolve_by
        institution = session.get(Institution, assignment.institution_id)
        subject, body = notifications.reminder_message(request_id=assignment.request_id, deadline=deadline, what=what)
        notifications.queue(session, to=institution.email, subject=subject, body=body, kind="reminder")
        assignment.reminded_at = now
        count += 1
    return count


def erase_expired(session: Session, *, now: datetime) -> int:
    """Erase the contact details of requests closed more than ``SERVICE_ERASE_AFTER_DAYS`` ago; the
    need, division, categories, timeline and rating stay as anonymous facts."""
    cutoff = now - timedelta(days=setting("SERVICE_ERASE_AFTER_DAYS"))
    ids = list(session.scalars(select(ServiceRequest.id).where(ServiceRequest.closed_at <= cutoff,
                                                               ServiceRequest.erased_at.is_(None))))
    if not ids:
        return 0
    session.execute(update(ServiceRequest).where(ServiceRequest.id.in_(ids))
                    .values(erased_at=now, **{name: None for name in CONTACT_FIELDS}))
    for request_id in ids:
        audit(session, action="request_erase", entity="service_request", entity_id=request_id,
              detail="contact details erased after the retention period")
        add_event(session, request=session.get(ServiceRequest, request_id), actor="clock", action="erased", at=now)
    return len(ids)
