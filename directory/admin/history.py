"""Web administration: an institution's history (readable diffs), restoring a version, merging."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlmodel import Session

from directory.admin.scope import institution_page
from directory.auth.login import current_administrator_row, require_page_scope
from directory.auth.access import in_scope
from directory.admin.audit_readable import ValueReader, action_label, field_label
from directory.institutions.history import NotRestorable, institution_history, restore_version
from directory.database import get_session
from directory.institutions.merge import MergeRefused, merge_institutions
from directory.institutions.models import MAX_ID, Institution, InstitutionStatus
from directory.institutions.search import name_ranking
from directory.error_messages import errors_for_page
from directory.institutions.rules import InstitutionInvalid
from directory.institutions.service import describe_institution, get_institution

blp = Blueprint("admin_history", __name__, url_prefix="/admin")



MAX_CANDIDATES = 8


def merge_candidates(session: Session, text: str, *, duplicate: Institution, allowed) -> list[Institution]:
    """Institutions whose name fits ``text`` (fuzzy name search) that ``duplicate`` could be merged into:
    not itself, not closed or merged away, and placed where ``allowed(region_code)`` says yes."""
    if not text:
        return []
    ids = (name_ranking(session, text) or [])[:200]
    found = {i.id: i for i in session.scalars(select(Institution).where(Institution.id.in_(ids)))}
    usable = [found[iid] for iid in ids if iid in found and iid != duplicate.id
              and found[iid].merged_into_id is None and found[iid].status != InstitutionStatus.closed
              and allowed(found[iid].region_code)]
    return usable[:MAX_CANDIDATES]


def _back(institution_id: int):
    return redirect(url_for(".history", institution_id=institution_id), code=303)


def _history_page(institution: Institution, *, status: int = 200, **merge_form):
    """The history page; ``merge_form`` holds the merge form's query, candidates or errors."""
    session = get_session()
    return render_template("admin/history.html", institution=describe_institution(session, institution),
                           entries=institution_history(session, institution.id), readable=ValueReader(session),
                           field_label=field_label, action_label=action_label, **merge_form), status


@institution_page(blp, "/history")
def history(institution):
    """Every change to the institution (and to records merged into it), newest first."""
    return _history_page(institution)


@institution_page(blp, "/restore/<id:entry_id>", methods=["POST"])
def restore(institution, entry_id: int):
    """Bring back the version an earlier change produced; itself a new change in the history."""
    session = get_session()
    try:
        restored = restore_version(session, institution=institution, entry_id=entry_id)
    except NotRestorable:
        abort(404)
    except InstitutionInvalid as error:
        problems = errors_for_page(error.errors)
        flash(_("无法恢复该版本：%(errors)s", errors="; ".join(" ".join(v) for v in problems.values())), "error")
        return _back(institution.id)
    require_page_scope(restored.region_code)   # the old version must also lie in scope
    flash(_("已恢复到所选版本。"), "success")
    return _back(institution.id)


@institution_page(blp, "/merge", methods=["POST"])
def merge(duplicate):
    """Merge this record into another one (``into``): this one is closed and points there."""
    session = get_session()
    text = request.form.get("into", "").strip()[:200]
    if text.isdigit():
        keep = get_institution(session, int(text)) if 0 < int(text) <= MAX_ID else None
    else:
        candidates = merge_candidates(session, text, duplicate=duplicate,
                                      allowed=lambda code: in_scope(session, current_administrator_row(), code))
        exact = [c for c in candidates if c.name == text]
        keep = exact[0] if len(exact) == 1 else None
        if keep is None and candidates:   # let the administrator choose among the names found
            return _history_page(duplicate, merge_query=text, merge_candidates=candidates)
    if keep is None:   # said beside the field, what was typed kept
        return _history_page(duplicate, merge_query=text, merge_errors={"into": [
            _("没有找到要保留的机构：请输入它的名称（可从提示中选择）或编号。")]}, status=422)
    require_page_scope(keep.region_code)
    try:
        merge_institutions(session, duplicate=duplicate, keep=keep)
    except MergeRefused:
        flash(_("无法合并：两条记录相同，或其中一条已被合并。"), "error")
        return _back(duplicate.id)
    flash(_("已将“%(duplicate)s”合并到“%(keep)s”。", duplicate=duplicate.name, keep=keep.name), "success")
    return _back(keep.id)
