"""An event's one-to-one meeting schedule: slots from its sessions, pairs from ``matching.schedule``.

Only accepted registrations get meetings. Confirmed meetings are kept, slot and all, when the
schedule is built again (after late registrations); unconfirmed ones are replaced.
"""
import csv
import io
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlmodel import Session

from directory.csv_text import safe_cell
from directory.events.models import FinancingEvent, Meeting, Registration, RegistrationStatus
from directory.events.registrations import registrations_of
from directory.events.rules import EventInvalid, slot_problems
from directory.events.service import event_financiers, sessions_of
from directory.timestamps import in_shanghai
from matching.meeting_fit import Offer, Seeker, render_fit_reasons
from matching.schedule import Meeting as Planned
from matching.schedule import schedule_meetings


class ScheduleRefused(Exception):
    """The schedule cannot be built as asked (HTTP 409)."""


def slot_times(event: FinancingEvent, slot_minutes: int) -> list[tuple[datetime, datetime]]:
    """Start and end of every meeting slot, session after session."""
    length = timedelta(minutes=slot_minutes)
    slots = []
    for session_ in sessions_of(event):
        start = session_["starts_at"]
        while start + length <= session_["ends_at"]:
            slots.append((start, start + length))
            start += length
    return slots


def _seeker(registration: Registration) -> Seeker:
    return Seeker(id=registration.id, financing_types=(registration.financing_type,) if registration.financing_type else (),
                  amount_yuan=registration.amount_yuan, industry=registration.industry, need=registration.need)


def _offer(financier: dict, slots: int) -> Offer:
    return Offer(id=financier["id"], financing_types=tuple(financier["financing_types"]),
                 amount_min_yuan=financier["amount_min_yuan"], amount_max_yuan=financier["amount_max_yuan"],
                 industries=tuple(financier["industries"]), capacity=financier["capacity"] or slots)


def build_schedule(session: Session, *, event: FinancingEvent, slot_minutes: int | None = None,
                   max_meetings_per_sme: int = 3) -> None:
    """(Re)build the schedule, keeping confirmed meetings; the fairest, best-fitting pairs win.

    A slot longer than a session is refused (``EventInvalid``) before anything changes: the
    event would otherwise break its own rules and refuse every later edit.
    """
    slot_minutes = slot_minutes or event.slot_minutes
    problems = slot_problems(sessions_of(event), slot_minutes) if event.sessions else []
    if problems:
        raise EventInvalid({"slot_minutes": problems})
    confirmed = list(session.scalars(select(Meeting).where(Meeting.event_id == event.id, Meeting.confirmed)))
    if confirmed and slot_minutes != event.slot_minutes:
        raise ScheduleRefused(f"Confirmed meetings use {event.slot_minutes}-minute slots; keep that length "
                              "or cancel the confirmation first.")
    slots = slot_times(event, slot_minutes)
    if not slots:
        raise ScheduleRefused("No meeting slot fits into the event's sessions.")
    financiers = event_financiers(session, event.id)
    if not financiers:
        raise ScheduleRefused("No financier takes part in this event yet.")
    event.slot_minutes = slot_minutes
    session.execute(delete(Meeting).where(Meeting.event_id == event.id, Meeting.confirmed.is_(False)))
    session.flush()
    registrations = registrations_of(session, event.id, RegistrationStatus.accepted)
    fixed = [Planned(seeker_id=m.registration_id, offer_id=m.financier_id, slot=m.slot, score=m.score)
             for m in confirmed if m.slot < len(slots)]
    plan = schedule_meetings([_seeker(r) for r in registrations], [_offer(f, len(slots)) for f in financiers],
                             slots=len(slots), max_meetings_per_seeker=max_meetings_per_sme, fixed=fixed)
    kept = {(m.seeker_id, m.offer_id) for m in fixed}
    for planned in plan.meetings:
        if (planned.seeker_id, planned.offer_id) in kept:
            continue
        fit = plan.fits[(planned.seeker_id, planned.offer_id)]
        start, end = slots[planned.slot]
        session.add(Meeting(event_id=event.id, registration_id=planned.seeker_id, financier_id=planned.offer_id,
                            slot=planned.slot, starts_at=start, ends_at=end, score=planned.score,
                            reasons=[[key, params] for key, params in fit.reasons]))
    session.flush()


def confirm_schedule(session: Session, *, event: FinancingEvent) -> int:
    """Confirm every meeting of the schedule; returns how many were newly confirmed."""
    result = session.execute(update(Meeting).where(Meeting.event_id == event.id, Meeting.confirmed.is_(False))
                             .values(confirmed=True))
    return result.rowcount


def describe_schedule(session: Session, event: FinancingEvent, *, registration_id: int | None = None) -> dict:
    """The meetings with both parties' names, table numbers and fit reasons in both languages;
    accepted registrations without a meeting; the total fit. Optionally one SME's meetings only."""
    financiers = {f["id"]: f for f in event_financiers(session, event.id)}
    stmt = select(Meeting, Registration.enterprise_name).join(
        Registration, Registration.id == Meeting.registration_id).where(Meeting.event_id == event.id)
    if registration_id is not None:
        stmt = stmt.where(Meeting.registration_id == registration_id)
    rows = session.execute(stmt.order_by(Meeting.starts_at, Meeting.financier_id)).all()
    meetings = []
    for meeting, enterprise_name in rows:
        financier = financiers.get(meeting.financier_id, {"name": "", "table_number": 0})
        reasons = [(key, params) for key, params in meeting.reasons]
        meetings.append(meeting.model_dump() | {
            "enterprise_name": enterprise_name, "financier_name": financier["name"],
            "table_number": financier["table_number"],
            "reasons": render_fit_reasons(reasons, "zh"), "reasons_en": render_fit_reasons(reasons, "en")})
    met = {m["registration_id"] for m in meetings}
    unmatched = [] if registration_id is not None else [
        r.id for r in registrations_of(session, event.id, RegistrationStatus.accepted) if r.id not in met]
    return {"meetings": meetings, "unmatched_registrations": unmatched,
            "total_fit": round(sum(m["score"] for m in meetings), 4)}


def by_party(meetings: list[dict], key: str) -> dict[int, list[dict]]:
    """Meetings grouped by ``financier_id`` or ``registration_id``, each group in time order."""
    groups: dict[int, list[dict]] = {}
    for meeting in sorted(meetings, key=lambda m: m["starts_at"]):
        groups.setdefault(meeting[key], []).append(meeting)
    return groups


CSV_HEADER = {"zh": ["桌号", "金融机构", "开始", "结束", "企业", "匹配度", "匹配理由", "已确认"],
              "en": ["Table", "Financier", "Starts", "Ends", "Enterprise", "Fit", "Reasons", "Confirmed"]}


def schedule_csv(schedule: dict, language: str = "zh") -> str:
    """The timetable as CSV, a row per meeting by table and time; cells safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER[language])
    reasons_key = "reasons" if language == "zh" else "reasons_en"
    for m in sorted(schedule["meetings"], key=lambda m: (m["table_number"], m["starts_at"])):
        writer.writerow([safe_cell(v) for v in (
            m["table_number"], m["financier_name"], in_shanghai(m["starts_at"]).strftime("%Y-%m-%d %H:%M"),
            in_shanghai(m["ends_at"]).strftime("%H:%M"), m["enterprise_name"], f"{m['score']:.2f}",
            "; ".join(m[reasons_key]), "Y" if m["confirmed"] else "")])
    return out.getvalue()
