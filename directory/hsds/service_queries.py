"""Pages and single records of the HSDS API: filters turned into SQL, one page of rows turned into records."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, false, func, select
from sqlmodel import Session

from directory.categories.service import list_categories
from directory.designations.models import Designation
from directory.designations.service import active_on
from directory.institutions.designations import holding
from directory.timestamps import today
from directory.hsds import mapping
from directory.hsds.queries import context_for, public_services
from directory.hsds.vocabularies import resolve_term, taxonomy_key
from directory.institutions.models import Institution, InstitutionLevel, InstitutionService, InstitutionStatus
from directory.regions.service import subtree_codes


@dataclass(frozen=True)
class ServiceFilter:
    """The HSDS query parameters that select services (ids as the client sent them)."""

    search: str | None = None
    term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None


def institution_ids_for(session: Session, organization_id: str) -> list[int]:
    """The active institution whose organization id this is ([] when none)."""
    ids = session.scalars(select(Institution.id).where(Institution.status == InstitutionStatus.active))
    return [i for i in ids if mapping.organization_id(i) == organization_id]


def _term_conditions(session: Session, term_id: str) -> tuple[tuple, list[str] | None]:
    """(conditions on institutions, category codes or None) selecting services with this term."""
    ref = resolve_term(session, term_id)
    if ref is None:
        return (false(),), None
    if ref.taxonomy == mapping.CATEGORIES:
        return (), [ref.code]
    if ref.taxonomy == mapping.LEVELS:
        return (Institution.level == InstitutionLevel(ref.code),), None
    if ref.taxonomy == mapping.DIVISIONS:
        return (Institution.region_code.in_(subtree_codes(ref.code)),), None
    if ref.taxonomy == mapping.DESIGNATIONS:
        return (holding(ref.code),), None
    return _taxonomy_conditions(ref.taxonomy), None


def _taxonomy_conditions(key: str | None) -> tuple:
    if key in (mapping.CATEGORIES, mapping.LEVELS):
        return ()   # every service has a category and every organization a level
    if key == mapping.DIVISIONS:
        return (Institution.region_code.is_not(None),)
    if key == mapping.DESIGNATIONS:   # holds any active designation
        return (Institution.id.in_(select(Designation.institution_id).where(active_on(today()))),)
    if key == mapping.OPERATORS and hasattr(Institution, "operator"):
        return (Institution.operator.is_not(None),)
    return (false(),)


def services_query(session: Session, wanted: ServiceFilter, names: dict[str, str]) -> Select:
    """(institution, category code) rows of the services the filter selects."""
    conditions, codes = (), None
    if wanted.term_id:
        conditions, codes = _term_conditions(session, wanted.term_id)
    if wanted.taxonomy_id:
        conditions += _taxonomy_conditions(taxonomy_key(wanted.taxonomy_id))
    organization_ids = institution_ids_for(session, wanted.organization_id) if wanted.organization_id else None
    return public_services(search=wanted.search, modified_after=wanted.modified_after,
                           organization_ids=organization_ids, category_codes=codes, names=names,
                           conditions=conditions)


def service_page(session: Session, wanted: ServiceFilter, *, offset: int, limit: int, full: bool = False,
                 minimal: bool = False, at_location: bool = False) -> tuple[int, list[dict]]:
    """(total, one page) of services, or of their service_at_location links with ``at_location``."""
    names = {c.code: c.name_zh for c in list_categories(session)}
    stmt = services_query(session, wanted, names)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    if offset >= total:
        return total, []
    rows = list(session.execute(stmt.offset(offset).limit(limit)))
    page_context = context_for(session, [institution for institution, _code in rows])
    return total, [_service_shape(institution, code, page_context, full=full, minimal=minimal,
                                  at_location=at_location) for institution, code in rows]


def _service_shape(institution: Institution, code: str, context: mapping.Context, *, full: bool,
                   minimal: bool, at_location: bool) -> dict:
    if at_location:
        if full:
            return mapping.service_at_location_record(institution, code, context)
        return mapping.service_at_location_summary(institution, code)
    if minimal:
        summary = mapping.service_summary(institution, code, context)
        return {key: summary[key] for key in ("id", "name", "status", "last_modified")}
    if full:
        return mapping.service_record(institution, code, context, with_organization=True)
    return mapping.service_summary(institution, code, context)


def service_for(session: Session, record_id: str, *, nested: bool = False, at_location: bool = False) -> dict | None:
    """The service (or service_at_location) with this id, of an active institution; None if none."""
    make_id = mapping.service_at_location_id if at_location else mapping.service_id
    pairs = session.execute(select(InstitutionService.institution_id, InstitutionService.category_code)
                            .join(Institution, Institution.id == InstitutionService.institution_id)
                            .where(Institution.status == InstitutionStatus.active))
    found = next(((i, code) for i, code in pairs if make_id(i, code) == record_id), None)
    if found is None:
        return None
    institution = session.get(Institution, found[0])
    context = context_for(session, [institution])
    if at_location:
        return mapping.service_at_location_record(institution, found[1], context)
    return mapping.service_record(institution, found[1], context, with_organization=nested)


def organization_page(session: Session, stmt: Select, *, offset: int, limit: int, full: bool = False,
                      full_service: bool = False, with_services: bool = False) -> tuple[int, list[dict]]:
    """(total, one page) of organizations; ``full`` nests locations, attributes and metadata."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    if offset >= total:
        return total, []
    institutions = list(session.scalars(stmt.offset(offset).limit(limit)))
    context = context_for(session, institutions)
    records = []
    for institution in institutions:
        record = (mapping.organization_record(institution, context) if full or full_service
                  else mapping.organization_summary(institution))
        if with_services or full_service:
            record["services"] = [
                mapping.service_record(institution, code, context) if full_service
                else {key: value for key, value in mapping.service_summary(institution, code, context).items()
                      if key in ("id", "name", "status")}
                for code in institution.services]
        records.append(record)
    return total, records
