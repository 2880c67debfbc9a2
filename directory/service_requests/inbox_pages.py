"""The inbox on the web: staff see their institution's requests, administrators those in their scope;
the actions as forms."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from directory.auth.login import account_required, current_administrator_row
from directory.database import get_session
from directory.institutions.models import Institution
from directory.service_requests import labels, service, transitions
from directory.service_requests.messages import errors_zh
from directory.service_requests.models import Assignment, AssignmentStatus, ServiceRequest
from directory.service_requests.schemas import ActionSchema
from directory.service_requests.stats import institution_stats

blp = Blueprint("service_inbox", __name__, url_prefix="/admin/service-requests")
ACTION_SCHEMA = ActionSchema()


@blp.get("")
@account_required
def inbox():
    """Requests with an assignment the account may act on, newest first; ``?status=`` keeps one state."""
    session = get_session()
    account = current_administrator_row()
    status = request.args.get("status") or None
    if status not in (None, *(s.value for s in AssignmentStatus)):
        status = None
    rows = [service.describe_request(session, r, assignments=service.visible_assignments(session, account, r),
                                     contacts=False) for r in service.requests_for(session, account, status=status)]
    return render_template("service_requests/inbox.html", requests=rows, status=status, account=account,
                           statuses=labels.ASSIGNMENT_STATUS)


def _visible(request_id: int, account) -> ServiceRequest:
    session = get_session()
    found = session.get(ServiceRequest, request_id)
    if found is None:
        abort(404)
    if not service.visible_assignments(session, account, found):
        abort(403, description=_("这项服务请求不在您的办理范围内。"))
    return found


@blp.get("/<id:request_id>")
@account_required
def detail(request_id: int):
    """One request with its timeline and, for those who may, the SME's contact details (each view audited)."""
    session = get_session()
    account = current_administrator_row()
    described = service.read_request(session, account, _visible(request_id, account), shown="shown on the web")
    actionable = {a["id"] for a in described["assignments"]
                  if service.may_act_on(session, account, session.get(Institution, a["institution_id"]))}
    return render_template("service_requests/detail.html", request=described, actionable=actionable,
                           outcomes=labels.OUTCOME)


@blp.post("/<id:request_id>/assignments/<id:assignment_id>")
@account_required
def act(request_id: int, assignment_id: int):
    """Accept, decline, forward or resolve from the web; the same transitions as the API."""
    session = get_session()
    account = current_administrator_row()
    assignment = session.get(Assignment, assignment_id, with_for_update=True)
    if assignment is None or assignment.request_id != request_id:
        abort(404)
    if not service.may_act_on(session, account, session.get(Institution, assignment.institution_id)):
        abort(403, description=_("这项服务请求不在您的办理范围内。"))
    form = {key: value for key, value in request.form.items() if key != "csrf_token" and value.strip()}
    try:
        action = ACTION_SCHEMA.load(form)
        transitions.apply_action(session, assignment=assignment, action=action, actor=account.username)
    except ValidationError as error:
        flash(" ".join(m for messages in errors_zh(error.messages).values() for m in messages), "error")
    except service.RequestInvalid as error:
        flash(" ".join(m for messages in errors_zh(error.errors).values() for m in messages), "error")
    except transitions.TransitionRefused as refusal:
        flash(_("这项操作无法进行：当前状态为“%(state)s”。", state=labels.assignment_status_label(refusal.state)),
              "error")
    else:
        flash(_("已保存。"), "success")
    return redirect(url_for(".detail", request_id=request_id), code=303)


@blp.get("/institutions/<id:institution_id>")
@account_required
def institution_figures(institution_id: int):
    """One institution's own figures (requests, the three rates, hours to accept, escalations, monthly trend)
    for its staff and the administrators in whose scope it is; no contact details."""
    session = get_session()
    institution = session.get(Institution, institution_id)
    if institution is None:
        abort(404)
    if not service.may_act_on(session, current_administrator_row(), institution):
        abort(403, description=_("这家机构不在您的办理范围内。"))
    return render_template("service_requests/institution_figures.html", institution=institution,
                           figures=institution_stats(session, institution_id=institution.id))
