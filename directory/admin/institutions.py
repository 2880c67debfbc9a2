"""Web administration of institutions: the list in the administrator's scope, the create and edit
forms (validated exactly like the API), suspend / close / reopen, verification and exports."""
import json
from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import Select
from sqlmodel import Session

from directory.admin.scope import institution_page
from directory.auth.login import admin_required, current_administrator_row
from directory.auth.models import Administrator
from directory.auth.access import in_scope
from directory.categories.service import categories_by_code, list_categories
from directory.database import get_session
from directory.designations.service import list_kinds
from directory.hsds import export as hsds_export
from directory.institutions import browse, exports
from directory.institutions.models import Institution, InstitutionLevel, InstitutionStatus
from directory.error_messages import errors_for_page
from directory.institutions.rules import InstitutionInvalid, placement_errors, service_errors
from directory.institutions.schemas import InstitutionInSchema, InstitutionPatchSchema
from directory.institutions.service import (create_institution, describe_institutions,
                                            institutions_query, update_institution)
from directory.institutions.verification import is_overdue, mark_verified, unverified_query
from directory.pagination import ResultPage, count_rows, page_rows
from directory.regions.cascading import REGION_SELECTS, chosen_region_path
from directory.regions.models import Region
from directory.regions.service import child_regions, region_path
from directory.tables import XLSX_MIMETYPE
from directory.timestamps import today, utcnow

blp = Blueprint("admin_institutions", __name__, url_prefix="/admin")
PAGE_SIZE = 50
FORM_TEXT_FIELDS = ("name", "operator", "description", "address", "phone", "email", "website")
FORM_FIELDS = ("name", "level", "region_code", "services", "operator", "description", "address", "phone", "email",
               "website")



# --- the list and its filters -----------------------------------------------------------------

@dataclass
class AdminFilters:
    """The directory's filters, kept inside the administrator's scope, plus ``unverified``."""

    directory: browse.DirectoryFilters
    scope_code: str | None
    unverified: bool = False

    @property
    def within(self) -> str | None:
        return self.directory.region_code or self.scope_code

    def query_args(self) -> dict[str, str]:
        args = self.directory.query_args()
        return args | {"unverified": "1"} if self.unverified else args

    def query(self) -> Select:
        """The institutions matching the filters (name contains ``q``), in scope, directory order."""
        d = self.directory
        stmt = institutions_query(level=d.level, within=self.within, service=d.service, status=d.status,
                                  designation=d.designation)
        if d.q:
            stmt = stmt.where(Institution.name.contains(d.q, autoescape=True))
        return unverified_query(stmt, now=utcnow()) if self.unverified else stmt


def read_admin_filters(session: Session, admin: Administrator) -> AdminFilters:
    """The filters of the query string; a region outside the scope is ignored."""
    categories = {c.code for c in list_categories(session)}
    directory = browse.read_filters(session, request.args, service_codes=categories)
    if directory.region_code and not in_scope(session, admin, directory.region_code):
        directory.ignored.append(("region_code", directory.region_code))
        directory.region_path = []
    return AdminFilters(directory=directory, scope_code=admin.region_code,
                        unverified=request.args.get("unverified") == "1")


def scoped_region_selects(session: Session, scope_code: str | None,
                          chosen: list[Region]) -> list[tuple[list[Region], str | None]]:
    """Options and choice of the cascading selects, from the administrator's division down."""
    scope = region_path(session, scope_code)
    path = chosen if len(chosen) >= len(scope) else scope
    selects = []
    for depth in range(REGION_SELECTS):
        if depth < len(scope):
            options = [scope[depth]]
        elif depth == 0:
            options = child_regions(session, None)
        elif depth - 1 < len(path):
            options = child_regions(session, path[depth - 1].code)
        else:
            options = []
        selects.append((options, path[depth].code if depth < len(path) else None))
    return selects


def _filtered(session: Session) -> tuple[AdminFilters, Select]:
    filters = read_admin_filters(session, current_administrator_row())
    return filters, filters.query()


@blp.get("/institutions")
@admin_required
def index():
    """The institutions in the administrator's scope, filtered, 50 a page."""
    session = get_session()
    filters, stmt = _filtered(session)
    page = ResultPage(items=[], total=count_rows(session, stmt), number=1, size=PAGE_SIZE)
    page.number = min(max(1, request.args.get("page", 1, type=int)), page.pages)
    page.items = page_rows(session, stmt, offset=(page.number - 1) * page.size, limit=page.size)
    now = utcnow()
    return render_template(
        "admin/institutions/list.html", filters=filters, page=page, kinds=list_kinds(session),
        categories=categories_by_code(session),
        rows=[row | {"overdue": is_overdue(item, now=now)}
              for row, item in zip(describe_institutions(session, page.items), page.items)],
        region_selects=scoped_region_selects(session, filters.scope_code, filters.directory.region_path))


# --- the forms ----------------------------------------------------------------------------------

def _form_input() -> dict:
    """The form as the schema's input: the deepest chosen region, the ticked services."""
    data = {name: request.form.get(name, "") for name in FORM_TEXT_FIELDS + ("level",)}
    path = chosen_region_path(get_session(), request.form.getlist("region_code"), [])
    data["region_code"] = path[-1].code if path else None
    data["services"] = request.form.getlist("services")
    return data


def _messages(errors) -> list[str]:
    """Marshmallow's messages of one field (nested for list items) as a flat list."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _messages(value)]
    if isinstance(errors, (list, tuple)):
        return [m for value in errors for m in _messages(value)]
    return [str(errors)]


def _validated(schema, data: dict, admin: Administrator, *,
               kept_region: str | None = None) -> tuple[dict, dict[str, list[str]]]:
    """The loaded fields and every problem at once, in the visitor's language: the schema's, the
    placement and service rules (run even when the schema fails), and a region outside the scope."""
    errors: dict[str, list[str]] = {}
    try:
        fields = schema.load(data)
    except ValidationError as error:
        fields = {}
        errors = {name: _messages(messages) for name, messages in error.messages.items()}
    for name, messages in _rule_errors(data, kept_region=kept_region).items():
        errors.setdefault(name, messages)   # a field the schema already refused keeps its message
    errors = errors_for_page(errors)
    if not in_scope(get_session(), admin, data.get("region_code")):
        errors.setdefault("region_code", []).append(_("所选地区不在您的管理范围内。"))
    return fields, errors


def _rule_errors(data: dict, *, kept_region: str | None) -> dict[str, list[str]]:
    """The domain rules the form's raw values break (create/update checks them again on save)."""
    session = get_session()
    errors = service_errors(session, data.get("services") or [])
    if data.get("level") in InstitutionLevel.__members__:
        errors |= placement_errors(session, level=InstitutionLevel(data["level"]),
                                   region_code=data.get("region_code"), kept_region=kept_region)
    return errors


def _values_of(institution: Institution) -> dict:
    return {name: getattr(institution, name) or "" for name in FORM_TEXT_FIELDS} | {
        "level": institution.level.value, "region_code": institution.region_code,
        "services": institution.services}


def edit_page(institution: Institution, *, status: int = 200, designation_errors: dict | None = None,
              designation_values: dict | None = None):
    """The institution's edit page as stored, with a refused designation form's problems and values."""
    return _render_form(_values_of(institution), {}, institution=institution, status=status,
                        designation_errors=designation_errors, designation_values=designation_values)


def _render_form(values: dict, errors: dict, *, institution: Institution | None = None, status: int = 200,
                 designation_errors: dict | None = None, designation_values: dict | None = None):
    session = get_session()
    admin = current_administrator_row()
    chosen = region_path(session, values.get("region_code"))
    described = describe_institutions(session, [institution])[0] if institution else None
    return render_template(
        "admin/institutions/form.html", values=values, errors=errors, institution=described,
        kinds=list_kinds(session) if institution else [], today=today(),
        categories=categories_by_code(session), levels=list(InstitutionLevel),
        statuses=list(InstitutionStatus), overdue=institution is not None and is_overdue(institution),
        region_selects=scoped_region_selects(session, admin.region_code, chosen),
        designation_errors=designation_errors or {}, designation_values=designation_values or {}), status


def _to_edit(institution: Institution):
    """Back to the institution's edit page (after a POST)."""
    return redirect(url_for(".edit", institution_id=institution.id), code=303)


def _invalid(values: dict, errors: dict, institution: Institution | None = None):
    flash(_("未保存：请检查标出的字段。"), "error")
    return _render_form(values, errors, institution=institution, status=422)


@blp.route("/institutions/new", methods=["GET", "POST"])
@admin_required
def new():
    """The form for a new institution, placed inside the administrator's scope."""
    admin = current_administrator_row()
    if request.method == "GET":
        return _render_form({"region_code": admin.region_code, "services": [],
                             "level": "" if admin.region_code else InstitutionLevel.national.value}, {})
    values = _form_input()
    fields, errors = _validated(InstitutionInSchema(), values, admin)
    if errors:
        return _invalid(values, errors)
    try:
        institution = create_institution(get_session(), fields=fields)
    except InstitutionInvalid as error:
        return _invalid(values, errors_for_page(error.errors))
    flash(_("已新增机构 %(name)s。", name=institution.name), "success")
    return _to_edit(institution)



@institution_page(blp, "/edit", methods=["GET", "POST"])
def edit(institution):
    """Every field of one institution; it must stay inside the administrator's scope."""
    if request.method == "GET":
        return _render_form(_values_of(institution), {}, institution=institution)
    values = _form_input()
    changes, errors = _validated(InstitutionPatchSchema(), values, current_administrator_row(),
                                 kept_region=institution.region_code)
    if errors:
        return _invalid(values, errors, institution)
    try:
        update_institution(get_session(), institution=institution, changes=changes)
    except InstitutionInvalid as error:
        return _invalid(values, errors_for_page(error.errors), institution)
    flash(_("已保存 %(name)s。", name=institution.name), "success")
    return _to_edit(institution)


@institution_page(blp, "/status", methods=["POST"])
def change_status(institution):
    """Suspend, close or reopen (``status`` = active | suspended | closed)."""
    status = request.form.get("status", "")
    if status not in InstitutionStatus.__members__:
        abort(400, description=_("未知的机构状态。"))
    try:
        update_institution(get_session(), institution=institution, changes={"status": InstitutionStatus(status)})
    except InstitutionInvalid as error:
        flash(_("状态未更改：%(reason)s", reason="; ".join(_messages(errors_for_page(error.errors)))), "error")
    else:
        flash(_("已更新 %(name)s 的状态。", name=institution.name), "success")
    return _to_edit(institution)


@institution_page(blp, "/verify", methods=["POST"])
def verify(institution):
    """Record that the administrator checked the institution's details just now."""
    mark_verified(get_session(), institution, current_administrator_row().username)
    flash(_("已确认 %(name)s 的信息属实。", name=institution.name), "success")
    return _to_edit(institution)


# --- exports ------------------------------------------------------------------------------------

def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _export_records(session: Session) -> list[dict]:
    _filters, stmt = _filtered(session)
    return exports.institution_records(session, list(session.scalars(stmt)))


@blp.get("/institutions/export.csv")
@admin_required
def export_csv():
    """The filtered list in scope as spreadsheet-safe CSV."""
    text = exports.institutions_csv(_export_records(get_session()))
    return Response(text, mimetype="text/csv", headers=_attachment("institutions.csv"))


@blp.get("/institutions/export.xlsx")
@admin_required
def export_xlsx():
    """The filtered list in scope as an XLSX workbook."""
    data = exports.institutions_xlsx(_export_records(get_session()), exported_at=utcnow(),
                                     exported_by=current_administrator_row().username)
    return Response(data, mimetype=XLSX_MIMETYPE, headers=_attachment("institutions.xlsx"))


@blp.get("/institutions/export.json")
@admin_required
def export_json():
    """The filtered list in scope as a JSON list of institutions."""
    body = json.dumps(_export_records(get_session()), ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json", headers=_attachment("institutions.json"))


@blp.get("/institutions/export.hsds.json")
@admin_required
def export_hsds():
    """The filtered list in scope as an Open Referral HSDS 3.0 JSON package."""
    return _hsds_download("json", "application/json", "institutions.hsds.json")


@blp.get("/institutions/export.hsds.zip")
@admin_required
def export_hsds_zip():
    """The filtered list in scope as the HSDS 3.0 tabular CSV files in a zip."""
    return _hsds_download("zip", "application/zip", "institutions.hsds.zip")


def _hsds_download(kind: str, mimetype: str, filename: str) -> Response:
    session = get_session()
    _filters, stmt = _filtered(session)
    data = hsds_export.dataset_bytes(session, hsds_export.export_institutions(session, stmt), kind=kind)
    return Response(data, mimetype=mimetype, headers=_attachment(filename))
