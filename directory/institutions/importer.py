"""CSV import of institutions: every row valid, or nothing changes.

Shared by ``POST /api/v1/institutions/import`` and ``flask import-institutions``. Rows are
numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
A row with an ``id`` updates that institution; a row whose name and region match an
existing institution updates it; any other row creates one.
"""
import csv
import io
import re
from dataclasses import dataclass, field

from marshmallow import ValidationError
from rapidfuzz import fuzz
from sqlalchemy import or_, select
from sqlmodel import Session

from directory.auth.models import Administrator
from directory.auth.service import in_scope
from directory.csv_text import decode_csv
from directory.institutions.models import MAX_ID, Institution
from directory.institutions.rules import InstitutionInvalid, check_institution
from directory.institutions.schemas import InstitutionInSchema, InstitutionPatchSchema
from directory.institutions.service import create_institutions, update_institution

MAX_ROWS = 20000
DUPLICATE_SIMILARITY = 85.0
SERVICE_SEPARATORS = re.compile(r"[;；,，、|/\s]+")
# Column headers accepted for each field: the API name, then what Chinese spreadsheets say.
COLUMN_ALIASES = {
    "id": ("id", "编号", "ID"),
    "name": ("name", "名称", "机构名称"),
    "level": ("level", "层级", "级别"),
    "region_code": ("region_code", "地区代码", "行政区划代码", "区划代码"),
    "services": ("services", "服务", "服务类别"),
    "description": ("description", "简介", "描述", "机构简介"),
    "address": ("address", "地址"),
    "phone": ("phone", "电话", "联系电话"),
    "email": ("email", "邮箱", "电子邮箱"),
    "website": ("website", "网址", "网站"),
    "status": ("status", "状态"),
    "demonstration_platform": ("demonstration_platform", "示范平台", "国家示范平台"),
}
LEVEL_ALIASES = {"国家级": "national", "省级": "provincial", "市级": "municipal", "地市级": "municipal",
                 "县级": "county", "区县级": "county"}
STATUS_ALIASES = {"运营中": "active", "正常": "active", "暂停": "suspended", "已关闭": "closed", "关闭": "closed"}
BOOLEAN_ALIASES = {"是": "true", "否": "false", "1": "true", "0": "false", "": "false"}


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), and why rows were refused."""

    dry_run: bool
    created: int = 0
    updated: int = 0
    rejected: list[dict] = field(default_factory=list)
    possible_duplicates: list[dict] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.rejected

    def reject(self, row: int, field_name: str, message: str) -> None:
        self.rejected.append({"row": row, "field": field_name, "message": message})

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "rejected": self.rejected,
                "possible_duplicates": self.possible_duplicates, "dry_run": self.dry_run,
                "applied": self.applied}

    def summary_lines(self) -> list[str]:
        """The report as lines for the command line."""
        verb = "would be" if self.dry_run or self.rejected else "were"
        lines = [f"row {r['row']}: {r['field']}: {r['message']}" for r in self.rejected]
        lines += [f"row {d['row']}: possible duplicate of {d['similar_to']} "
                  f"({d['similar_name']}, similarity {d['similarity']})" for d in self.possible_duplicates]
        if self.rejected:
            lines.append(f"{len(self.rejected)} problem(s) found: nothing was imported.")
        lines.append(f"{self.created} institution(s) {verb} created, {self.updated} {verb} updated"
                     + (" (dry run: nothing changed)." if self.dry_run else "."))
        return lines


@dataclass
class _Row:
    number: int
    cells: dict
    target: Institution | None = None
    fields: dict | None = None


def import_institutions(session: Session, *, data: bytes, administrator: Administrator | None = None,
                        dry_run: bool = False) -> ImportReport:
    """Check every row of a CSV file, then create and update institutions only if all pass."""
    report = ImportReport(dry_run=dry_run)
    rows = _read_rows(data, report)
    if report.rejected:
        return report
    for row in rows:
        _check_row(session, row, administrator, report)
    _flag_repeated_rows(rows, report)
    _find_possible_duplicates(session, rows, report)
    creates = [r for r in rows if r.fields is not None and r.target is None]
    updates = [r for r in rows if r.fields is not None and r.target is not None]
    report.created, report.updated = len(creates), len(updates)
    if report.rejected and not dry_run:
        report.created = report.updated = 0  # nothing happened; a dry run shows what would
    if not report.applied:
        return report
    for row in updates:
        update_institution(session, institution=row.target, changes=row.fields)
    create_institutions(session, rows=[row.fields for row in creates])
    return report


def _read_rows(data: bytes, report: ImportReport) -> list[_Row]:
    try:
        text = decode_csv(data)
    except ValueError as error:
        report.reject(1, "file", str(error))
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        report.reject(1, "file", "The file is empty: a header row is required.")
        return []
    columns = _map_columns(header, report)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            report.reject(number, "row", f"{len(values)} cells but the header has {len(header)} columns.")
            continue
        rows.append(_Row(number, {columns[i]: v for i, v in enumerate(values) if columns[i]}))
        if len(rows) > MAX_ROWS:
            report.reject(number, "file", f"At most {MAX_ROWS} rows per import.")
            break
    if not rows and not report.rejected:
        report.reject(2, "file", "The file has a header but no institution rows.")
    return rows


def _map_columns(header: list[str], report: ImportReport) -> list[str | None]:
    lookup = {alias.lower(): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
    columns = []
    for title in header:
        name = lookup.get(title.strip().lower())
        if name is None:
            report.reject(1, title.strip() or "(blank)", "Unknown column. Known columns: "
                          + ", ".join(COLUMN_ALIASES))
        elif name in columns:
            report.reject(1, title.strip(), "Column appears twice.")
        columns.append(name)
    for required in ("name", "level", "services"):
        if required not in columns:
            report.reject(1, required, "Required column is missing.")
    return columns


def _normalise_cells(cells: dict) -> dict:
    values = {k: v.strip() for k, v in cells.items() if k != "id"}
    if "level" in values:
        values["level"] = LEVEL_ALIASES.get(values["level"], values["level"])
    if "status" in values:
        values["status"] = STATUS_ALIASES.get(values["status"], values["status"]) or "active"
    if "demonstration_platform" in values:
        flag = values["demonstration_platform"]
        values["demonstration_platform"] = BOOLEAN_ALIASES.get(flag, flag)
    if "services" in values:
        values["services"] = [s for s in SERVICE_SEPARATORS.split(values["services"]) if s]
    return {k: v for k, v in values.items() if v != ""}


def _check_row(session: Session, row: _Row, administrator: Administrator | None,
               report: ImportReport) -> None:
    cells = _normalise_cells(row.cells)
    row.target = _existing_target(session, row, cells, report)
    if row.target is False:
        return
    schema = InstitutionPatchSchema() if row.target is not None else InstitutionInSchema()
    try:
        fields = schema.load(cells)
    except ValidationError as error:
        for name, messages in error.messages.items():
            for message in messages if isinstance(messages, list) else [str(messages)]:
                report.reject(row.number, name, str(message))
        return
    merged = fields if row.target is None else {
        "level": row.target.level, "region_code": row.target.region_code,
        "services": row.target.services} | fields
    try:
        check_institution(session, merged)
    except InstitutionInvalid as error:
        for name, messages in error.errors.items():
            for message in messages:
                report.reject(row.number, name, message)
        return
    touched = {merged.get("region_code")} | ({row.target.region_code} if row.target else set())
    if administrator is not None and not all(in_scope(session, administrator, c) for c in touched):
        report.reject(row.number, "region_code",
                      f"Outside the region scope of administrator {administrator.username}.")
        return
    row.fields = fields


def _existing_target(session: Session, row: _Row, cells: dict, report: ImportReport):
    """The institution a row updates, None for a new one, False when the id is bad."""
    raw_id = row.cells.get("id", "").strip()
    if raw_id:
        valid = raw_id.isdigit() and 0 < int(raw_id) <= MAX_ID
        institution = session.get(Institution, int(raw_id)) if valid else None
        if institution is None:
            report.reject(row.number, "id", f"No institution with id {raw_id}.")
            return False
        return institution
    name, region = cells.get("name"), cells.get("region_code")
    if not name:
        return None
    return session.scalar(select(Institution).where(Institution.name == name,
                                                     Institution.region_code == region))


def _flag_repeated_rows(rows: list[_Row], report: ImportReport) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.fields is None:
            continue
        key = (row.fields.get("name") or (row.target.name if row.target else None),
               row.fields.get("region_code", row.target.region_code if row.target else None))
        if key in seen:
            report.reject(row.number, "name", f"Same name and region as row {seen[key]}.")
            row.fields = None
        else:
            seen[key] = row.number


def _find_possible_duplicates(session: Session, rows: list[_Row], report: ImportReport) -> None:
    """New rows whose name is close to an institution of the same region, or to another row."""
    new_rows = [r for r in rows if r.fields is not None and r.target is None]
    regions = {r.fields.get("region_code") for r in new_rows}
    same_region = [Institution.region_code.in_({c for c in regions if c})]
    if None in regions:
        same_region.append(Institution.region_code.is_(None))
    existing: dict = {}
    for institution in session.scalars(select(Institution).where(or_(*same_region))):
        existing.setdefault(institution.region_code, []).append((f"id {institution.id}", institution.name))
    for row in new_rows:
        region, name = row.fields.get("region_code"), row.fields["name"]
        candidates = existing.setdefault(region, [])
        best = max(((label, other, fuzz.ratio(name, other)) for label, other in candidates),
                   key=lambda c: c[2], default=None)
        if best and best[2] >= DUPLICATE_SIMILARITY:
            report.possible_duplicates.append({"row": row.number, "name": name, "similar_to": best[0],
                                               "similar_name": best[1], "similarity": round(best[2], 1)})
        candidates.append((f"row {row.number}", name))
