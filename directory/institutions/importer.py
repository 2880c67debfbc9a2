"""Import of institutions from CSV, XLSX, XLS or ODS: every row valid, or nothing changes.

Shared by ``POST /api/v1/institutions/import``, ``flask import-institutions`` and the
administration's import page. Rows are numbered as a spreadsheet shows them; the header is
found below any title rows and each row's words are read as fields (``import_columns``,
``import_values``). A row with an ``id`` updates that institution; a row whose name
and region match an existing institution updates it; any other row creates one. A new row
whose normalised name is close to an institution of the same region (or to another row) is
reported as a possible duplicate; a decision per row then skips it, updates the institution
it resembles, or creates it anyway (the default).
"""
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import or_, select
from sqlmodel import Session

from directory.auth.models import Administrator
from directory.auth.access import in_scope
from directory.database import write_transaction
from directory.institutions.bulk import NewInstitutions, create_many, prepare_new, update_many
from directory.institutions.import_columns import MAX_RECORDS, InterpretedTable, interpret_grid
from directory.institutions.import_values import RecordReading, ReferenceWords, read_record, validate_reading
from directory.designations.service import DesignationInvalid, kinds_by_code, parse_batch, parse_designations
from directory.institutions.designations import apply_designation_from_import, set_demonstration_platform
from directory.institutions.models import MAX_ID, NATIONAL_DEMO_PLATFORM, Institution
from directory.institutions.revision import current_revision
from directory.regions.models import Region
from directory.spreadsheets import Grid, ReadLimits, UnreadableFile, read_grid
from matching.normalize import normalize_text

MAX_ROWS = MAX_RECORDS
LISTED_PER_KIND = 100   # problems (and possible duplicates, and rows of a refused file) listed in a report
MAX_COLUMNS = 200
NAME_SHOWN = 200   # characters of a name or column title echoed in a report
# What the reader accepts: the row cap plus room for title and note rows around the table.
READ_LIMITS = ReadLimits(rows=MAX_ROWS + 200, columns=MAX_COLUMNS, cells=MAX_ROWS * 60,
                         characters=40_000_000, seconds=20.0, bytes=20 * 1024 * 1024)
DUPLICATE_SIMILARITY = 85.0
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
    columns: list[dict] = field(default_factory=list)   # {title, field}: how the file's columns were read
    ignored_columns: list[str] = field(default_factory=list)

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
                                  "message_zh": message_zh or message})

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
                "rows_total": self.rows_total, "columns": self.columns, "ignored_columns": self.ignored_columns}

    def summary_lines(self) -> list[str]:
        """The report as lines for the command line."""
        verb = "would be" if self.dry_run or self.rejected_total else "were"
        lines = [f"row {r['row']}: {r['field']}: {r['message']}"
                 + (f" (column {r['column']})" if r.get("column") not in (None, r["field"]) else "")
                 for r in self.rejected]
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
    reading: RecordReading
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
                        sheet: str | int | None = None,
                        designation_kind: str = NATIONAL_DEMO_PLATFORM) -> ImportReport:
    """Check every row of a file (``data``) or of an already read ``grid``, then create, update or
    skip rows only if all pass.

    Reading and checking use ``session`` and never take the write lock; the changes are then
    made in one short write transaction of their own (or in ``session``'s, when it already
    writes), after re-checking every row if the directory changed meanwhile. ``decisions`` maps
    a row number to ``skip`` (leave the row out), ``update`` (update the existing institution
    the row possibly duplicates) or ``create`` (create it anyway). ``mapping`` names the field
    of a column title the aliases do not know. ``designation_kind`` is what a batch column
    (批次, 认定年份) designates.
    """
    report = ImportReport(dry_run=dry_run)
    if designation_kind not in kinds_by_code(session):
        report.reject(0, "designation_kind", f"Unknown designation kind: {str(designation_kind)[:40]}.",
                      message_zh=f"未知的认定类型：{str(designation_kind)[:40]}。")
        return report
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
                                               _apply(writer, rows, new, designation_kind)):
                outcome["institution_id"] = institution_id
    report.set_rows(outcomes)
    return report


def _checked(session: Session, grid: Grid, administrator: Administrator | None, dry_run: bool,
             decisions: dict[int, str] | None, mapping: dict[str, str] | None) -> tuple[ImportReport, list]:
    """A fresh report and the rows of ``grid`` with their targets and validated fields."""
    report = ImportReport(dry_run=dry_run)
    table = interpret_grid(session, grid, report, mapping=mapping)
    if table is not None:
        report.columns = [{"title": c.title, "field": c.field} for c in table.columns]
        report.ignored_columns = table.ignored_columns
    if table is None or report.rejected_total:
        return report, []
    words = ReferenceWords(session)
    rows = [_Row(record.number, record.values, read_record(record, words=words)) for record in table.records]
    # Held here so that each row's placement check finds its division in the identity map.
    regions = list(session.scalars(select(Region).where(Region.code.in_(
        {row.reading.region_code for row in rows} - {None, ""}))))
    for row in rows:
        _check_row(session, row, table, administrator, report)
    del regions
    _flag_repeated_rows(rows, report)
    _find_possible_duplicates(session, rows, report)
    _apply_decisions(session, rows, decisions or {}, table, administrator, report)
    _flag_shared_targets(rows, decisions or {}, report)
    report.created = sum(1 for r in rows if r.action == "create")
    report.updated = sum(1 for r in rows if r.action == "update")
    if report.rejected_total and not dry_run:
        report.created = report.updated = 0  # nothing happened; a dry run shows what would
    return report, rows


def _apply(writer: Session, rows: list[_Row], new: NewInstitutions, designation_kind: str) -> list[int]:
    """Make the checked changes through ``writer`` with bulk statements; the ids of the new institutions.

    Then the designations the rows name: the 示范平台 flag grants or revokes the national
    demonstration platform designation, a batch column (批次, 认定年份) grants the designation of
    ``designation_kind`` with that batch (or sets the batch of the one held), a ``designations``
    column ("kind:batch; kind", as the HSDS import writes it) grants each kind named with its batch."""
    updates = [row for row in rows if row.action == "update"]
    update_many(writer, changes=[(row.target, row.fields) for row in updates])
    ids = create_many(writer, new=new)
    creates = [row for row in rows if row.action == "create"]
    for row, institution_id in [(row, row.target.id) for row in updates] + list(zip(creates, ids)):
        flag = row.fields.get("demonstration_platform")
        extras = getattr(row.fields, "extras", {})
        batch, named = extras.get("designation_batch"), parse_designations(writer, extras.get("designations"))
        if flag is None and not batch and not named:
            continue
        institution = writer.get(Institution, institution_id)
        if flag is not None:
            set_demonstration_platform(writer, institution=institution, holds=bool(flag))
        if batch:
            apply_designation_from_import(writer, institution=institution, kind=designation_kind, batch=batch)
        for kind, kind_batch in named:
            apply_designation_from_import(writer, institution=institution, kind=kind, batch=kind_batch)
    return ids


def _outcome(row: _Row) -> dict:
    name = (row.fields or {}).get("name") or row.cells.get("name", "").strip() or (
        row.target.name if row.target else "")
    institution_id = row.target.id if row.action == "update" else None
    found = getattr(row.fields, "found", None) or {"categories": row.reading.categories}
    return {"row": row.number, "name": name[:NAME_SHOWN], "action": row.action,
            "institution_id": institution_id} | found


def _check_row(session: Session, row: _Row, table: InterpretedTable, administrator: Administrator | None,
               report: ImportReport) -> None:
    row.target = _existing_target(session, row, table, report)
    if row.target is not False:
        _validate_row(session, row, table, administrator, report)


def _validate_row(session: Session, row: _Row, table: InterpretedTable, administrator: Administrator | None,
                  report: ImportReport) -> None:
    """Set ``row.fields`` when the row is valid for its target (None: a new institution) and in scope."""
    fields = validate_reading(session, row.reading, report, table=table, target=row.target)
    if fields is None:
        return
    for column, check in (("designation_batch", parse_batch),
                          ("designations", lambda text: parse_designations(session, text))):
        try:
            check(getattr(fields, "extras", {}).get(column))
        except DesignationInvalid as error:
            for name, messages in error.errors.items():
                report.reject(row.number, name, " ".join(messages), column=table.title_of(column),
                              message_zh=" ".join(error.errors_zh.get(name, messages)))
            return
    region_code = fields.get("region_code", row.target.region_code if row.target else None)
    touched = {region_code} | ({row.target.region_code} if row.target else set())
    if administrator is not None and not all(in_scope(session, administrator, c) for c in touched):
        report.reject(row.number, "region_code",
                      f"Outside the region scope of administrator {administrator.username}.",
                      column=table.title_of("region_code"),
                      message_zh=f"超出管理员 {administrator.username} 的管辖地区。")
        return
    row.fields = fields


def _existing_target(session: Session, row: _Row, table: InterpretedTable, report: ImportReport):
    """The institution a row updates, None for a new one, False when the id is bad."""
    raw_id = row.cells.get("id", "").strip()
    if raw_id:
        valid = raw_id.isdigit() and 0 < int(raw_id) <= MAX_ID
        institution = session.get(Institution, int(raw_id)) if valid else None
        if institution is None:
            report.reject(row.number, "id", f"No institution with id {raw_id}.", column=table.title_of("id"),
                          message_zh=f"没有编号为 {raw_id} 的机构。")
            return False
        return institution
    name, region = row.reading.values.get("name"), row.reading.region_code
    if not name or not row.reading.place_ok:
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
            report.reject(row.number, "name", f"Same name and region as row {seen[key]}.",
                          message_zh=f"与第 {seen[key]} 行名称和地区相同。")
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


def _apply_decisions(session: Session, rows: list[_Row], decisions: dict[int, str], table: InterpretedTable,
                     administrator: Administrator | None, report: ImportReport) -> None:
    """Skip, update instead of create, or create anyway, as decided per row."""
    by_number = {row.number: row for row in rows}
    for number, decision in sorted(decisions.items()):
        row = by_number.get(number)
        if row is None:
            report.reject(number, "decision", f"There is no institution row {number} in the file.",
                          message_zh=f"文件中没有第 {number} 行机构。")
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
                report.reject(number, "decision", "Only a row resembling an existing institution can update it.",
                              message_zh="只有与已有机构相似的行才能更新该机构。")
                row.fields = None
                continue
            row.target, row.fields = session.get(Institution, existing_id), None
            _validate_row(session, row, table, administrator, report)
            if row.fields:
                # The registry's name stays: the file's variant of it is what made the row a duplicate.
                row.fields.pop("name", None)
        elif decision == "create" and row.target is not None:
            report.reject(number, "decision", f"The row updates institution {row.target.id}: it cannot create one.",
                          message_zh=f"该行更新机构 {row.target.id}，不能新建机构。")
            row.fields = None


def _flag_shared_targets(rows: list[_Row], decisions: dict[int, str], report: ImportReport) -> None:
    seen: dict[int, int] = {}
    for row in rows:
        if row.action != "update":
            continue
        if row.target.id in seen:
            report.reject(row.number, "decision" if row.number in decisions else "id",
                          f"Row {seen[row.target.id]} already updates institution {row.target.id}.",
                          message_zh=f"第 {seen[row.target.id]} 行已经更新机构 {row.target.id}。")
            row.fields = None
        else:
            seen[row.target.id] = row.number
