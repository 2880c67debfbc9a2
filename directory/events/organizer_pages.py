"""The organiser's pages of an event (login required, in scope): registrations to accept or
decline, the meeting schedule (build, confirm, timetables, CSV, each financier's .ics), outcomes.

A refused schedule or outcome form comes back as the page itself (422) with every field's problem
beside the field, in the visitor's language, and the values as they were typed."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from directory.auth.login import record_page, require_page_scope
from directory.database import get_session
from directory.error_messages import errors_for_page
from directory.events import registrations as registering
from directory.events import timetable
from directory.events.ics import meetings_ics
from directory.events.models import Registration, RegistrationStatus
from directory.events.outcomes import OutcomeInvalid, outcome_errors, outcomes_of, record_outcome
from directory.events.rules import EventInvalid
from directory.events.schemas import OutcomeInSchema, ScheduleRequestSchema
from directory.events.service import describe_event, get_event
from directory.i18n import chosen_language

blp = Blueprint("event_admin", __name__, url_prefix="/admin/events")
EVENT_URL = "/<id:event_id>"
SCHEDULE_FIELDS = ("slot_minutes", "max_meetings_per_sme")
OUTCOME_FIELDS = ("registration_id", "financier_id", "result", "amount_yuan", "note")


def _event_in_scope(event_id: int):
    event = get_event(get_session(), event_id) or abort(404)
    require_page_scope(event.region_code)
    return event


def _event_page(rule: str = "", *, methods=("GET",)):
    """A page of one event (``EVENT_URL`` + ``rule``): login required, 404 without the event, 403 outside
    the administrator's scope; the view gets the event."""
    return record_page(blp, EVENT_URL + rule, load=_event_in_scope, key="event_id", methods=methods)


def _back(event_id: int, anchor: str = ""):
    return redirect(url_for(".manage", event_id=event_id) + anchor, code=303)


def _form_values(names: tuple[str, ...]) -> dict[str, str]:
    """The submitted fields, trimmed, as the form shows them again."""
    return {name: request.form.get(name, "").strip()[:2000] for name in names}


def _manage_page(event, *, errors: dict | None = None, values: dict | None = None, status: int = 200):
    session = get_session()
    schedule = timetable.describe_schedule(session, event)
    registrations = registering.registrations_of(session, event.id)
    described = describe_event(session, event)
    return render_template(
        "events/manage.html", event=described, registrations=registrations,
        financier_names={f["id"]: f["name"] for f in described["financiers"]},
        by_id={r.id: r for r in registrations}, schedule=schedule,
        by_financier=timetable.by_party(schedule["meetings"], "financier_id"),
        by_registration=timetable.by_party(schedule["meetings"], "registration_id"),
        outcomes=outcomes_of(session, event.id), statuses=list(RegistrationStatus),
        errors=errors or {}, values=values or {}), status


def _refused_form(event, errors: dict, values: dict):
    """The page again, 422, with the form's problems beside its fields."""
    flash(_("未保存：请检查标出的字段。"), "error")
    return _manage_page(event, errors=errors_for_page(errors), values=values, status=422)


def _rule_errors(session, event_id: int, submitted: dict, refused: dict) -> dict:
    """The outcome rules on the fields the schema could read, so that every problem shows at once."""
    try:
        readable = OutcomeInSchema(partial=True).load({k: v for k, v in submitted.items() if k not in refused})
    except ValidationError:
        return {}
    return outcome_errors(session, event_id=event_id, fields=readable)


@_event_page()
def manage(event):
    """Registrations, schedule and outcomes of one event."""
    return _manage_page(event)


@_event_page("/registrations/<id:registration_id>", methods=["POST"])
def decide(event, registration_id: int):
    """Accept or decline one registration."""
    session = get_session()
    registration = session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    status = request.form.get("status", "")
    if status not in RegistrationStatus.__members__:
        abort(400, description=_("未知的审核结果。"))
    registering.decide(session, registration=registration, status=RegistrationStatus(status))
    flash(_("已更新 %(name)s 的报名状态。", name=registration.enterprise_name), "success")
    return _back(event.id, "#registrations")


@_event_page("/schedule", methods=["POST"])
def build_schedule(event):
    """Build (or rebuild) the schedule; confirmed meetings stay."""
    session = get_session()
    values = _form_values(SCHEDULE_FIELDS)
    try:
        options = ScheduleRequestSchema().load({k: v for k, v in values.items() if v})
        timetable.build_schedule(session, event=event, slot_minutes=options.get("slot_minutes"),
                                 max_meetings_per_sme=options["max_meetings_per_sme"])
    except ValidationError as error:
        return _refused_form(event, error.messages, values)
    except EventInvalid as error:
        return _refused_form(event, error.errors, values)
    except timetable.ScheduleRefused as refusal:
        return _refused_form(event, {"schedule": [str(refusal)]}, values)
    flash(_("洽谈日程已生成。"), "success")
    return _back(event.id, "#schedule")


@_event_page("/schedule/confirm", methods=["POST"])
def confirm_schedule(event):
    """Confirm every meeting of the schedule."""
    count = timetable.confirm_schedule(get_session(), event=event)
    flash(_("已确认 %(count)s 场洽谈。", count=count), "success")
    return _back(event.id, "#schedule")


@_event_page("/schedule.csv")
def schedule_csv(event):
    """The timetable as a spreadsheet-safe CSV (UTF-8 with BOM so Excel reads the Chinese)."""
    text = timetable.schedule_csv(timetable.describe_schedule(get_session(), event), chosen_language())
    return Response("\ufeff" + text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="event-{event.id}-schedule.csv"'})


@_event_page("/financiers/<id:financier_id>/meetings.ics")
def financier_calendar(event, financier_id: int):
    """One financier's meetings as an iCalendar file, to send to the bank."""
    session = get_session()
    described = describe_event(session, event)
    financier = next((f for f in described["financiers"] if f["id"] == financier_id), None) or abort(404)
    meetings = [m for m in timetable.describe_schedule(session, event)["meetings"] if m["financier_id"] == financier_id]
    data = meetings_ics(described, meetings, party=financier["name"], other_party="enterprise_name",
                        url=url_for("event_pages.detail", event_id=event.id, _external=True), host=request.host)
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="event-{event.id}-table-{financier["table_number"]}.ics"'})


@_event_page("/outcomes", methods=["POST"])
def add_outcome(event):
    """Record what came of a meeting or registration."""
    session = get_session()
    values = _form_values(OUTCOME_FIELDS)
    submitted = {k: v for k, v in values.items() if v}
    try:
        record_outcome(session, event_id=event.id, fields=OutcomeInSchema().load(submitted))
    except ValidationError as error:
        # The rules too, on the fields that could be read, so that every problem shows at once.
        return _refused_form(event, _rule_errors(session, event.id, submitted, error.messages) | error.messages, values)
    except OutcomeInvalid as error:
        return _refused_form(event, error.errors, values)
    flash(_("成效已记录。"), "success")
    return _back(event.id, "#outcomes")
