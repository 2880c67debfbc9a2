"""Submitting service requests, who may see them, and how they are described."""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.auth.models import Administrator
from directory.auth.access import bound_to_institution, in_scope, may_act_for
from directory.institutions.models import Institution, InstitutionStatus
from directory.regions.service import subtree_codes
from directory.service_requests import notifications, routing
from directory.service_requests.contact import need_key
from directory.service_requests.models import (ACTIVE_ASSIGNMENT, Assignment, Feedback, RequestEvent,
                                               RequestStatus, ServiceRequest)
from directory.service_requests.settings import setting
from directory.service_requests.working_days import deadline_after
from directory.timestamps import utcnow

CONTACT_FIELDS = ("enterprise_name", "credit_code", "contact_name", "contact_phone", "contact_email")


class RequestInvalid(ValueError):
    """A submission or action that cannot be carried out as sent; ``errors`` by field."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def token_hash(token: str) -> str:
    """The SHA-256 kept for a tracking token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def find_duplicate(session: Session, *, phone: str, need: str, now: datetime) -> ServiceRequest | None:
    """A request from the same phone with the same need in the last day (``SERVICE_DUPLICATE_HOURS``)."""
    since = now - timedelta(hours=setting("SERVICE_DUPLICATE_HOURS"))
    rows = session.scalars(select(ServiceRequest).where(ServiceRequest.contact_phone == phone,
                                                        ServiceRequest.created_at >= since)
                           .order_by(ServiceRequest.id))
    key = need_key(need)
    return next((row for row in rows if need_key(row.need) == key), None)


def _serialise_same_phone(session: Session, phone: str) -> None:
    """On PostgreSQL, two submissions from one phone wait for each other (a transaction-scoped advisory
    lock), so a double click is recognised as a duplicate; SQLite's write lock already does this."""
    if session.get_bind().dialect.name == "postgresql":
        key = int(hashlib.sha256(phone.encode()).hexdigest()[:15], 16)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _institutions(session: Session, ids: list[int]) -> list[Institution]:
    found = {i.id: i for i in session.scalars(select(Institution).where(Institution.id.in_(ids)))}
    unknown = [i for i in ids if i not in found]
    closed = [i for i in ids if i in found and found[i].status != InstitutionStatus.active]
    if unknown or closed:
        messages = [f"No institution with id {i}." for i in unknown]
        messages += [f"Institution {i} does not take requests now ({found[i].status})." for i in closed]
        raise RequestInvalid({"institution_ids": messages})
    return [found[i] for i in ids]


def route(session: Session, *, fields: dict) -> tuple[list[str], list[int]]:
    """The need's categories and its default institutions, read before any write.

    Matching may first bring this process's index up to date; views call this with their reading
    session, then ``submit`` in a short write transaction, so that no write lock is held meanwhile.
    """
    return routing.default_providers(session, need=fields["need"], region_code=fields["region_code"])


def submit(session: Session, *, fields: dict, now: datetime | None = None,
           routed: tuple[list[str], list[int]] | None = None) -> tuple[ServiceRequest, str | None]:
    """Record a request and its assignments; returns it with its tracking token (None for a duplicate).

    The institutions are the SME's choice (1–3), else the first in-chain provider for each
    detected need (``routed``: what ``route`` found, else found here). The same phone with the
    same need within a day gives back the first request.
    """
    now = now or utcnow()
    _serialise_same_phone(session, fields["contact_phone"])
    duplicate = find_duplicate(session, phone=fields["contact_phone"], need=fields["need"], now=now)
    if duplicate is not None:
        return duplicate, None
    categories, default_ids = routed or route(session, fields=fields)
    chosen = fields.get("institution_ids") or []
    institutions = _institutions(session, chosen or default_ids)
    if not institutions:
        raise RequestInvalid({"need": ["No institution on your chain offers what this need asks for; "
                                       "choose institutions with institution_ids."]})
    token = secrets.token_urlsafe(32)
    request = ServiceRequest(need=fields["need"], region_code=fields["region_code"], categories=categories,
                             consent_at=now, created_at=now, tracking_hash=token_hash(token),
                             **{name: fields.get(name) for name in CONTACT_FIELDS})
    session.add(request)
    session.flush()
    add_event(session, request=request, actor="sme", action="submitted", at=now)
    for institution in institutions:
        offer(session, request=request, institution=institution, source="chosen" if chosen else "default",
              now=now, actor="sme")
    return request, token


def confirm_to_sme(session: Session, *, request: ServiceRequest, tracking_url: str) -> None:
    """E-mail the SME (when it gave an address) its private tracking link and who has its request."""
    names = [session.get(Institution, a.institution_id).name for a in assignments_of(session, request.id)]
    subject, body = notifications.submitted_message(request_id=request.id, institution_names=names,
                                                    tracking_url=tracking_url)
    notifications.queue(session, to=request.contact_email, subject=subject, body=body, kind="sme_submitted")


def offer(session: Session, *, request: ServiceRequest, institution: Institution, source: str, now: datetime,
          actor: str, escalated_from: Assignment | None = None, note: str | None = None) -> Assignment:
    """Give ``institution`` an assignment on ``request`` (deadline to accept from now) and tell it by e-mail."""
    assignment = Assignment(request_id=request.id, institution_id=institution.id, tier=str(institution.level),
                            source=source, escalated_from_id=escalated_from.id if escalated_from else None,
                            accept_by=deadline_after(now, setting("SERVICE_ACCEPT_WORKING_DAYS")),
                            created_at=now, updated_at=now)
    session.add(assignment)
    session.flush()
    add_event(session, request=request, assignment=assignment, actor=actor, action=f"offered_{source}",
              note=note, at=now)
    subject, body = notifications.new_assignment_message(request_id=request.id, need=request.need,
                                                         institution_name=institution.name,
                                                         accept_by=assignment.accept_by, source=source)
    notifications.queue(session, to=institution.email, subject=subject, body=body, kind="new_assignment")
    return assignment


def add_event(session: Session, *, request: ServiceRequest, actor: str, action: str, at: datetime,
              assignment: Assignment | None = None, note: str | None = None) -> RequestEvent:
    """One line of the request's timeline."""
    event = RequestEvent(request_id=request.id, assignment_id=assignment.id if assignment else None,
                         institution_id=assignment.institution_id if assignment else None,
                         actor=actor[:64], action=action, note=note, at=at)
    session.add(event)
    return event


def audit(session: Session, *, action: str, entity: str, entity_id: int, before: dict | None = None,
          after: dict | None = None, detail: str | None = None) -> None:
    """An entry in the audit trail (the one institutions and accounts use), in the same transaction."""
    session.add(AuditEntry(actor=session.info.get("actor"), action=action, entity=entity, entity_id=entity_id,
                           before=before, after=after, detail=detail))


def assignments_of(session: Session, request_id: int) -> list[Assignment]:
    """A request's assignments, oldest first."""
    return list(session.scalars(select(Assignment).where(Assignment.request_id == request_id)
                                .order_by(Assignment.id)))


def may_act_on(session: Session, account: Administrator, institution: Institution) -> bool:
    """Staff: their own institution only; administrators: institutions placed inside their scope."""
    if bound_to_institution(account):
        return may_act_for(account, institution.id)
    return in_scope(session, account, institution.region_code)


def may_see_contacts(session: Session, account: Administrator, request: ServiceRequest) -> bool:
    """Whether ``account`` may read the SME's contact details: staff of an institution the request
    still lies with (offered, accepted or resolved), administrators in scope of any assigned institution."""
    for assignment in assignments_of(session, request.id):
        institution = session.get(Institution, assignment.institution_id)
        if bound_to_institution(account):
            if may_act_for(account, assignment.institution_id) and assignment.status in (
                    *ACTIVE_ASSIGNMENT, "resolved"):
                return True
        elif in_scope(session, account, institution.region_code):
            return True
    return False


def visible_assignments(session: Session, account: Administrator, request: ServiceRequest) -> list[Assignment]:
    """The request's assignments ``account`` may see: staff their institution's, administrators all
    (when at least one lies in their scope)."""
    rows = assignments_of(session, request.id)
    if bound_to_institution(account):
        return [a for a in rows if may_act_for(account, a.institution_id)]
    return rows if any(may_act_on(session, account, session.get(Institution, a.institution_id)) for a in rows) else []


def requests_for(session: Session, account: Administrator, *, status: str | None = None,
                 limit: int = 200) -> list[ServiceRequest]:
    """Requests with an assignment ``account`` may act on (optionally in assignment ``status``), newest first."""
    query = select(Assignment.request_id).join(Institution, Institution.id == Assignment.institution_id)
    if bound_to_institution(account):
        query = query.where(Assignment.institution_id == (account.institution_id or 0))
    elif account.region_code is not None:   # the scope's divisions, in SQL (a national scope holds all)
        query = query.where(Institution.region_code.in_(subtree_codes(account.region_code)))
    if status:
        query = query.where(Assignment.status == status)
    ids = session.scalars(query.group_by(Assignment.request_id).order_by(Assignment.request_id.desc())
                          .limit(limit)).all()
    return [session.get(ServiceRequest, i) for i in ids]


def describe_assignment(session: Session, assignment: Assignment) -> dict:
    """An assignment as the API returns it."""
    institution = session.get(Institution, assignment.institution_id)
    return {"id": assignment.id, "request_id": assignment.request_id, "institution_id": assignment.institution_id,
            "institution_name": institution.name if institution else None, "status": str(assignment.status),
            "tier": assignment.tier, "source": assignment.source, "escalated_from_id": assignment.escalated_from_id,
            "accept_by": assignment.accept_by, "resolve_by": assignment.resolve_by,
            "accepted_at": assignment.accepted_at, "resolved_at": assignment.resolved_at,
            "outcome": assignment.outcome, "note": assignment.note}


def timeline(session: Session, request: ServiceRequest) -> list[dict]:
    """The request's timeline, oldest first, naming institutions but no person's contact details."""
    rows = session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id)
                           .order_by(RequestEvent.at, RequestEvent.id))
    names: dict[int, str] = {}
    lines = []
    for row in rows:
        if row.institution_id and row.institution_id not in names:
            names[row.institution_id] = session.get(Institution, row.institution_id).name
        lines.append({"at": row.at, "action": row.action, "note": row.note, "assignment_id": row.assignment_id,
                      "institution_id": row.institution_id, "institution_name": names.get(row.institution_id),
                      "by": "sme" if row.actor == "sme" else "clock" if row.actor == "clock" else "institution"})
    return lines


def feedback_of(session: Session, request: ServiceRequest) -> Feedback | None:
    """The SME's rating of the request, if it gave one."""
    return session.scalar(select(Feedback).where(Feedback.request_id == request.id))


def describe_request(session: Session, request: ServiceRequest, *, assignments: list[Assignment],
                     contacts: bool) -> dict:
    """A request as staff and administrators read it; contact details only when ``contacts``."""
    feedback = feedback_of(session, request)
    described = {"id": request.id, "status": str(request.status), "need": request.need,
                 "region_code": request.region_code, "categories": request.categories,
                 "created_at": request.created_at, "closed_at": request.closed_at,
                 "erased": request.erased_at is not None,
                 "assignments": [describe_assignment(session, a) for a in assignments],
                 "feedback": {"rating": feedback.rating, "comment": feedback.comment, "at": feedback.at}
                 if feedback else None}
    if contacts:
        described["contact"] = {name: getattr(request, name) for name in CONTACT_FIELDS}
    return described


def read_request(session: Session, account: Administrator, request: ServiceRequest, *, shown: str) -> dict:
    """``request`` as ``account`` may read it, with its timeline: the assignments it may see, and the SME's
    contact details when it may see them, each such reading audited as ``shown`` (e.g. "on the web")."""
    contacts = may_see_contacts(session, account, request)
    if contacts:
        audit(session, action="view_contact", entity="service_request", entity_id=request.id,
              detail=f"contact details of service request {request.id} {shown}")
    return describe_request(session, request, assignments=visible_assignments(session, account, request),
                            contacts=contacts) | {"timeline": timeline(session, request)}


def request_by_token(session: Session, token: str) -> ServiceRequest | None:
    """The request this tracking token opens, or None."""
    if not token or len(token) > 100:
        return None
    return session.scalar(select(ServiceRequest).where(ServiceRequest.tracking_hash == token_hash(token)))
