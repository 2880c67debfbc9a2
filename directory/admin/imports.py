"""Web administration: import institutions from CSV, XLSX, XLS or ODS in two steps.

``POST /admin/import`` checks the file (a dry run) with the column mapping the administrator
last chose, and keeps its bytes under an unguessable token in ``<instance>/imports`` (or
``IMPORT_UPLOAD_DIR``). The page shows how each column was read, with a choice per column
(``POST /admin/import/<token>/columns`` checks again with the chosen mapping and remembers it),
and lets the administrator settle each possible duplicate. The designation kind a batch column
(批次, 认定年份) grants is chosen on the upload form and kept with the file, like the mapping.
``POST /admin/import/<token>/apply`` imports the kept file with that mapping, kind and those
decisions, all or nothing, and deletes it.
Kept files older than a day are purged.
"""
import json
import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from directory.auth.login import admin_required, current_administrator_row
from directory.categories.service import list_categories
from directory.database import get_session, read_only
from directory.designations.service import list_kinds
from directory.institutions.upload import import_upload
from directory.i18n import chosen_language
from directory.institutions.import_columns import IGNORE, column_fields, parse_mapping
from directory.institutions.import_mapping import remember_mapping, remembered_mapping
from directory.institutions.importer import ImportReport, parse_decisions
from directory.institutions.models import NATIONAL_DEMO_PLATFORM
from directory.labels import category_name, designation_kind_name

blp = Blueprint("admin_imports", __name__, url_prefix="/admin")
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")
KEEP_SECONDS = 24 * 3600
DECISION_FIELD = "decision-"   # form field ``decision-<row>`` = skip | update | create
COLUMN_FIELD = "column-"       # form field ``column-<n>`` = a field or ignore, ``title-<n>`` its title



def _upload_folder() -> Path:
    return Path(current_app.config.get("IMPORT_UPLOAD_DIR") or Path(current_app.instance_path) / "imports")


def _purge_old_uploads(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _keep_upload(data: bytes, filename: str, administrator_id: int, mapping: dict[str, str], kind: str) -> str:
    """Store the uploaded bytes for the apply step; returns the token naming them."""
    folder = _upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _purge_old_uploads(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(data)
    _write_meta(token, administrator_id, filename, mapping, kind)
    return token


def _write_meta(token: str, administrator_id: int, filename: str, mapping: dict[str, str], kind: str) -> None:
    _upload_paths(token)[1].write_text(json.dumps(
        {"administrator_id": administrator_id, "filename": filename, "mapping": mapping, "designation_kind": kind}),
        encoding="utf-8")


def _kept_upload(token: str, administrator_id: int) -> tuple[bytes, str, dict[str, str], str]:
    """The bytes, file name, column mapping and designation kind kept under ``token`` for this
    administrator; 404 when gone."""
    gone = _("这次上传已过期或不存在，请重新上传文件。")
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404, description=gone)
    data_path, meta_path = _upload_paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if time.time() - data_path.stat().st_mtime > KEEP_SECONDS:
            raise FileNotFoundError(token)
        data = data_path.read_bytes()
        mapping = parse_mapping(meta.get("mapping") or {})
    except (OSError, ValueError):
        abort(404, description=gone)
    if meta.get("administrator_id") != administrator_id:
        abort(404, description=gone)
    return data, meta.get("filename", ""), mapping, meta.get("designation_kind") or NATIONAL_DEMO_PLATFORM


def _kind_choices() -> list[tuple[str, str]]:
    """(code, name in the page's language) of every designation kind."""
    return [(kind.code, designation_kind_name(kind)) for kind in list_kinds(get_session())]


def _kind_from_form(default: str = NATIONAL_DEMO_PLATFORM) -> str:
    """The designation kind a batch column grants (``default`` when the form has none); 400 if unknown."""
    kind = request.form.get("designation_kind") or default
    if kind not in dict(_kind_choices()):
        abort(400, description=_("认定类型无效，请重新选择。"))
    return kind


def _upload_paths(token: str) -> tuple[Path, Path]:
    folder = _upload_folder()
    return folder / f"{token}.upload", folder / f"{token}.upload.json"


def _mapping_from_form() -> dict[str, str]:
    """``{title: field}`` from the column choices; 400 for a choice that is not a field."""
    raw = {}
    for key, value in request.form.items():
        if key.startswith(COLUMN_FIELD) and request.form.get(f"title-{key[len(COLUMN_FIELD):]}", "").strip():
            raw[request.form[f"title-{key[len(COLUMN_FIELD):]}"]] = value
    try:
        return parse_mapping(raw)
    except ValueError:
        abort(400, description=_("列的识别方式无效，请重新选择。"))


def _field_choices() -> list[tuple[str, str]]:
    """(field, label) for the column choices, in the page's language, then "ignore"."""
    label = "label_en" if chosen_language() == "en" else "label_zh"
    return [(name, spec[label]) for name, spec in column_fields().items()] + [(IGNORE, _("忽略此列"))]


def _report_page(report: ImportReport, token: str | None, filename: str, kind: str, status: int = 200):
    names = {c.code: category_name(c) for c in list_categories(get_session())}
    return render_template("admin/import/report.html", report=report, token=token, filename=filename,
                           field_choices=_field_choices(), category_names=names, kind_choices=_kind_choices(),
                           designation_kind=kind), status


def _decisions_from_form() -> dict[int, str]:
    raw = {key[len(DECISION_FIELD):]: value for key, value in request.form.items() if key.startswith(DECISION_FIELD)}
    try:
        return parse_decisions(raw)
    except ValueError:
        abort(400, description=_("重复项的处理方式无效，请重新选择。"))


@blp.get("/import")
@admin_required
def upload_form():
    """The upload form (CSV, XLSX, XLS or ODS)."""
    return render_template("admin/import/upload.html", kind_choices=_kind_choices())


@blp.post("/import")
@read_only   # a dry run: checks the file without the write lock
@admin_required
def check_upload():
    """Check the uploaded file without changing anything and show what importing it would do."""
    upload = request.files.get("file")
    data = upload.read() if upload is not None else b""
    kind = _kind_from_form()
    if not data:
        return render_template("admin/import/upload.html", error=_("请选择要上传的 CSV 或 XLSX 文件。"),
                               kind_choices=_kind_choices()), 400
    administrator = current_administrator_row()
    mapping = remembered_mapping(get_session(), administrator_id=administrator.id)
    report = import_upload(get_session(), data=data, administrator=administrator, dry_run=True,
                           mapping=mapping or None, designation_kind=kind)
    # Kept whenever its columns could be read, so that they can be read differently.
    token = (_keep_upload(data, upload.filename or "", administrator.id, mapping, kind)
             if report.columns or not report.rejected_total else None)
    return _report_page(report, token, upload.filename or "", kind)


@blp.post("/import/<token>/columns")
@admin_required
def check_with_columns(token: str):
    """Check the kept file again, reading its columns as chosen; the choice is remembered."""
    administrator = current_administrator_row()
    data, filename, _mapping, kept_kind = _kept_upload(token, administrator.id)
    mapping, kind = _mapping_from_form(), _kind_from_form(kept_kind)
    remember_mapping(get_session(), administrator_id=administrator.id, mapping=mapping)
    _write_meta(token, administrator.id, filename, mapping, kind)
    report = import_upload(get_session(), data=data, administrator=administrator, dry_run=True,
                           mapping=mapping or None, designation_kind=kind)
    return _report_page(report, token, filename, kind)


@blp.post("/import/<token>/apply")
@read_only   # the importer writes in its own short transaction once the file is checked
@admin_required
def apply_upload(token: str):
    """Import the checked file with its column mapping and the chosen decisions: every row, or nothing."""
    administrator = current_administrator_row()
    data, filename, mapping, kind = _kept_upload(token, administrator.id)
    report = import_upload(get_session(), data=data, administrator=administrator,
                           decisions=_decisions_from_form(), mapping=mapping or None, designation_kind=kind)
    if not report.applied:   # the data changed since the dry run, or a decision does not fit
        return _report_page(report, token, filename, kind, 422)
    for path in _upload_paths(token):
        path.unlink(missing_ok=True)
    return _report_page(report, None, filename, kind)
