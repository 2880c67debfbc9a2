"""Web pages of service requests for the SME: the form ("请联系我"), and the private tracking page."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from directory.database import get_session, read_only, write_transaction
from directory.extensions import limiter
from directory.i18n import chosen_language
from directory.regions.cascading import chosen_region_path, region_selects
from directory.institutions.models import Institution
from directory.service_requests import labels, service, transitions
from directory.service_requests.api import SUBMISSION_LIMITS, describe_tracked, tracking_url
from directory.service_requests.messages import errors_zh
from directory.service_requests.routing import MAX_INSTITUTIONS
from directory.service_requests.schemas import FeedbackInSchema, ReopenInSchema, SubmissionSchema

blp = Blueprint("service_request_pages", __name__)
for _name, _filter in labels.FILTERS.items():
    blp.add_app_template_filter(_filter, _name)

TOKEN = "<string(length=43):token>"
CONTACT_FIELDS = ("need", "enterprise_name", "credit_code", "contact_name", "contact_phone", "contact_email")


def _page_errors(errors: dict) -> dict[str, list[str]]:
    """Field errors as the visitor reads them: Chinese, or English with ``?lang=en``."""
    if chosen_language() == "en":
        return {name: messages if isinstance(messages, list) else [str(messages)] for name, messages in errors.items()}
    return errors_zh(errors)


def _chosen_institutions(ids: list[str]) -> list[Institution]:
    wanted = [int(i) for i in ids if i.isdigit() and len(i) < 10][:MAX_INSTITUTIONS]
    found = [get_session().get(Institution, i) for i in dict.fromkeys(wanted)]
    return [i for i in found if i is not None]


@blp.route("/service-requests/new", methods=["GET", "POST"])
@limiter.limit(SUBMISSION_LIMITS, methods=["POST"])
@read_only
def new():
    """The SME's request: its need and place (from /find), who it is, how to reach it, and consent."""
    session = get_session()
    source = request.form if request.method == "POST" else request.args
    path = chosen_region_path(session, source.getlist("region_code"), [])
    chosen = _chosen_institutions(source.getlist("institution_id"))
    values = {name: (source.get(name) or "").strip() for name in CONTACT_FIELDS}
    errors: dict = {}
    if request.method == "POST":
        body = {name: value or None for name, value in values.items()} | {
            "region_code": path[-1].code if path else "", "consent": source.get("consent") == "yes",
            "institution_ids": [i.id for i in chosen]}
        try:
            fields = SubmissionSchema().load(body)
            routed = service.route(session, fields=fields)   # before the write lock (see service.route)
            with write_transaction(session) as writer:
                found, token = service.submit(writer, fields=fields, routed=routed)
                if token is not None:
                    service.confirm_to_sme(writer, request=found, tracking_url=tracking_url(token))
        except ValidationError as error:
            errors = _page_errors(error.messages)
        except service.RequestInvalid as error:
            errors = _page_errors(error.errors)
        else:
            if token is None:
                flash(_("您在一天内已提交过相同的需求，请使用第一次提交后得到的进度链接（也已发到您的邮箱）。"), "info")
                return render_template("service_requests/duplicate.html", request_id=found.id), 200
            return redirect(url_for(".track", token=token), code=303)
    return render_template("service_requests/new.html", values=values, path=path, chosen=chosen, errors=errors,
                           region_selects=region_selects(session, path), consent=source.get("consent") == "yes"
                           ), 422 if errors else 200


def _tracked(token: str):
    found = service.request_by_token(get_session(), token)
    if found is None:
        abort(404, description=_("找不到该服务请求，请检查链接是否完整。"))
    return found


@blp.get(f"/service-requests/track/{TOKEN}")
def track(token: str):
    """The SME's own page: who has its request, since when, what they said; rate or reopen it."""
    return render_template("service_requests/track.html", request=describe_tracked(get_session(), _tracked(token)),
                           token=token, errors={})


@blp.post(f"/service-requests/track/{TOKEN}/feedback")
@limiter.limit(SUBMISSION_LIMITS, methods=["POST"])
def feedback(token: str):
    """Rate the resolved request (1–5, with a comment)."""
    return _track_action(token, FeedbackInSchema(), lambda session, found, fields: transitions.rate(
        session, request=found, rating=fields["rating"], comment=fields.get("comment")), _("感谢您的评价。"))


@blp.post(f"/service-requests/track/{TOKEN}/reopen")
@limiter.limit(SUBMISSION_LIMITS, methods=["POST"])
def reopen(token: str):
    """Reopen a resolution the SME does not accept (within 7 days)."""
    return _track_action(token, ReopenInSchema(), lambda session, found, fields: transitions.reopen(
        session, request=found, reason=fields["reason"]), _("已申请重办，机构会再次与您联系。"))


def _track_action(token: str, schema, act, done: str):
    session = get_session()
    found = _tracked(token)
    form = {key: value for key, value in request.form.items() if key != "csrf_token" and value.strip()}
    try:
        if service.feedback_of(session, found) is not None:
            raise transitions.TransitionRefused("rate", str(found.status), "already rated")
        act(session, found, schema.load(form))
    except ValidationError as error:
        return render_template("service_requests/track.html", request=describe_tracked(session, found), token=token,
                               errors=_page_errors(error.messages)), 422
    except transitions.TransitionRefused:
        flash(_("这项操作现在无法进行（请求状态：%(state)s）。", state=labels.request_status_label(found.status)),
              "error")
    else:
        flash(done, "success")
    return redirect(url_for(".track", token=token), code=303)
