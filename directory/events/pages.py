"""Public pages of financing events: the calendar, one event with its registration form, an SME's
confirmation page with its meetings, and calendar files."""
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from directory.auth.throttle import limit_recovery_attempts
from directory.database import get_session, read_only
from directory.error_messages import errors_for_page
from directory.errors import flatten_validation_messages
from directory.events import browse
from directory.events import registrations as registering
from directory.events.ics import event_ics, meetings_ics
from directory.events.rules import EventInvalid
from directory.events.schemas import RegistrationInSchema
from directory.events.service import describe_event, get_event
from directory.events.timetable import describe_schedule
from directory.categories.service import categories_by_code
from matching.financing import CHAINS, ENTERPRISE_SIZES, FINANCING_TYPES

blp = Blueprint("event_pages", __name__)
EVENT_URL = "/events/<id:event_id>"
REGISTRATION_FIELDS = ("enterprise_name", "credit_code", "region_code", "industry", "size", "contact_name",
                       "contact_phone", "contact_email", "financing_type", "amount_yuan", "need")


@blp.get("/events")
def calendar():
    """Upcoming (or past) events by month, filtered by region, status, category, chain, type and dates."""
    session = get_session()
    filters = browse.read_filters(session, request.args)
    page = browse.events_page(session, filters, request.args.get("page", 1, type=int))
    return render_template("events/calendar.html", filters=filters, page=page,
                           months=browse.by_month(page.items), categories=categories_by_code(session),
                           region_selects=browse.region_selects(session, filters.region_path),
                           chains=CHAINS, financing_types=FINANCING_TYPES)


def _found(event_id: int):
    event = get_event(get_session(), event_id)
    if event is None:
        abort(404, description=_("没有编号为 %(id)s 的活动。", id=event_id))
    return event


def _render_event(event, *, form: dict | None = None, errors: dict | None = None, status: int = 200,
                  recovery: dict | None = None):
    session = get_session()
    return render_template("events/detail.html", event=describe_event(session, event),
                           categories=categories_by_code(session), form=form or {}, errors=errors or {},
                           recovery=recovery,
                           region_groups=browse.registration_regions(session, event),
                           region_selects=browse.region_selects(session, []),
                           chains=CHAINS, financing_types=FINANCING_TYPES, sizes=ENTERPRISE_SIZES,
                           refusal_message=browse.refusal_message), status


@blp.get(EVENT_URL)
def detail(event_id: int):
    """Everything about one event: when, where, focus, financiers, results, registration form."""
    return _render_event(_found(event_id))


@blp.post(f"{EVENT_URL}/register")
def register(event_id: int):
    """The registration form: errors shown beside the fields, success leads to the confirmation."""
    session = get_session()
    event = get_event(session, event_id, for_update=True) or abort(404)
    form = {name: request.form.get(name, "").strip() for name in REGISTRATION_FIELDS}
    submitted = {name: value for name, value in form.items() if value} | {
        "region_code": browse.deepest_region(request.form.getlist("region_code"))}
    try:
        fields = RegistrationInSchema().load({k: v for k, v in submitted.items() if v})
        registration = registering.register(session, event=event, fields=fields)
    except ValidationError as error:
        errors = errors_for_page(flatten_validation_messages({"form": error.messages}))
        return _render_event(event, form=form, errors=errors, status=422)
    except EventInvalid as error:
        return _render_event(event, form=form, errors=errors_for_page(error.errors), status=422)
    except registering.RegistrationRefused as refusal:
        # Already registered: offer the way back to the confirmation page, filled in.
        recovery = ({"credit_code": form["credit_code"], "contact_phone": form["contact_phone"]}
                    if refusal.reason == "duplicate" else None)
        return _render_event(event, form=form, errors={"event": [browse.refusal_message(refusal.reason)]},
                             status=409, recovery=recovery)
    return redirect(url_for(".registration", event_id=event.id, access_key=registration.access_key), code=303)


@blp.post(f"{EVENT_URL}/registrations/recover")
@read_only
@limit_recovery_attempts
def recover(event_id: int):
    """The way back to one's confirmation page: the credit code and the phone given when registering."""
    event = _found(event_id)
    recovery = {name: request.form.get(name, "").strip()[:50] for name in ("credit_code", "contact_phone")}
    missing = {name: [message] for name, message in (("credit_code", _("请填写统一社会信用代码。")),
                                                     ("contact_phone", _("请填写报名时的联系电话。")))
               if not recovery[name]}
    if missing:   # each empty field said beside it, what was typed kept
        return _render_event(event, status=422, recovery=recovery | {"errors": missing})
    entry = registering.registration_by_contact(get_session(), event_id, **recovery)
    if entry is None:   # one answer for "no such registration" and "wrong phone": nothing is revealed
        return _render_event(event, status=404, recovery=recovery | {
            "error": _("没有找到与该统一社会信用代码和联系电话相符的报名，请核对后重试。")})
    return redirect(url_for(".registration", event_id=event.id, access_key=entry.access_key), code=303)


def _registration(event_id: int, access_key: str):
    registration = registering.registration_by_key(get_session(), event_id, access_key)
    if registration is None:
        abort(404, description=_("找不到该报名记录。"))
    return registration


@blp.get(f"{EVENT_URL}/registrations/<access_key>")
def registration(event_id: int, access_key: str):
    """An SME's own page: what it registered, its status and, once scheduled, its meetings."""
    session = get_session()
    event = _found(event_id)
    entry = _registration(event_id, access_key)
    schedule = describe_schedule(session, event, registration_id=entry.id)
    return render_template("events/registration.html", event=describe_event(session, event),
                           registration=entry, meetings=schedule["meetings"])


def _ics(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@blp.get(f"{EVENT_URL}/calendar.ics")
def event_calendar(event_id: int):
    """The event as an iCalendar file."""
    event = describe_event(get_session(), _found(event_id))
    url = url_for(".detail", event_id=event_id, _external=True)
    return _ics(event_ics(event, url=url, host=request.host), f"event-{event_id}.ics")


@blp.get(f"{EVENT_URL}/registrations/<access_key>/meetings.ics")
def registration_calendar(event_id: int, access_key: str):
    """An SME's own meetings as an iCalendar file."""
    session = get_session()
    event = _found(event_id)
    entry = _registration(event_id, access_key)
    meetings = describe_schedule(session, event, registration_id=entry.id)["meetings"]
    url = url_for(".registration", event_id=event_id, access_key=access_key, _external=True)
    return _ics(meetings_ics(describe_event(session, event), meetings, party=entry.enterprise_name,
                             other_party="financier_name", url=url, host=request.host),
                f"event-{event_id}-meetings.ics")
