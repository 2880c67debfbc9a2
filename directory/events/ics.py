"""iCalendar (.ics) files: an event for anyone's calendar, and each party's own meetings."""
from datetime import datetime

from icalendar import Calendar, Event

from directory.timestamps import utcnow

PRODUCT_ID = "-//SME Service Network//Financing events//ZH"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    return calendar


def _entry(uid: str, summary: str, starts_at: datetime, ends_at: datetime, *, location: str | None = None,
           description: str | None = None, url: str | None = None, cancelled: bool = False) -> Event:
    entry = Event()
    entry.add("uid", uid)
    entry.add("dtstamp", utcnow())
    entry.add("dtstart", starts_at)
    entry.add("dtend", ends_at)
    entry.add("summary", summary)
    if location:
        entry.add("location", location)
    if description:
        entry.add("description", description)
    if url:
        entry.add("url", url)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return entry


def event_ics(event: dict, *, url: str, host: str) -> bytes:
    """One event as a calendar file (times in UTC, which every calendar converts)."""
    calendar = _calendar(event["title"])
    calendar.add_component(_entry(
        f"event-{event['id']}@{host}", event["title"], event["starts_at"], event["ends_at"],
        location=event.get("venue") or event.get("online_url"), url=url,
        description="\n\n".join(filter(None, [event.get("organizer_name"), event.get("description"), url])),
        cancelled=event["status"] == "cancelled"))
    return calendar.to_ical()


def meetings_ics(event: dict, meetings: list[dict], *, party: str, other_party: str, url: str,
                 host: str) -> bytes:
    """One party's meetings at an event; ``other_party`` names the field holding who they meet."""
    calendar = _calendar(f"{event['title']} · {party}")
    for meeting in meetings:
        summary = f"{meeting[other_party]} · 第{meeting['table_number']}桌 / Table {meeting['table_number']}"
        calendar.add_component(_entry(
            f"meeting-{meeting['id']}@{host}", summary, meeting["starts_at"], meeting["ends_at"],
            location=event.get("venue") or event.get("online_url"), url=url,
            description=f"{event['title']}\n" + "\n".join(meeting["reasons"])))
    return calendar.to_ical()
