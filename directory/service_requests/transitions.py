"""What may happen to an assignment, and to its request: each change one audited transition with a timeline line.

    offered ──accept──▶ accepted ──resolve──▶ resolved ──(SME reopens within 7 days)──▶ accepted
       │  └──────────decline / forward──────────┘
       └──(not accepted by accept_by: the clock)──▶ expired   (a new assignment goes one tier up)
"""
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from directory.auth.models import Administrator
from directory.auth.access import Permission, in_scope, roles_with
from directory.institutions.models import Institution, InstitutionStatus
from directory.regions.service import get_region
from directory.service_requests import notifications, routing
from directory.service_requests.models import (ACTIVE_ASSIGNMENT, Assignment, AssignmentStatus, Feedback,
                                               RequestStatus, ServiceRequest)
from directory.service_requests.service import RequestInvalid, add_event, assignments_of, audit, offer
from directory.service_requests.settings import setting
from directory.service_requests.working_days import deadline_after
from directory.timestamps import utcnow

ALLOWED_FROM = {
    "accept": (AssignmentStatus.offered,),
    "decline": (AssignmentStatus.offered, AssignmentStatus.accepted),
    "forward": (AssignmentStatus.offered, AssignmentStatus.accepted),
    "resolve": (AssignmentStatus.accepted,),
}


class TransitionRefused(Exception):
    """The assignment's (or request's) current state does not allow the action; ``state`` names it."""

    def __init__(self, action: str, state: str, message: str | None = None):
        self.action, self.state = action, state
        super().__init__(message or f"Cannot {action} an assignment that is {state}.")


def apply_action(session: Session, *, assignment: Assignment, action: dict, actor: str,
                 now: datetime | None = None) -> Assignment:
    """Carry out ``action`` (accept, decline, forward or resolve) on ``assignment``, or raise."""
    now = now or utcnow()
    name = action["action"]
    if assignment.status not in ALLOWED_FROM[name]:
        raise TransitionRefused(name, str(assignment.status))
    request = session.get(ServiceRequest, assignment.request_id)
    before = {"status": str(assignment.status)}
    note = action.get("note") or action.get("reason")
    if name == "accept":
        assignment.status, assignment.accepted_at = AssignmentStatus.accepted, now
        assignment.reminded_at = None   # the next reminder is for the resolution deadline
        assignment.resolve_by = deadline_after(now, setting("SERVICE_RESOLVE_WORKING_DAYS"))
    elif name == "decline":
        assignment.status = AssignmentStatus.declined
    elif name == "forward":
        target = _forward_target(session, request=request, institution_id=action["to_institution_id"])
        assignment.status = AssignmentStatus.forwarded
        offer(session, request=request, institution=target, source="forwarded", now=now, actor=actor,
              escalated_from=assignment, note=note)
    elif name == "resolve":
        assignment.status, assignment.resolved_at, assignment.outcome = (
            AssignmentStatus.resolved, now, action["outcome"])
    if note:
        assignment.note = note
    assignment.updated_at = now
    record(session, request=request, assignment=assignment, action=name, actor=actor, note=note, now=now,
           before=before)
    if name == "decline" and not _active(session, request):
        escalate(session, assignment=assignment, now=now)
    refresh_status(session, request, now=now)
    return assignment


def record(session: Session, *, request: ServiceRequest, assignment: Assignment, action: str, actor: str,
           note: str | None, now: datetime, before: dict) -> None:
    """The audit entry, the timeline line and the SME's e-mail for one transition."""
    after = {"status": str(assignment.status), "outcome": assignment.outcome}
    audit(session, action=f"request_{action}", entity="service_assignment", entity_id=assignment.id,
          before=before, after=after, detail=f"service request {request.id}")
    add_event(session, request=request, assignment=assignment, actor=actor, action=action, note=note, at=now)
    institution = session.get(Institution, assignment.institution_id)
    subject, body = notifications.sme_update_message(request_id=request.id, institution_name=institution.name,
                                                     status=str(assignment.status), note=note, tracking_url=None)
    notifications.queue(session, to=request.contact_email, subject=subject, body=body, kind="sme_update")


def _forward_target(session: Session, *, request: ServiceRequest, institution_id: int) -> Institution:
    target = session.get(Institution, institution_id)
    if target is None or target.status != InstitutionStatus.active:
        raise RequestInvalid({"to_institution_id": [f"No institution with id {institution_id}."]
                              if target is None else [f"Institution {institution_id} does not take requests now."]})
    if any(a.institution_id == target.id and a.status in ACTIVE_ASSIGNMENT
           for a in assignments_of(session, request.id)):
        raise RequestInvalid({"to_institution_id": [f"Institution {institution_id} already has this request."]})
    return target


def _active(session: Session, request: ServiceRequest) -> list[Assignment]:
    return [a for a in assignments_of(session, request.id) if a.status in ACTIVE_ASSIGNMENT]


def refresh_status(session: Session, request: ServiceRequest, *, now: datetime) -> None:
    """The request's status from its assignments (closed and unserved stay)."""
    if request.status == RequestStatus.closed:
        return
    statuses = {a.status for a in assignments_of(session, request.id)}
    if AssignmentStatus.accepted in statuses:
        status = RequestStatus.in_progress
    elif AssignmentStatus.offered in statuses:
        status = RequestStatus.open
    elif AssignmentStatus.resolved in statuses:
        status = RequestStatus.resolved
    else:
        status = RequestStatus.unserved
    if status in (RequestStatus.resolved, RequestStatus.unserved):
        request.closed_at = request.closed_at or now
    else:
        request.closed_at = None
    request.status = status


def escalate(session: Session, *, assignment: Assignment, now: datetime) -> Assignment | None:
    """Give the request to the nearest provider one tier up (the late assignment expires); tell the
    administrators of the new institution's division. None when nobody is left up the chain."""
    request = session.get(ServiceRequest, assignment.request_id)
    if assignment.status == AssignmentStatus.offered:
        before = {"status": str(assignment.status)}
        assignment.status, assignment.updated_at = AssignmentStatus.expired, now
        audit(session, action="request_expire", entity="service_assignment", entity_id=assignment.id,
              before=before, after={"status": "expired"}, detail=f"service request {request.id}")
        add_event(session, request=request, assignment=assignment, actor="clock", action="expired", at=now)
    taken = {a.institution_id for a in assignments_of(session, request.id)}
    target = routing.next_tier_provider(session, region_code=request.region_code, categories=request.categories,
                                        above_tier=assignment.tier, excluded=taken)
    late = session.get(Institution, assignment.institution_id)
    new = None
    if target is not None:
        new = offer(session, request=request, institution=target, source="escalated", now=now, actor="clock",
                    escalated_from=assignment)
    else:
        add_event(session, request=request, actor="clock", action="unserved", at=now)
    _tell_administrators(session, request=request, late=late, target=target)
    refresh_status(session, request, now=now)
    return new


def _tell_administrators(session: Session, *, request: ServiceRequest, late: Institution,
                         target: Institution | None) -> None:
    region = get_region(session, request.region_code)
    subject, body = notifications.escalation_message(
        request_id=request.id, late_institution=late.name, new_institution=target.name if target else None,
        region_name=region.name if region else request.region_code)
    division = target.region_code if target is not None else request.region_code
    for admin in responsible_administrators(session, division):
        notifications.queue(session, to=admin.email, subject=subject, body=body, kind="escalation")


def responsible_administrators(session: Session, region_code: str | None) -> list[Administrator]:
    """Active administrators (not staff) whose scope holds ``region_code``, with an e-mail address."""
    rows = session.scalars(select(Administrator).where(Administrator.active.is_(True),
                                                       Administrator.role.in_(roles_with(Permission.administer)),
                                                       Administrator.email.is_not(None)))
    return [row for row in rows if in_scope(session, row, region_code)]


def rate(session: Session, *, request: ServiceRequest, rating: int, comment: str | None,
         now: datetime | None = None) -> Feedback:
    """The SME rates a resolved request (once); the request is closed."""
    now = now or utcnow()
    if request.status not in (RequestStatus.resolved,):
        raise TransitionRefused("rate", str(request.status), f"Only a resolved request can be rated; this one is "
                                f"{request.status}.")
    feedback = Feedback(request_id=request.id, rating=rating, comment=comment, at=now)
    session.add(feedback)
    request.status, request.closed_at = RequestStatus.closed, request.closed_at or now
    add_event(session, request=request, actor="sme", action="rated", note=comment, at=now)
    audit(session, action="request_rate", entity="service_request", entity_id=request.id,
          after={"rating": rating}, detail="rated by the SME")
    return feedback


def reopen(session: Session, *, request: ServiceRequest, reason: str, now: datetime | None = None) -> Assignment:
    """The SME does not accept the resolution: within ``SERVICE_REOPEN_DAYS`` the last resolving
    institution has it again (accepted, with a new resolution deadline)."""
    now = now or utcnow()
    resolved = [a for a in assignments_of(session, request.id) if a.status == AssignmentStatus.resolved]
    if request.status != RequestStatus.resolved or not resolved:
        raise TransitionRefused("reopen", str(request.status), f"Only a resolved request can be reopened; this one "
                                f"is {request.status}.")
    last = max(resolved, key=lambda a: a.resolved_at)
    if now - last.resolved_at > timedelta(days=setting("SERVICE_REOPEN_DAYS")):
        raise TransitionRefused("reopen", "resolved", f"A request can be reopened within "
                                f"{setting('SERVICE_REOPEN_DAYS')} days of its resolution; that time has passed.")
    before = {"status": str(last.status), "outcome": last.outcome}
    last.status, last.resolved_at, last.outcome, last.updated_at = AssignmentStatus.accepted, None, None, now
    last.resolve_by = deadline_after(now, setting("SERVICE_RESOLVE_WORKING_DAYS"))
    last.reminded_at = None
    audit(session, action="request_reopen", entity="service_assignment", entity_id=last.id, before=before,
          after={"status": "accepted"}, detail=f"service request {request.id} reopened by the SME")
    add_event(session, request=request, assignment=last, actor="sme", action="reopened", note=reason, at=now)
    institution = session.get(Institution, last.institution_id)
    subject, body = notifications.new_assignment_message(request_id=request.id, need=f"{request.need}\n\n{reason}",
                                                         institution_name=institution.name,
                                                         accept_by=last.resolve_by, source="reopened")
    notifications.queue(session, to=institution.email, subject=subject, body=body, kind="reopened")
    refresh_status(session, request, now=now)
    return last
