"""Import of institutions from CSV, XLSX, XLS or ODS: every row valid, or nothing changes.

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
from directory.institutions.models import MAX_ID, Institution
from directory.institutions.rules import InstitutionInvalid, check_institution
from directory.institutions.schemas import InstitutionInSchema, InstitutionPatchSchema
from directory.database import write_transaction
from directory.institutions.bulk import NewInstitutions, create_many, prepare_new, update_many
from directory.matching.revision import current_revision
from directory.regions.models import Region
from directory.spreadsheets import Grid, ReadLimits, UnreadableFile, read_grid
from matching.normalize import normalize_text

MAX_ROWS = 20000
LISTED_PER_KIND = 100   # problems (and possible duplicates, and rows of a refused file) listed in a report
MAX_COLUMNS = 200
NAME_SHOWN = 200   # characters of a name or column title echoed in a report
# What the reader accepts: the row cap plus room for title and note rows around the table.
READ_LIMITS = ReadLimits(rows=MAX_ROWS + 200, columns=MAX_COLUMNS, cells=MAX_ROWS * 60,
                         characters=40_000_000, seconds=20.0, bytes=20 * 1024 * 1024)
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
NEW_SCHEMA, PATCH_SCHEMA = InstitutionInSchema(), InstitutionPatchSchema()


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
    """What an import did, or would do (dry run), row by row, and why rows were refused.

    Bounded whatever the file: the first ``LISTED_PER_KIND`` rejections and possible duplicates
    are listed, with their totals; a refused file lists only its first rows' outcomes.
    """

    dry_run: bool
    created: int = 0
    updated: int = 0
    rejected: list[dict] = field(default_factory=list)
    possible_duplicates: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)   # {row, name, action, institution_id}
    rejected_total: int = 0
    possible_duplicates_total: int = 0
    rows_total: int = 0
    skipped: int = 0
    column_titles: dict[str, str] = field(default_factory=dict)   # field → its column title in the file

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.rejected_total

    def reject(self, row: int, field_name: str, message: str, *, column: str | None = None,
               message_zh: str | None = None) -> None:
        """Record one problem; ``column`` is the column title as written in the file (by default the field's)."""
        self.rejected_total += 1
        if len(self.rejected) < LISTED_PER_KIND:
            self.rejected.append({"row": row, "field": field_name, "message": message,
                                  "column": column if column is not None else self.column_titles.get(field_name),
                                  "message_zh": message_zh})

    def add_possible_duplicate(self, duplicate: dict) -> None:
        self.possible_duplicates_total += 1
        if len(self.possible_duplicates) < LISTED_PER_KIND:
            self.possible_duplicates.append(duplicate)

    def set_rows(self, outcomes: list[dict]) -> None:
        """Every row's outcome; only the first ones when the file is refused (its problems say the rest)."""
        self.rows_total = len(outcomes)
        self.skipped = sum(1 for r in outcomes if r["action"] == "skip")
        self.rows = outcomes[:LISTED_PER_KIND] if self.rejected_total else outcomes

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "rejected": self.rejected,
                "rejected_total": self.rejected_total, "possible_duplicates": self.possible_duplicates,
                "possible_duplicates_total": self.possible_duplicates_total, "dry_run": self.dry_run,
                "applied": self.applied, "skipped": self.skipped, "rows": self.rows,
                "rows_total": self.rows_total}

    def summary_lines(self) -> list[str]:
        """The report as lines for the command line."""
        verb = "would be" if self.dry_run or self.rejected_total else "were"
        lines = [f"row {r['row']}: {r['field']}: {r['message']}" for r in self.rejected]
        if self.rejected_total > len(self.rejected):
            lines.append(f"… and {self.rejected_total - len(self.rejected)} more problem(s).")
        lines += [f"row {d['row']}: possible duplicate of {d['similar_to']} "
                  f"({d['similar_name']}, similarity {d['similarity']})"
                  + (f": {d['decision']}" if d.get("decision") else "") for d in self.possible_duplicates]
        if self.possible_duplicates_total > len(self.possible_duplicates):
            lines.append(f"… and {self.possible_duplicates_total - len(self.possible_duplicates)} "
                         "more possible duplicate(s).")
        if self.rejected_total:
            lines.append(f"{self.rejected_total} problem(s) found: nothing was imported.")
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

    @property
    def action(self) -> str:
        if self.fields is None:
            return "rejected"
        if self.skipped:
            return "skip"
        return "create" if self.target is None else "update"


def import_institutions(session: Session, *, data: bytes | None = None, grid: Grid | None = None,
                        administrator: Administrator | None = None, dry_run: bool = False,
                        decisions: dict[int, str] | None = None, mapping: dict[str, str] | None = None,
                        sheet: str | int | None = None) -> ImportReport:
    """Check every row of a file (``data``) or of an already read ``grid``, then create, update or
    skip rows only if all pass.

    Reading and checking use ``session`` and never take the write lock; the changes are then
    made in one short write transaction of their own (or in ``session``'s, when it already
    writes), after re-checking every row if the directory changed meanwhile. ``decisions`` maps
    a row number to ``skip`` (leave the row out), ``update`` (update the existing institution
    the row possibly duplicates) or ``create`` (create it anyway). ``mapping`` names the field
    of a column title the aliases do not know.
    """
    report = ImportReport(dry_run=dry_run)
    if grid is None:
        try:
            grid = read_grid(data, sheet=sheet, limits=READ_LIMITS)
        except UnreadableFile as error:
            report.reject(0, "file", error.message, message_zh=error.message_zh)
            return report
    revision = current_revision(session)
    report, rows = _checked(session, grid, administrator, dry_run, decisions, mapping)
    if not report.applied:
        report.set_rows([_outcome(row) for row in rows])
        return report
    new = prepare_new([row.fields for row in rows if row.action == "create"])
    with write_transaction(session) as writer:
        if writer is not session and current_revision(writer) != revision:
            # Another writer changed the directory while the file was checked: check again, now
            # under the write lock, so that nothing is applied against data it was not checked with.
            report, rows = _checked(writer, grid, administrator, dry_run, decisions, mapping)
            new = prepare_new([row.fields for row in rows if row.action == "create"])
        outcomes = [_outcome(row) for row in rows]   # before the bulk update expires the targets
        if report.applied:
            for outcome, institution_id in zip([o for o in outcomes if o["action"] == "create"],
                                               _apply(writer, rows, new)):
                outcome["institution_id"] = institution_id
    report.set_rows(outcomes)
    return report


def _checked(session: Session, grid: Grid, administrator: Administrator | None, dry_run: bool,
             decisions: dict[int, str] | None, mapping: dict[str, str] | None) -> tuple[ImportReport, list]:
    """A fresh report and the rows of ``grid`` with their targets and validated fields."""
    report = ImportReport(dry_run=dry_run)
    rows = _read_rows(grid, report, mapping)
    if report.rejected_total:
        return report, rows
    # Held here so that each row's placement check finds its division in the identity map.
    regions = list(session.scalars(select(Region).where(Region.code.in_(
        {row.cells.get("region_code", "").strip() for row in rows} - {""}))))
    for row in rows:
        _check_row(session, row, administrator, report)
    del regions
    _flag_repeated_rows(rows, report)
    _find_possible_duplicates(session, rows, report)
    _apply_decisions(session, rows, decisions or {}, administrator, report)
    _flag_shared_targets(rows, decisions or {}, report)
    report.created = sum(1 for r in rows if r.action == "create")
    report.updated = sum(1 for r in rows if r.action == "update")
    if report.rejected_total and not dry_run:
        report.created = report.updated = 0  # nothing happened; a dry run shows what would
    return report, rows


def _apply(writer: Session, rows: list[_Row], new: NewInstitutions) -> list[int]:
    """Make the checked changes through ``writer`` with bulk statements; the ids of the new institutions."""
    update_many(writer, changes=[(row.target, row.fields) for row in rows if row.action == "update"])
    return create_many(writer, new=new)


def _outcome(row: _Row) -> dict:
    name = (row.fields or {}).get("name") or row.cells.get("name", "").strip() or (
        row.target.name if row.target else "")
    institution_id = row.target.id if row.action == "update" else None
    return {"row": row.number, "name": name[:NAME_SHOWN], "action": row.action, "institution_id": institution_id}


def _read_rows(grid: Grid, report: ImportReport, mapping: dict[str, str] | None = None) -> list[_Row]:
    """The record rows below the header (the grid's first row); every row counts toward ``MAX_ROWS``."""
    if not grid.rows:
        report.reject(1, "file", "The file is empty: a header row is required.",
                      message_zh="文件是空的：需要一行列标题。")
        return []
    header_row, *records = grid.rows
    header = header_row.cells
    columns = _map_columns(header, report, mapping, header_row=header_row.number)
    report.column_titles = {name: title.strip() for name, title in zip(columns, header) if name}
    rows = []
    for count, (number, values) in enumerate(records, start=1):
        if count > MAX_ROWS:
            report.reject(number, "file", f"At most {MAX_ROWS} rows per import.",
                          message_zh=f"每次最多导入 {MAX_ROWS} 行。")
            break
        if len(values) > len(header):
            report.reject(number, "row", f"{len(values)} cells but the header has {len(header)} columns.",
                          message_zh=f"该行有 {len(values)} 个单元格，但标题行只有 {len(header)} 列。")
            continue
        rows.append(_Row(number, {columns[i]: v for i, v in enumerate(values) if columns[i]}))
    if not rows and not report.rejected_total:
        report.reject(header_row.number + 1, "file", "The file has a header but no institution rows.",
                      message_zh="文件只有标题行，没有机构数据。")
    return rows


def _map_columns(header: list[str], report: ImportReport, mapping: dict[str, str] | None = None, *,
                 header_row: int = 1) -> list[str | None]:
    lookup = {alias.lower(): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
    lookup |= {title.strip().lower(): name for title, name in (mapping or {}).items() if name in COLUMN_ALIASES}
    columns = []
    for title in header:
        name = lookup.get(title.strip().lower())
        if name is None:
            report.reject(header_row, title.strip()[:NAME_SHOWN] or "(blank)", "Unknown column. Known columns: "
                          + ", ".join(COLUMN_ALIASES), column=title[:NAME_SHOWN])
        elif name in columns:
            report.reject(header_row, title.strip(), "Column appears twice.", column=title)
        columns.append(name)
    for required in ("name", "level", "services"):
        if required not in columns:
            report.reject(header_row, required, "Required column is missing.")
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
    schema = PATCH_SCHEMA if row.target is not None else NEW_SCHEMA
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
            report.add_possible_duplicate(row.duplicate)
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
