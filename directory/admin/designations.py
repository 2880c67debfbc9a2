"""Web administration of an institution's designations: grant one, revoke one (history kept).

A refused form comes back as the institution's page (422) with every problem beside its field, in
the visitor's language, and the values as they were typed."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from directory.admin.institutions import edit_page
from directory.admin.scope import institution_page
from directory.database import get_session
from directory.designations.service import DesignationInvalid
from directory.institutions.designations import get_designation, grant_designation, grant_problems, revoke_designation
from directory.i18n import chosen_language

blp = Blueprint("admin_designations", __name__, url_prefix="/admin")
DESIGNATIONS = "/designations"   # below the institution's URL
GRANT_FIELDS = ("kind", "granted_by", "batch", "granted_on")


def _form_date(name: str, errors: dict[str, list[str]]) -> date | None:
    """The date typed in field ``name``; a problem beside it when it is not YYYY-MM-DD."""
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.setdefault(name, []).append(_("日期格式应为 YYYY-MM-DD（例如 2024-05-01）。"))
        return None


def _back(institution_id: int):
    return redirect(url_for("admin_institutions.edit", institution_id=institution_id) + "#designations", code=303)


def _in_language(error: DesignationInvalid | None) -> dict[str, list[str]]:
    if error is None:
        return {}
    return error.errors if chosen_language() == "en" else error.errors_zh


def _refused(institution, errors: dict, values: dict):
    flash(_("认定未更改：请检查标出的字段。"), "error")
    return edit_page(institution, status=422, designation_errors=errors, designation_values=values)



@institution_page(blp, DESIGNATIONS, methods=["POST"])
def grant(institution):
    """Record a new designation of the institution."""
    session = get_session()
    values = {name: request.form.get(name, "").strip()[:200] for name in GRANT_FIELDS}
    errors: dict[str, list[str]] = {}
    fields = {"kind": request.form.get("kind", ""), "granted_by": request.form.get("granted_by"),
              "batch": request.form.get("batch"), "granted_on": _form_date("granted_on", errors)}
    if errors:   # the date could not be read: report the other fields' problems with it
        for name, messages in _in_language(grant_problems(session, institution=institution, **fields)).items():
            errors.setdefault(name, []).extend(messages)
        return _refused(institution, errors, values)
    try:
        grant_designation(session, institution=institution, **fields)
    except DesignationInvalid as error:
        return _refused(institution, _in_language(error), values)
    flash(_("已新增认定。"), "success")
    return _back(institution.id)


@institution_page(blp, f"{DESIGNATIONS}/<id:designation_id>/revoke", methods=["POST"])
def revoke(institution, designation_id: int):
    """End a designation on the chosen day; it stays in the record."""
    designation = get_designation(get_session(), institution=institution, designation_id=designation_id) or abort(404)
    values = {"revoked_on": request.form.get("revoked_on", "").strip()[:200], "designation_id": designation.id}
    errors: dict[str, list[str]] = {}
    revoked_on = _form_date("revoked_on", errors)
    if errors:
        return _refused(institution, errors, values)
    try:
        revoke_designation(get_session(), designation=designation, revoked_on=revoked_on)
    except DesignationInvalid as error:
        return _refused(institution, _in_language(error), values)
    flash(_("已撤销认定。"), "success")
    return _back(institution.id)
