"""Web administration: an institution's history (readable diffs), restoring a version, merging."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from directory.admin.login import admin_required, require_page_scope
from directory.audit.readable import ValueReader, action_label, field_label
from directory.audit.history import NotRestorable, institution_history, restore_version
from directory.database import get_session
from directory.institutions.merge import MergeRefused, merge_institutions
from directory.institutions.models import MAX_ID
from directory.institutions.rules import InstitutionInvalid
from directory.institutions.service import describe_institution, get_institution

blp = Blueprint("admin_history", __name__, url_prefix="/admin")
INSTITUTION_URL = "/institutions/<id:institution_id>"


def _institution_in_scope(institution_id: int):
    institution = get_institution(get_session(), institution_id) or abort(404)
    require_page_scope(institution.region_code)
    return institution


def _back(institution_id: int):
    return redirect(url_for(".history", institution_id=institution_id), code=303)


@blp.get(f"{INSTITUTION_URL}/history")
@admin_required
def history(institution_id: int):
    """Every change to the institution (and to records merged into it), newest first."""
    session = get_session()
    institution = _institution_in_scope(institution_id)
    return render_template("admin/history.html", institution=describe_institution(session, institution),
                           entries=institution_history(session, institution.id), readable=ValueReader(session),
                           field_label=field_label, action_label=action_label)


@blp.post(f"{INSTITUTION_URL}/restore/<id:entry_id>")
@admin_required
def restore(institution_id: int, entry_id: int):
    """Bring back the version an earlier change produced; itself a new change in the history."""
    session = get_session()
    institution = _institution_in_scope(institution_id)
    try:
        restored = restore_version(session, institution=institution, entry_id=entry_id)
    except NotRestorable:
        abort(404)
    except InstitutionInvalid as error:
        flash(_("无法恢复该版本：%(errors)s", errors="; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())),
              "error")
        return _back(institution.id)
    require_page_scope(restored.region_code)   # the old version must also lie in scope
    flash(_("已恢复到所选版本。"), "success")
    return _back(institution.id)


@blp.post(f"{INSTITUTION_URL}/merge")
@admin_required
def merge(institution_id: int):
    """Merge this record into another one (``into``): this one is closed and points there."""
    session = get_session()
    duplicate = _institution_in_scope(institution_id)
    into = request.form.get("into", type=int)
    keep = get_institution(session, into) if into and 0 < into <= MAX_ID else None
    if keep is None:
        flash(_("请填写要保留的机构编号。"), "error")
        return _back(duplicate.id)
    require_page_scope(keep.region_code)
    try:
        merge_institutions(session, duplicate=duplicate, keep=keep)
    except MergeRefused:
        flash(_("无法合并：两条记录相同，或其中一条已被合并。"), "error")
        return _back(duplicate.id)
    flash(_("已将“%(duplicate)s”合并到“%(keep)s”。", duplicate=duplicate.name, keep=keep.name), "success")
    return _back(keep.id)
