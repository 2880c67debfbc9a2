"""Import of institutions from CSV or XLSX: every row valid, or nothing changes.

Shared by ``POST /api/v1/institutions/import``, ``flask import-institutions`` and the
administration's import page. Rows are numbered as a spreadsheet shows them: the header is
row 1, the first record row 2. A row with an ``id`` updates that institution; a row whose name
and region match an existing institution updates it; any other row creates one. A new row
whose normalised name is close to an institution of the same region (or to another row) is
reported as a possible duplicate; a decision per row then skips it, updates the institution
it resembles, or creates it anyway (the default).
"""
import re
from dataclasses import dataclass, field

from marshmallow import ValidationError
from rapidfuzz import fuzz, process
from sqlalchemy import or_, select
from sqlmodel import Session

from directory.auth.models import Administrator
from directory.auth.service import in_scope
from directory.institutions.import_file import UnreadableFile, read_table
from directory.institutions.models import MAX_ID, Institution
from directory.institutions.rules import InstitutionInvalid, check_institution
from directory.institutions.schemas import InstitutionInSchema, InstitutionPatchSchema
from directory.institutions.service import create_institutions, update_institution
from matching.normalize import normalize_text

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
DECISIONS = ("skip", "update", "create")


def parse_decisions(raw) -> dict[int, str]:
    """``{"row": "skip|update|create"}`` (JSON keys are text) as ``{row: decision}``; ValueError if malformed."""
    if not isinstance(raw, dict):
        raise ValueError('Decisions must be an object such as {"5": "skip", "7": "update"}.')
    decisions = {}
    for row, decision in raw.items():
        if not str(row).strip().isdigit() or int(row) < 2:
            raise ValueError(f"Decision for {row!r}: the key must be a row number (2 or more).")
        if decision not in DECISIONS:
            raise ValueError(f"Decision for row {row}: {decision!r} is not one of {', '.join(DECISIONS)}.")
        decisions[int(row)] = decision
    return decisions


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), row by row, and why rows were refused."""

    dry_run: bool
    created: int = 0
    updated: int = 0
    rejected: list[dict] = field(default_factory=list)
    possible_duplicates: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)   # {row, name, action, institution_id}

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.rejected

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "skip")

    def reject(self, row: int, field_name: str, message: str) -> None:
        self.rejected.append({"row": row, "field": field_name, "message": message})

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "rejected": self.rejected,
                "possible_duplicates": self.possible_duplicates, "dry_run": self.dry_run,
                "applied": self.applied, "skipped": self.skipped, "rows": self.rows}

    def summary_lines(self) -> list[str]:
        """The report as lines for the command line."""
        verb = "would be" if self.dry_run or self.rejected else "were"
        lines = [f"row {r['row']}: {r['field']}: {r['message']}" for r in self.rejected]
        lines += [f"row {d['row']}: possible duplicate of {d['similar_to']} "
                  f"({d['similar_name']}, similarity {d['similarity']})"
                  + (f": {d['decision']}" if d.get("decision") else "") for d in self.possible_duplicates]
        if self.rejected:
            lines.append(f"{len(self.rejected)} problem(s) found: nothing was imported.")
        lines.append(f"{self.created} institution(s) {verb} created, {self.updated} {verb} updated"
                     + (f", {self.skipped} row(s) skipped" if self.skipped else "")
                     + (" (dry run: nothing changed)." if self.dry_run else "."))
        return lines


@dataclass
class _Row:
    number: int
    cells: dict
    target: Institution | None = None
    fields: dict | None = None
    skipped: bool = False
    duplicate: dict | None = None
    created: Institution | None = None

    @property
    def action(self) -> str:
        if self.fields is None:
            return "rejected"
        if self.skipped:
            return "skip"
        return "create" if self.target is None else "update"


def import_institutions(session: Session, *, data: bytes, administrator: Administrator | None = None,
                        dry_run: bool = False, decisions: dict[int, str] | None = None) -> ImportReport:
    """Check every row of a CSV or XLSX file, then create, update or skip rows only if all pass.

    ``decisions`` maps a row number to ``skip`` (leave the row out), ``update`` (update the
    existing institution the row possibly duplicates) or ``create`` (create it anyway).
    """
    report = ImportReport(dry_run=dry_run)
    rows = _read_rows(data, report)
    if report.rejected:
        return report
    for row in rows:
        _check_row(session, row, administrator, report)
    _flag_repeated_rows(rows, report)
    _find_possible_duplicates(session, rows, report)
    _apply_decisions(session, rows, decisions or {}, administrator, report)
    _flag_shared_targets(rows, decisions or {}, report)
    creates = [r for r in rows if r.action == "create"]
    updates = [r for r in rows if r.action == "update"]
    report.created, report.updated = len(creates), len(updates)
    if report.rejected and not dry_run:
        report.created = report.updated = 0  # nothing happened; a dry run shows what would
    if report.applied:
        for row in updates:
            update_institution(session, institution=row.target, changes=row.fields)
        created = create_institutions(session, rows=[row.fields for row in creates])
        for row, institution in zip(creates, created):
            row.created = institution
    report.rows = [_outcome(row) for row in rows]
    return report


def _outcome(row: _Row) -> dict:
    institution = row.target if row.action == "update" else row.created
    name = (row.fields or {}).get("name") or row.cells.get("name", "").strip() or (
        row.target.name if row.target else "")
    return {"row": row.number, "name": name, "action": row.action,
            "institution_id": institution.id if institution is not None else None}


def _read_rows(data: bytes, report: ImportReport) -> list[_Row]:
    try:
        header, records = read_table(data)
    except UnreadableFile as error:
        report.reject(0, "file", str(error))
        return []
    if not header or not any(h.strip() for h in header):
        report.reject(1, "file", "The file is empty: a header row is required.")
        return []
    columns = _map_columns(header, report)
    rows = []
    for number, values in records:
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
    row.target = _existing_target(session, row, _normalise_cells(row.cells), report)
    if row.target is not False:
        _validate_row(session, row, administrator, report)


def _validate_row(session: Session, row: _Row, administrator: Administrator | None,
                  report: ImportReport) -> None:
    """Set ``row.fields`` when the row is valid for its target (None: a new institution) and in scope."""
    cells = _normalise_cells(row.cells)
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
    """New rows whose normalised name is close to an institution of the same region, or to an earlier row.

    An existing institution is preferred over another row: only it can be updated instead.
    """
    new_rows = [r for r in rows if r.fields is not None and r.target is None]
    regions = {r.fields.get("region_code") for r in new_rows}
    same_region = [Institution.region_code.in_({c for c in regions if c})]
    if None in regions:
        same_region.append(Institution.region_code.is_(None))
    existing: dict = {}
    for institution in session.scalars(select(Institution).where(or_(*same_region)).order_by(Institution.id)):
        existing.setdefault(institution.region_code, []).append(institution)
    earlier: dict = {}
    for row in new_rows:
        region, name = row.fields.get("region_code"), row.fields["name"]
        key = normalize_text(name)
        institutions = existing.get(region, [])
        match = _closest(key, [normalize_text(i.name) for i in institutions])
        if match is not None:
            other = institutions[match[1]]
            row.duplicate = {"similar_to": f"id {other.id}", "similar_name": other.name,
                             "existing_id": other.id, "similarity": match[0]}
        else:
            others = earlier.get(region, [])
            match = _closest(key, [k for k, _row in others])
            if match is not None:
                other_row = others[match[1]][1]
                row.duplicate = {"similar_to": f"row {other_row.number}", "similar_name": other_row.fields["name"],
                                 "other_row": other_row.number, "similarity": match[0]}
        if row.duplicate is not None:
            row.duplicate = {"row": row.number, "name": name} | row.duplicate
            report.possible_duplicates.append(row.duplicate)
        earlier.setdefault(region, []).append((key, row))


def _closest(name: str, names: list[str]) -> tuple[float, int] | None:
    """(similarity, index) of the most similar of ``names`` at or above the threshold, else None."""
    found = process.extractOne(name, names, scorer=fuzz.ratio, score_cutoff=DUPLICATE_SIMILARITY)
    return None if found is None else (round(found[1], 1), found[2])


def _apply_decisions(session: Session, rows: list[_Row], decisions: dict[int, str],
                     administrator: Administrator | None, report: ImportReport) -> None:
    """Skip, update instead of create, or create anyway, as decided per row."""
    by_number = {row.number: row for row in rows}
    for number, decision in sorted(decisions.items()):
        row = by_number.get(number)
        if row is None:
            report.reject(number, "decision", f"There is no institution row {number} in the file.")
            continue
        if row.duplicate is not None:
            row.duplicate["decision"] = decision
        if row.fields is None:
            continue   # rejected rows stay rejected whatever was decided
        if decision == "skip":
            row.skipped = True
        elif decision == "update" and row.target is None:
            existing_id = (row.duplicate or {}).get("existing_id")
            if existing_id is None:
                report.reject(number, "decision", "Only a row resembling an existing institution can update it.")
                row.fields = None
                continue
            row.target, row.fields = session.get(Institution, existing_id), None
            _validate_row(session, row, administrator, report)
            if row.fields:
                # The registry's name stays: the file's variant of it is what made the row a duplicate.
                row.fields.pop("name", None)
        elif decision == "create" and row.target is not None:
            report.reject(number, "decision", f"The row updates institution {row.target.id}: it cannot create one.")
            row.fields = None


def _flag_shared_targets(rows: list[_Row], decisions: dict[int, str], report: ImportReport) -> None:
    seen: dict[int, int] = {}
    for row in rows:
        if row.action != "update":
            continue
        if row.target.id in seen:
            report.reject(row.number, "decision" if row.number in decisions else "id",
                          f"Row {seen[row.target.id]} already updates institution {row.target.id}.")
            row.fields = None
        else:
            seen[row.target.id] = row.number
