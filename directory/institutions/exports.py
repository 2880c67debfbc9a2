"""Institutions as downloads for administrators: CSV, XLSX, JSON, and Open Referral HSDS.

CSV and XLSX are spreadsheet-safe (``table_csv`` quotes formula-like cells with ``safe_cell``;
``workbook_bytes`` writes plain strings, never formulas, quote-prefixed when they start like one).
The admin-only fields ``verified_at`` and ``verified_by`` appear only in these exports, which only
administrators reach.

HSDS (Human Services Data Specification, Open Referral) mapping of ``hsds_document``:

* ``taxonomy``: the ten service categories; ``id`` = category code (``ip``), ``name`` = Chinese
  name, ``name_en`` = English name, ``vocabulary`` = ``sme-service-categories``.
* ``organizations``: one per institution; ``id`` = ``inst-<id>``, ``name``, ``description``,
  ``email``, ``url`` (website); extra: ``level``, ``operator``, ``demonstration_platform``.
* ``services``: one per (institution, category); ``id`` = ``inst-<id>-<code>``,
  ``organization_id``, ``name`` (institution name · category name), ``status`` (active →
  ``active``, suspended → ``temporarily closed``, closed → ``defunct``), ``email``, ``url``,
  ``taxonomy_ids`` and ``attributes`` (``taxonomy_term_id`` = category code) linking to
  ``taxonomy``.
* ``locations``: one per institution; ``id`` = ``inst-<id>-loc``, ``organization_id``,
  ``name``, ``address`` = {``address_1``, ``city`` (prefecture), ``state_province``
  (province), ``admin_area`` (the division's name), ``region`` (the 6-digit division code;
  null for national institutions), ``country`` ``CN``}.
* ``service_at_location``: one per service; ``id`` = ``<service id>-at-loc``, ``service_id``,
  ``location_id``.

Ids are built from database ids and category codes only, so they stay the same between exports.
"""
from datetime import date, datetime

from sqlmodel import Session

from directory.categories.models import ServiceCategory
from directory.institutions.models import Institution, InstitutionStatus
from directory.regions.models import RegionLevel
from directory.regions.service import region_paths
from directory.statistics.exports import Table, table_csv, workbook_bytes

EXPORT_FIELDS = ["id", "name", "operator", "level", "region_code", "region", "services", "description", "address",
                 "phone", "email", "website", "status", "demonstration_platform", "designations", "created_at",
                 "updated_at",
                 "closed_at", "verified_at", "verified_by", "merged_into_id"]
HSDS_SERVICE_STATUS = {InstitutionStatus.active: "active", InstitutionStatus.suspended: "temporarily closed",
                       InstitutionStatus.closed: "defunct"}
TAXONOMY_VOCABULARY = "sme-service-categories"


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
    return Table(name="institutions", title="Institutions / 机构", headers=EXPORT_FIELDS, rows=rows)


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


def hsds_document(session: Session, institutions: list[Institution],
                  categories: list[ServiceCategory]) -> dict:
    """The institutions in Open Referral HSDS shape (see the module docstring for the mapping)."""
    paths = region_paths(session, {i.region_code for i in institutions})
    by_code = {c.code: c for c in categories}
    document = {"organizations": [], "services": [], "locations": [], "service_at_location": [],
                "taxonomy": [{"id": c.code, "name": c.name_zh, "name_en": c.name_en,
                              "description": c.description_zh, "vocabulary": TAXONOMY_VOCABULARY,
                              "parent_id": None} for c in categories]}
    for institution in institutions:
        org_id = f"inst-{institution.id}"
        location_id = f"{org_id}-loc"
        document["organizations"].append({
            "id": org_id, "name": institution.name, "description": institution.description,
            "email": institution.email, "url": institution.website, "level": institution.level.value,
            "operator": institution.operator, "demonstration_platform": institution.demonstration_platform})
        document["locations"].append({
            "id": location_id, "organization_id": org_id, "name": institution.name,
            "location_type": "physical",
            "address": _address(institution, paths.get(institution.region_code, []))})
        for code in institution.services:
            category = by_code.get(code)
            service_id = f"{org_id}-{code}"
            document["services"].append({
                "id": service_id, "organization_id": org_id,
                "name": f"{institution.name} · {category.name_zh if category else code}",
                "description": category.description_zh if category else None,
                "status": HSDS_SERVICE_STATUS[institution.status], "email": institution.email,
                "url": institution.website, "taxonomy_ids": [code],
                "attributes": [{"id": f"{service_id}-taxonomy", "link_id": service_id, "link_type": "service",
                                "taxonomy_term_id": code}]})
            document["service_at_location"].append({
                "id": f"{service_id}-at-loc", "service_id": service_id, "location_id": location_id})
    return document


def _address(institution: Institution, path) -> dict:
    named = {region.level: region.name for region in path}
    return {"address_1": institution.address, "city": named.get(RegionLevel.prefecture),
            "state_province": named.get(RegionLevel.province), "admin_area": path[-1].name if path else None,
            "region": institution.region_code, "country": "CN"}
