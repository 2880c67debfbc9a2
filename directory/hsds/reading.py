"""Import of an HSDS 3.0 dataset through the institution import pipeline.

A dataset is told apart by content: JSON (our package, an API page with ``contents``, or a list of
services or organizations) or a zip holding ``organizations.csv``. Each organization becomes one
row with the import's own columns (name, level, region_code, services, ...), and the rows go
through ``import_institutions``, so dry run, all-or-nothing, duplicates, scope and the report
are the import's. Our own terms (categories, levels, divisions, designations) are recognised by
their ids or codes; another vocabulary's terms go through the need classifier; a division comes
from our division term or from the address words (province, city, county), and the level, when
absent, from the most specific division named. What cannot be placed is reported by row.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from directory.auth.models import Administrator
from directory.hsds import mapping
from directory.hsds.dataset import Dataset, UnreadableDataset, organization_of, read_dataset
from directory.hsds.vocabularies import TermRef, small_terms
from directory.spreadsheets import Grid, GridRow
from directory.institutions.importer import ImportReport, import_institutions
from directory.institutions.models import NATIONAL_DEMO_PLATFORM, InstitutionLevel
from directory.regions.models import Region, RegionLevel
from matching.classify import classify_need

COLUMNS = ["name", "level", "region_code", "services", "description", "address", "phone", "email", "website",
           "status", "demonstration_platform", "operator", "designations"]
LEVEL_OF_DIVISION = {RegionLevel.province: InstitutionLevel.provincial,
                     RegionLevel.prefecture: InstitutionLevel.municipal, RegionLevel.county: InstitutionLevel.county}
STATUS_OF_SERVICES = (("active", "active"), ("temporarily closed", "suspended"), ("inactive", "suspended"),
                      ("defunct", "closed"))


# --- converting ---------------------------------------------------------------------------------

@dataclass
class Conversion:
    """Import rows (file row numbers from 2) and the problems found before the pipeline."""

    rows: list[dict] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)   # (row, field, message)
    record_ids: dict[int, str] = field(default_factory=dict)             # row → HSDS organization id


def our_terms(session: Session) -> dict[str, TermRef]:
    """Every term id of our vocabularies (divisions included) and what it stands for."""
    known = {t["id"]: TermRef(t["taxonomy"], t["code"]) for t in small_terms(session)}
    legacy = TermRef(mapping.DESIGNATIONS, mapping.DEMONSTRATION_PLATFORM)   # still read in older exports
    known[mapping.term_id(legacy.taxonomy, legacy.code)] = legacy
    for code in session.scalars(select(Region.code)):
        known[mapping.term_id(mapping.DIVISIONS, code)] = TermRef(mapping.DIVISIONS, code)
    return known


def _term_of(attribute: dict, dataset: Dataset, known: dict[str, TermRef]) -> tuple[TermRef | None, dict | None]:
    """(our term, or None; the term record as the dataset gives it, or None)."""
    term_id = str(attribute.get("taxonomy_term_id") or (attribute.get("taxonomy_term") or {}).get("id") or "")
    term = attribute.get("taxonomy_term") if isinstance(attribute.get("taxonomy_term"), dict) else dataset.terms.get(term_id)
    if term_id in known:
        return known[term_id], term
    if term and term.get("taxonomy") in mapping.TAXONOMIES and term.get("code"):
        return TermRef(term["taxonomy"], str(term["code"])), term
    return None, term


def convert(session: Session, dataset: Dataset) -> Conversion:
    """One import row per organization, its services' categories mapped to our codes."""
    known = our_terms(session)
    categories = {ref.code for ref in known.values() if ref.taxonomy == mapping.CATEGORIES}
    services: dict[str, list[dict]] = {}
    for service in dataset.services:
        services.setdefault(organization_of(service) or "", []).append(service)
    places = _Places(session)
    conversion = Conversion()
    for org_id in services.keys() - dataset.organizations.keys():
        for service in services[org_id]:
            conversion.problems.append((0, "services", f"Service {service.get('id')} ({service.get('name')}) "
                                        f"belongs to organization {org_id or '(none)'}, which the dataset lacks."))
    for number, (org_id, organization) in enumerate(dataset.organizations.items(), start=2):
        conversion.record_ids[number] = org_id
        row = _organization_row(organization, dataset, known, places, number, conversion)
        codes, statuses = [], []
        for service in services.get(org_id, []):
            found = _service_categories(service, dataset, known, categories)
            if not found:
                conversion.problems.append((number, "services", f"Service {service.get('id')} "
                                            f"({service.get('name')}): no service category found for its terms "
                                            f"or its name."))
            codes += [code for code in found if code not in codes]
            statuses.append(str(service.get("status") or "active"))
        row["services"] = ";".join(codes)
        row["status"] = next((ours for theirs, ours in STATUS_OF_SERVICES if theirs in statuses), "active")
        conversion.rows.append(row)
    return conversion


def _service_categories(service: dict, dataset: Dataset, known: dict[str, TermRef],
                        categories: set[str]) -> list[str]:
    """Our category codes for a service: our category terms, else their terms (then its name) classified."""
    ours, words = [], []
    for attribute in service.get("attributes") or []:
        ref, term = _term_of(attribute, dataset, known)
        if ref is not None and ref.taxonomy == mapping.CATEGORIES and ref.code in categories:
            ours.append(ref.code)
        elif term is not None:
            words.append(" ".join(str(term.get(k) or "") for k in ("name", "description")))
    if ours:
        return ours
    for text in (" ".join(words), f"{service.get('name') or ''} {service.get('description') or ''}"):
        found = [match.code for match in classify_need(text)] if text.strip() else []
        if found:
            return found
    return []


def _organization_row(organization: dict, dataset: Dataset, known: dict[str, TermRef], places: "_Places",
                      number: int, conversion: Conversion) -> dict:
    phones = [p for p in organization.get("phones") or [] if isinstance(p, dict) and p.get("number")]
    address = next((a for loc in organization.get("locations") or [] if isinstance(loc, dict)
                    for a in loc.get("addresses") or [] if isinstance(a, dict)), {})
    row = {"name": organization.get("name") or "", "description": organization.get("description") or "",
           "email": organization.get("email") or "", "website": organization.get("website") or "",
           "phone": str(phones[0]["number"]) if phones else "", "address": address.get("address_1") or "",
           "level": "", "region_code": "", "demonstration_platform": "false"}
    designations = []
    for attribute in organization.get("attributes") or []:
        ref, _term = _term_of(attribute, dataset, known) if isinstance(attribute, dict) else (None, None)
        if ref is None:
            continue
        if ref.taxonomy == mapping.LEVELS:
            row["level"] = ref.code
        elif ref.taxonomy == mapping.DIVISIONS:
            row["region_code"] = ref.code
        elif ref.taxonomy == mapping.DESIGNATIONS and ref.code == mapping.DEMONSTRATION_PLATFORM:
            row["demonstration_platform"] = "true"   # an older export: the flag only
        elif ref.taxonomy == mapping.DESIGNATIONS:
            # "kind:batch; …" for the pipeline, which refuses an unknown kind as a problem of the row
            designations.append(f"{ref.code}:{str(attribute.get('value') or '')}")
            if ref.code == NATIONAL_DEMO_PLATFORM:
                row["demonstration_platform"] = "true"   # the flag column must not revoke it again
        elif ref.taxonomy == mapping.OPERATORS:
            row["operator"] = str(attribute.get("value") or "")
    row["designations"] = "; ".join(designations)
    if not row["region_code"] and row["level"] != InstitutionLevel.national.value and address:
        region = places.division(address)
        if region is not None:
            row["region_code"] = region.code
            row["level"] = row["level"] or LEVEL_OF_DIVISION[region.level].value
        elif any(address.get(k) for k in ("state_province", "city", "region")):
            words = " ".join(str(address.get(k) or "") for k in ("state_province", "city", "region")).strip()
            conversion.problems.append((number, "region_code", f"The address names no known division: {words}."))
    return row


class _Places:
    """Divisions named by address words (state_province, city, region), as our registry names them."""

    def __init__(self, session: Session):
        self.regions = list(session.scalars(select(Region).where(Region.mainland.is_(True))))

    def _named(self, word: str, parent: str | None, levels: tuple) -> Region | None:
        word = word.strip()
        if len(word) < 2:
            return None
        candidates = [r for r in self.regions if r.level in levels and (parent is None or r.parent_code == parent)]
        return next((r for r in candidates if r.name == word), None) or next(
            (r for r in candidates if r.name.startswith(word)), None)

    def division(self, address: dict) -> Region | None:
        """The most specific division the address words name, or None."""
        province = self._named(str(address.get("state_province") or ""), None, (RegionLevel.province,))
        if province is None:
            return None
        city = self._named(str(address.get("city") or ""), province.code, (RegionLevel.prefecture,))
        county = self._named(str(address.get("region") or ""), (city or province).code, (RegionLevel.county,))
        return county or city or province


# --- the pipeline -------------------------------------------------------------------------------

def pipeline_input(rows: list[dict]) -> Grid:
    """The rows as the grid the import pipeline reads: a header of canonical columns, one row each."""
    columns = [c for c in COLUMNS if any(row.get(c) for row in rows) or c in ("name", "level", "services")]
    lines = [GridRow(1, columns)] + [GridRow(number, [_cell(row.get(c)) for c in columns])
                                     for number, row in enumerate(rows, start=2)]
    return Grid(sheet_names=[], sheet="", rows=lines)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def import_hsds(session: Session, *, data: bytes, administrator: Administrator | None = None,
                dry_run: bool = False, decisions: dict[int, str] | None = None,
                designation_kind: str = NATIONAL_DEMO_PLATFORM) -> ImportReport:
    """Import an HSDS dataset with the institution import's rules and report (row n = n-1th organization)."""
    try:
        dataset = read_dataset(data)
    except UnreadableDataset as error:
        report = ImportReport(dry_run=dry_run)
        report.reject(0, "file", str(error))
        return report
    if not dataset.organizations:
        report = ImportReport(dry_run=dry_run)
        report.reject(0, "file", "The dataset holds no organizations.")
        return report
    conversion = convert(session, dataset)
    report = import_institutions(session, grid=pipeline_input(conversion.rows), administrator=administrator,
                                 dry_run=dry_run or bool(conversion.problems), decisions=decisions,
                                 designation_kind=designation_kind)
    for row, name, message in conversion.problems:
        report.reject(row, name, message)
    if conversion.problems and not dry_run:
        report.dry_run, report.created, report.updated = False, 0, 0   # refused, as any rejected file is
    for entry in report.rejected:
        entry.setdefault("record", conversion.record_ids.get(entry["row"]))
    return report
