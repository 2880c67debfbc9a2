"""The organiser's pages of an event (login required, in scope): registrations to accept or
decline, the meeting schedule (build, confirm, timetables, CSV, each financier's .ics), outcomes."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from directory.auth.login import admin_required, require_page_scope
from directory.database import get_session
from directory.events import registrations as registering
from directory.events import timetable
from directory.events.ics import meetings_ics
from directory.events.models import Registration, RegistrationStatus
from directory.events.outcomes import OutcomeInvalid, outcomes_of, record_outcome
from directory.events.rules import EventInvalid
from directory.events.schemas import OutcomeInSchema, ScheduleRequestSchema
from directory.events.service import describe_event, get_event
from directory.i18n import chosen_language

blp = Blueprint("event_admin", __name__, url_prefix="/admin/events")
EVENT_URL = "/<id:event_id>"


def _event_in_scope(event_id: int):
    event = get_event(get_session(), event_id) or abort(404)
    require_page_scope(event.region_code)
    return event


def _back(event_id: int, anchor: str = ""):
    return redirect(url_for(".manage", event_id=event_id) + anchor, code=303)


@blp.get(EVENT_URL)
@admin_required
def manage(event_id: int):
    """Registrations, schedule and outcomes of one event."""
    session = get_session()
    event = _event_in_scope(event_id)
    schedule = timetable.describe_schedule(session, event)
    registrations = registering.registrations_of(session, event.id)
    described = describe_event(session, event)
    return render_template(
        "events/manage.html", event=described, registrations=registrations,
        financier_names={f["id"]: f["name"] for f in described["financiers"]},
        by_id={r.id: r for r in registrations}, schedule=schedule,
        by_financier=timetable.by_party(schedule["meetings"], "financier_id"),
        by_registration=timetable.by_party(schedule["meetings"], "registration_id"),
        outcomes=outcomes_of(session, event.id), statuses=list(RegistrationStatus))


@blp.post(f"{EVENT_URL}/registrations/<id:registration_id>")
@admin_required
def decide(event_id: int, registration_id: int):
    """Accept or decline one registration."""
    session = get_session()
    event = _event_in_scope(event_id)
    registration = session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    status = request.form.get("status", "")
    if status not in RegistrationStatus.__members__:
        abort(400, description=_("未知的审核结果。"))
    registering.decide(session, registration=registration, status=RegistrationStatus(status))
    flash(_("已更新 %(name)s 的报名状态。", name=registration.enterprise_name), "success")
    return _back(event.id, "#registrations")


@blp.post(f"{EVENT_URL}/schedule")
@admin_required
def build_schedule(event_id: int):
    """Build (or rebuild) the schedule; confirmed meetings stay."""
    session = get_session()
    event = _event_in_scope(event_id)
    try:
        options = ScheduleRequestSchema().load({k: v for k, v in request.form.items()
                                                if k in ("slot_minutes", "max_meetings_per_sme") and v})
        timetable.build_schedule(session, event=event, slot_minutes=options.get("slot_minutes"),
                                 max_meetings_per_sme=options["max_meetings_per_sme"])
    except ValidationError:
        flash(_("时段长度须为 5–120 分钟，每家企业洽谈次数须为 1–20 次。"), "error")
    except (timetable.ScheduleRefused, EventInvalid) as refusal:
        flash(_("无法排期：%(reason)s", reason=str(refusal)), "error")
    else:
        flash(_("洽谈日程已生成。"), "success")
    return _back(event.id, "#schedule")


@blp.post(f"{EVENT_URL}/schedule/confirm")
@admin_required
def confirm_schedule(event_id: int):
    """Confirm every meeting of the schedule."""
    event = _event_in_scope(event_id)
    count = timetable.confirm_schedule(get_session(), event=event)
    flash(_("已确认 %(count)s 场洽谈。", count=count), "success")
    return _back(event.id, "#schedule")


@blp.get(f"{EVENT_URL}/schedule.csv")
@admin_required
def schedule_csv(event_id: int):
    """The timetable as a spreadsheet-safe CSV (UTF-8 with BOM so Excel reads the Chinese)."""
    event = _event_in_scope(event_id)
    text = timetable.schedule_csv(timetable.describe_schedule(get_session(), event), chosen_language())
    return Response("\ufeff" + text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="event-{event_id}-schedule.csv"'})


@blp.get(f"{EVENT_URL}/financiers/<id:financier_id>/meetings.ics")
@admin_required
def financier_calendar(event_id: int, financier_id: int):
    """One financier's meetings as an iCalendar file, to send to the bank."""
    session = get_session()
    event = _event_in_scope(event_id)
    described = describe_event(session, event)
    financier = next((f for f in described["financiers"] if f["id"] == financier_id), None) or abort(404)
    meetings = [m for m in timetable.describe_schedule(session, event)["meetings"] if m["financier_id"] == financier_id]
    data = meetings_ics(described, meetings, party=financier["name"], other_party="enterprise_name",
                        url=url_for("event_pages.detail", event_id=event_id, _external=True), host=request.host)
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="event-{event_id}-table-{financier["table_number"]}.ics"'})


@blp.post(f"{EVENT_URL}/outcomes")
@admin_required
def add_outcome(event_id: int):
    """Record what came of a meeting or registration."""
    event = _event_in_scope(event_id)
    try:
        fields = OutcomeInSchema().load({k: v for k, v in request.form.items()
                                         if k in ("registration_id", "financier_id", "result", "amount_yuan", "note")
                                         and v})
        record_outcome(get_session(), event_id=event.id, fields=fields)
    except (ValidationError, OutcomeInvalid):
        flash(_("成效未保存：请选择报名企业和结果；签约须填写金额（元）。"), "error")
    else:
        flash(_("成效已记录。"), "success")
    return _back(event.id, "#outcomes")
