"""Web administration: import institutions from CSV or XLSX in two steps.

``POST /admin/import`` checks the file (a dry run) and keeps its bytes under an unguessable
token in ``<instance>/imports`` (or ``IMPORT_UPLOAD_DIR``); the report lets the administrator
settle each possible duplicate. ``POST /admin/import/<token>/apply`` imports the kept file
with those decisions, all or nothing, and deletes it. Kept files older than a day are purged.
"""
import json
import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from directory.admin.login import admin_required, current_administrator_row
from directory.database import get_session
from directory.hsds.reading import import_upload
from directory.institutions.importer import parse_decisions

blp = Blueprint("admin_imports", __name__, url_prefix="/admin")
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")
KEEP_SECONDS = 24 * 3600
DECISION_FIELD = "decision-"   # form field ``decision-<row>`` = skip | update | create



def _upload_folder() -> Path:
    return Path(current_app.config.get("IMPORT_UPLOAD_DIR") or Path(current_app.instance_path) / "imports")


def _purge_old_uploads(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _keep_upload(data: bytes, filename: str, administrator_id: int) -> str:
    """Store the uploaded bytes for the apply step; returns the token naming them."""
    folder = _upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _purge_old_uploads(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(data)
    (folder / f"{token}.upload.json").write_text(
        json.dumps({"administrator_id": administrator_id, "filename": filename}), encoding="utf-8")
    return token


def _kept_upload(token: str, administrator_id: int) -> tuple[bytes, str]:
    """The bytes and file name kept under ``token`` for this administrator; 404 when gone or not theirs."""
    gone = _("这次上传已过期或不存在，请重新上传文件。")
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404, description=gone)
    data_path, meta_path = _upload_paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if time.time() - data_path.stat().st_mtime > KEEP_SECONDS:
            raise FileNotFoundError(token)
        data = data_path.read_bytes()
    except (OSError, ValueError):
        abort(404, description=gone)
    if meta.get("administrator_id") != administrator_id:
        abort(404, description=gone)
    return data, meta.get("filename", "")


def _upload_paths(token: str) -> tuple[Path, Path]:
    folder = _upload_folder()
    return folder / f"{token}.upload", folder / f"{token}.upload.json"


def _decisions_from_form() -> dict[int, str]:
    raw = {key[len(DECISION_FIELD):]: value for key, value in request.form.items() if key.startswith(DECISION_FIELD)}
    try:
        return parse_decisions(raw)
    except ValueError:
        abort(400, description=_("重复项的处理方式无效，请重新选择。"))


@blp.get("/import")
@admin_required
def upload_form():
    """The upload form (CSV or XLSX)."""
    return render_template("admin/import/upload.html")


@blp.post("/import")
@admin_required
def check_upload():
    """Check the uploaded file without changing anything and show what importing it would do."""
    upload = request.files.get("file")
    data = upload.read() if upload is not None else b""
    if not data:
        return render_template("admin/import/upload.html", error=_("请选择要上传的 CSV 或 XLSX 文件。")), 400
    administrator = current_administrator_row()
    report = import_upload(get_session(), data=data, administrator=administrator, dry_run=True)
    token = None if report.rejected else _keep_upload(data, upload.filename or "", administrator.id)
    return render_template("admin/import/report.html", report=report, token=token, filename=upload.filename)


@blp.post("/import/<token>/apply")
@admin_required
def apply_upload(token: str):
    """Import the checked file with the chosen decisions: every row, or nothing."""
    administrator = current_administrator_row()
    data, filename = _kept_upload(token, administrator.id)
    report = import_upload(get_session(), data=data, administrator=administrator,
                                 decisions=_decisions_from_form())
    if not report.applied:   # the data changed since the dry run, or a decision does not fit
        return render_template("admin/import/report.html", report=report, token=token, filename=filename), 422
    for path in _upload_paths(token):
        path.unlink(missing_ok=True)
    return render_template("admin/import/report.html", report=report, token=None, filename=filename)
