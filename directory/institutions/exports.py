"""Institutions as downloads for administrators: CSV, XLSX and JSON.

CSV and XLSX are spreadsheet-safe (``table_csv`` quotes formula-like cells with ``safe_cell``;
``workbook_bytes`` writes plain strings, never formulas, quote-prefixed when they start like one).
The admin-only fields ``verified_at`` and ``verified_by`` appear only in these exports, which only
administrators reach.

The Open Referral HSDS 3.0 export is ``directory.hsds.export``.
"""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlmodel import Session

from directory.institutions.models import Institution
from directory.regions.service import region_paths
from directory.tables import Table, table_csv, workbook_bytes

EXPORT_FIELDS = ["id", "name", "operator", "level", "region_code", "region", "services", "description", "address",
                 "phone", "email", "website", "status", "demonstration_platform", "designations", "created_at",
                 "updated_at",
                 "closed_at", "verified_at", "verified_by", "merged_into_id"]


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def institution_records(session: Session, institutions: list[Institution]) -> list[dict]:
    """Every field of each institution, admin-only ones included, as JSON-ready dicts."""
    paths = region_paths(session, {i.region_code for i in institutions})
    return [{
        "id": i.id, "name": i.name, "operator": i.operator, "level": i.level.value, "region_code": i.region_code,
        "region": " / ".join(r.name for r in paths.get(i.region_code, [])) or None,
        "services": i.services, "description": i.description, "address": i.address, "phone": i.phone,
        "email": i.email, "website": i.website, "status": i.status.value,
        "demonstration_platform": i.demonstration_platform,
        "designations": [{"kind": d.kind, "granted_by": d.granted_by, "batch": d.batch,
                          "granted_on": _iso(d.granted_on), "revoked_on": _iso(d.revoked_on)}
                         for d in i.designations],
        "created_at": _iso(i.created_at),
        "updated_at": _iso(i.updated_at), "closed_at": _iso(i.closed_at), "verified_at": _iso(i.verified_at),
        "verified_by": i.verified_by, "merged_into_id": i.merged_into_id,
    } for i in institutions]


def institutions_table(records: list[dict]) -> Table:
    """The records as one table, a column per field (services and designations joined by ``;``)."""
    rows = [[";".join(r[f]) if f == "services" else _designations_cell(r[f]) if f == "designations"
             else _cell(r[f]) for f in EXPORT_FIELDS] for r in records]
    return Table(name="institutions", title=_("机构名录"), headers=EXPORT_FIELDS, rows=rows)   # the sheet's name


def _designations_cell(designations: list[dict]) -> str:
    """Each designation as ``kind batch granted_on–revoked_on`` (``;`` between them)."""
    return ";".join(" ".join(part for part in (d["kind"], d["batch"] or "", f"{d['granted_on'] or '?'}–"
                                                + (d["revoked_on"] or "")) if part) for d in designations)


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def institutions_csv(records: list[dict]) -> str:
    """The records as spreadsheet-safe CSV text (with a BOM for Excel)."""
    return table_csv(institutions_table(records))


def institutions_xlsx(records: list[dict], *, exported_at: datetime, exported_by: str) -> bytes:
    """The records as an XLSX workbook: a summary sheet, then the institutions."""
    summary = [("exported_at", exported_at.isoformat()), ("exported_by", exported_by),
               ("institutions", str(len(records)))]
    return workbook_bytes([institutions_table(records)], summary=summary)
