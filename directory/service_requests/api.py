"""/api/v1/service-requests: SMEs submit and follow requests; institution staff and administrators act on them."""
from datetime import timedelta

from flask import url_for
from flask_smorest import Blueprint, abort

from directory.auth.api import account_required
from directory.database import get_session, read_only, write_transaction
from directory.extensions import limiter
from directory.institutions.models import Institution
from directory.regions.service import get_region
from directory.service_requests import service, transitions
from directory.service_requests.messages import ServiceRequestParser, errors_zh
from directory.service_requests.models import Assignment, RequestStatus, ServiceRequest
from directory.service_requests.schemas import (ActionSchema, AssignmentSchema, FeedbackInSchema, FeedbackSchema,
                                                ListQuerySchema, ReopenInSchema, RequestSchema, SubmissionSchema,
                                                SubmittedSchema, TrackedSchema)
from directory.service_requests.settings import setting
from directory.timestamps import utcnow

SUBMISSION_LIMITS = "5 per minute;30 per hour"   # per client address, like logins: anonymous writes


class ServiceRequestBlueprint(Blueprint):
    ARGUMENTS_PARSER = ServiceRequestParser()


blp = ServiceRequestBlueprint("service_requests", __name__, url_prefix="/api/v1/service-requests",
                              description="Service requests: from an SME's need to a rated outcome / 服务请求")


def unprocessable(error: service.RequestInvalid):
    abort(422, message="The request is not valid; see errors.", errors=error.errors, errors_zh=errors_zh(error.errors))


def tracking_url(token: str) -> str:
    """The SME's private link; its last segment is the token."""
    return url_for("service_request_pages.track", token=token, _external=True)


@blp.route("", methods=["POST"])
@limiter.limit(SUBMISSION_LIMITS, methods=["POST"])
@blp.arguments(SubmissionSchema)
@blp.response(201, SubmittedSchema)
@blp.alt_response(200, schema=SubmittedSchema, description="The same phone sent the same need within a day: "
                                                           "that request, with duplicate true and no tracking_url")
@blp.alt_response(422, description="Bad fields, no consent, unknown institutions or division")
@blp.alt_response(429, description="Too many submissions from this address; see Retry-After")
@read_only
def submit(fields):
    """An SME asks 1–3 institutions (by default the first in-chain provider per detected need) to contact it.
    No login. The tracking link is given once."""
    session = get_session()   # reads only: matching may update this process's index, outside any write lock
    if get_region(session, fields["region_code"]) is None:
        unprocessable(service.RequestInvalid({"region_code": [f"Unknown region code {fields['region_code']}."]}))
    try:
        routed = service.route(session, fields=fields)
        with write_transaction(session) as writer:
            request, token = service.submit(writer, fields=fields, routed=routed)
            link = tracking_url(token) if token else None
            if link:
                service.confirm_to_sme(writer, request=request, tracking_url=link)
            body = {"id": request.id, "status": str(request.status), "duplicate": token is None,
                    "tracking_url": link, "assignments": [service.describe_assignment(writer, a)
                                                          for a in service.assignments_of(writer, request.id)]}
    except service.RequestInvalid as error:
        unprocessable(error)
    return body, 201 if token else 200


@blp.route("")
@account_required
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, RequestSchema(many=True))
@blp.alt_response(401, description="No valid bearer token")
def list_requests(query, account):
    """Staff: requests with an assignment of their institution (only those assignments); administrators:
    requests with an assignment of an institution in their scope. Newest first, without contact details."""
    session = get_session()
    return [service.describe_request(session, r, assignments=service.visible_assignments(session, account, r),
                                     contacts=False)
            for r in service.requests_for(session, account, status=query["status"])]


def _visible_request(request_id: int, account) -> ServiceRequest:
    session = get_session()
    request = session.get(ServiceRequest, request_id)
    if request is None:
        abort(404, message=f"No service request {request_id}.")
    if not service.visible_assignments(session, account, request):
        abort(403, message=f"Service request {request_id} has no assignment of an institution {account.username} "
                           "may act for.")
    return request


@blp.route("/<id:request_id>")
@account_required
@blp.response(200, RequestSchema)
@blp.alt_response(401, description="No valid bearer token")
@blp.alt_response(403, description="None of the request's institutions is the caller's")
@blp.alt_response(404, description="No such request")
def get_request(request_id, account):
    """One request with its timeline; the SME's contact details for the staff of an institution it lies with
    and administrators in scope (each such view is recorded in the audit trail)."""
    return service.read_request(get_session(), account, _visible_request(request_id, account),
                                shown="read through the API")


@blp.route("/<id:request_id>/assignments/<id:assignment_id>", methods=["PATCH"])
@account_required
@blp.arguments(ActionSchema)
@blp.response(200, AssignmentSchema)
@blp.alt_response(401, description="No valid bearer token")
@blp.alt_response(403, description="The assignment's institution is not the caller's (staff) or outside its scope")
@blp.alt_response(404, description="No such assignment on this request")
@blp.alt_response(409, description="The assignment's state does not allow the action; the message names it")
def act(action, request_id, assignment_id, account):
    """Accept (we have contacted the SME), decline with a reason, forward to another institution with a note,
    or resolve with an outcome. Each is one audited transition with a line on the timeline."""
    session = get_session()
    assignment = session.get(Assignment, assignment_id, with_for_update=True)
    if assignment is None or assignment.request_id != request_id:
        abort(404, message=f"No assignment {assignment_id} on service request {request_id}.")
    if not service.may_act_on(session, account, session.get(Institution, assignment.institution_id)):
        abort(403, message=f"{account.username} may not act for institution {assignment.institution_id}.")
    try:
        transitions.apply_action(session, assignment=assignment, action=action, actor=account.username)
    except transitions.TransitionRefused as refusal:
        abort(409, message=str(refusal), errors={"status": [str(refusal)]}, current_status=refusal.state)
    except service.RequestInvalid as error:
        unprocessable(error)
    return service.describe_assignment(session, assignment)


def _tracked(token: str) -> ServiceRequest:
    request = service.request_by_token(get_session(), token)
    if request is None:
        abort(404, message="No service request has this tracking link.")
    return request


def describe_tracked(session, request: ServiceRequest) -> dict:
    """The request as its SME sees it: timeline, whether it may rate or reopen; no contact details."""
    resolved = [a.resolved_at for a in service.assignments_of(session, request.id) if a.resolved_at]
    may_reopen = (request.status == RequestStatus.resolved and bool(resolved)
                  and utcnow() - max(resolved) <= timedelta(days=setting("SERVICE_REOPEN_DAYS")))
    return service.describe_request(session, request, assignments=service.assignments_of(session, request.id),
                                    contacts=False) | {
        "timeline": service.timeline(session, request), "may_rate": request.status == RequestStatus.resolved,
        "may_reopen": may_reopen}


TOKEN_URL = "/track/<string(length=43):token>"


@blp.route(TOKEN_URL)
@blp.response(200, TrackedSchema)
@blp.alt_response(404, description="No request has this token")
def track(token):
    """The SME follows its request through the private tracking link (no login)."""
    return describe_tracked(get_session(), _tracked(token))


def _sme_write(path: str, *, takes, status: int, answers, conflict: str):
    """A POST the SME makes through its tracking link: rate-limited like submissions, 404 for an unknown
    token and 409 (``conflict``) documented."""
    def decorate(view):
        for step in (blp.alt_response(409, description=conflict),
                     blp.alt_response(404, description="No request has this token"),
                     blp.response(status, answers), blp.arguments(takes),
                     limiter.limit(SUBMISSION_LIMITS, methods=["POST"]),
                     blp.route(f"{TOKEN_URL}/{path}", methods=["POST"])):
            view = step(view)
        return view
    return decorate


@_sme_write("feedback", takes=FeedbackInSchema, status=201, answers=FeedbackSchema,
            conflict="Not resolved, or already rated")
def feedback(fields, token):
    """Rate a resolved request 1–5 with an optional comment (once); the request is closed."""
    session = get_session()
    request = _tracked(token)
    if service.feedback_of(session, request) is not None:
        abort(409, message="This request has already been rated.", current_status=str(request.status))
    try:
        return transitions.rate(session, request=request, rating=fields["rating"], comment=fields.get("comment"))
    except transitions.TransitionRefused as refusal:
        abort(409, message=str(refusal), current_status=refusal.state)


@_sme_write("reopen", takes=ReopenInSchema, status=200, answers=TrackedSchema,
            conflict="Not resolved, already rated, or resolved more than 7 days ago")
def reopen(fields, token):
    """The SME does not accept the resolution: within 7 days the institution that resolved it has it again."""
    session = get_session()
    request = _tracked(token)
    try:
        transitions.reopen(session, request=request, reason=fields["reason"])
    except transitions.TransitionRefused as refusal:
        abort(409, message=str(refusal), current_status=refusal.state)
    return describe_tracked(session, request)

