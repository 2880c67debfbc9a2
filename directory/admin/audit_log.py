"""Web administration: the audit log of the whole registry, within the administrator's scope."""
from datetime import date

from flask import Blueprint, render_template, request, url_for

from directory.auth.login import admin_required, current_administrator_row
from directory.institutions.history import changes
from directory.admin.audit_query import PAGE_SIZE, LogFilters, log_choices, log_query
from directory.admin.audit_readable import ValueReader, action_label, entity_label, field_label
from directory.database import get_session
from directory.pagination import count_rows, page_rows

blp = Blueprint("admin_audit", __name__, url_prefix="/admin")


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip()) if request.args.get(name) else None
    except ValueError:
        return None


def _filters() -> tuple[LogFilters, list[str]]:
    """The filters read from the query string, and the names of those that could not be read."""
    text = {name: request.args.get(name, "").strip()[:64] or None for name in ("actor", "entity", "action")}
    filters = LogFilters(**text, since=_day("since"), until=_day("until"))
    ignored = [name for name in ("since", "until") if request.args.get(name) and getattr(filters, name) is None]
    return filters, ignored


@blp.get("/audit")
@admin_required
def audit_log():
    """Every change and refused attempt, newest first, filtered by who, what and when."""
    session = get_session()
    administrator = current_administrator_row()
    filters, ignored = _filters()
    stmt = log_query(administrator, filters)
    number = max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))
    total = count_rows(session, stmt)
    entries = page_rows(session, stmt, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    entities, actions = log_choices(session)
    return render_template(
        "admin/audit_log.html", filters=filters, ignored=ignored, total=total, number=number,
        pages=max(1, -(-total // PAGE_SIZE)), rows=[(e, changes(e.before, e.after)) for e in entries],
        entities=entities, actions=actions, readable=ValueReader(session), field_label=field_label,
        action_label=action_label, entity_label=entity_label, page_url=_page_url)


def _page_url(number: int) -> str:
    arguments = {key: value for key, value in request.args.items() if key != "page"}
    return url_for(".audit_log", page=number, **arguments)
