"""Web administration of an institution's designations: grant one, revoke one (history kept)."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from directory.admin.scope import institution_in_scope
from directory.auth.login import admin_required
from directory.database import get_session
from directory.designations.service import DesignationInvalid
from directory.institutions.designations import get_designation, grant_designation, revoke_designation
from directory.i18n import chosen_language

blp = Blueprint("admin_designations", __name__, url_prefix="/admin")
DESIGNATIONS_URL = "/institutions/<id:institution_id>/designations"


class _BadDate(ValueError):
    """A date field of the form that is not YYYY-MM-DD."""


def _date(name: str) -> date | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise _BadDate(name) from error


def _back(institution_id: int):
    return redirect(url_for("admin_institutions.edit", institution_id=institution_id) + "#designations", code=303)


def _refused(error: DesignationInvalid) -> None:
    errors = error.errors if chosen_language() == "en" else error.errors_zh
    flash(_("认定未更改：%(reason)s", reason=" ".join(m for messages in errors.values() for m in messages)), "error")



@blp.post(DESIGNATIONS_URL)
@admin_required
def grant(institution_id: int):
    """Record a new designation of the institution."""
    institution = institution_in_scope(institution_id)
    try:
        grant_designation(get_session(), institution=institution, kind=request.form.get("kind", ""),
                          granted_by=request.form.get("granted_by"), batch=request.form.get("batch"),
                          granted_on=_date("granted_on"))
    except _BadDate:
        flash(_("认定未更改：日期格式应为 YYYY-MM-DD。"), "error")
    except DesignationInvalid as error:
        _refused(error)
    else:
        flash(_("已新增认定。"), "success")
    return _back(institution.id)


@blp.post(f"{DESIGNATIONS_URL}/<id:designation_id>/revoke")
@admin_required
def revoke(institution_id: int, designation_id: int):
    """End a designation on the chosen day; it stays in the record."""
    institution = institution_in_scope(institution_id)
    designation = get_designation(get_session(), institution=institution, designation_id=designation_id) or abort(404)
    try:
        revoke_designation(get_session(), designation=designation, revoked_on=_date("revoked_on"))
    except _BadDate:
        flash(_("认定未更改：日期格式应为 YYYY-MM-DD。"), "error")
    except DesignationInvalid as error:
        _refused(error)
    else:
        flash(_("已撤销认定。"), "success")
    return _back(institution.id)
