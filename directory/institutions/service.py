"""Queries and changes of institutions; every write goes through these functions."""
from sqlalchemy import Select, case, func, select
from sqlmodel import Session

from directory.designations.service import describe_designation, kinds_by_code
from directory.institutions.designations import holding, set_demonstration_platform
from directory.institutions.models import (NATIONAL_DEMO_PLATFORM, Institution, InstitutionLevel,
                                           InstitutionService, InstitutionStatus)
from directory.institutions.rules import check_institution
from directory.regions.models import Region
from directory.regions.service import placed, region_paths
from directory.timestamps import utcnow

LEVEL_ORDER = [InstitutionLevel.national, InstitutionLevel.provincial,
               InstitutionLevel.municipal, InstitutionLevel.county]


def institutions_query(*, name_ranking: list[int] | None = None, level: InstitutionLevel | None = None,
                       region_code: str | None = None, within: str | None = None,
                       service: str | None = None, status: InstitutionStatus | None = None,
                       demonstration_platform: bool | None = None, designation: str | None = None) -> Select:
    """Institutions matching every given filter.

    With ``name_ranking`` (ids from the fuzzy name search, best first) only those, in that
    order; otherwise national first, then by region and name.
    """
    stmt = select(Institution)
    if level:
        stmt = stmt.where(Institution.level == level)
    stmt = placed(stmt, Institution.region_code, region_code=region_code, within=within)
    if service:
        stmt = stmt.where(Institution.id.in_(
            select(InstitutionService.institution_id).where(InstitutionService.category_code == service)))
    if status:
        stmt = stmt.where(Institution.status == status)
    if demonstration_platform is not None:
        national = holding(NATIONAL_DEMO_PLATFORM)
        stmt = stmt.where(national if demonstration_platform else ~national)
    if designation:
        stmt = stmt.where(holding(designation))
    if name_ranking is not None:
        stmt = stmt.where(Institution.id.in_(name_ranking))
        if not name_ranking:
            return stmt
        position = case({iid: pos for pos, iid in enumerate(name_ranking)}, value=Institution.id)
        return stmt.order_by(position, Institution.id)
    level_rank = case({lvl.value: i for i, lvl in enumerate(LEVEL_ORDER)}, value=Institution.level)
    return stmt.order_by(level_rank, Institution.region_code, Institution.name, Institution.id)


def get_institution(session: Session, institution_id: int) -> Institution | None:
    """The institution with this id, or None."""
    return session.get(Institution, institution_id)


def create_institutions(session: Session, *, rows: list[dict]) -> list[Institution]:
    """Add institutions after checking placement and services; one flush for them all."""
    # Hold the regions in the identity map so each row's checks need no query of their own.
    regions = list(session.scalars(select(Region).where(
        Region.code.in_({r.get("region_code") for r in rows if r.get("region_code")}))))
    institutions = []
    for fields in rows:
        check_institution(session, fields)
        values = dict(fields)
        services = values.pop("services")
        platform = values.pop("demonstration_platform", False)
        institution = Institution(**values)
        institution.updated_at = institution.created_at
        institution.services = services
        if institution.status == InstitutionStatus.closed:
            institution.closed_at = institution.created_at
        session.add(institution)
        set_demonstration_platform(session, institution=institution, holds=platform)
        institutions.append(institution)
    session.flush()
    del regions
    return institutions


def create_institution(session: Session, *, fields: dict) -> Institution:
    """Add one institution after checking its placement and services."""
    return create_institutions(session, rows=[fields])[0]


def update_institution(session: Session, *, institution: Institution, changes: dict) -> Institution:
    """Apply a partial update; the merged record must satisfy every rule."""
    merged = {"level": institution.level, "region_code": institution.region_code,
              "services": institution.services} | changes
    check_institution(session, merged, kept_region=institution.region_code)
    changes = dict(changes)
    platform = changes.pop("demonstration_platform", None)
    if changes or platform is None:
        previous_status = institution.status
        for field, value in changes.items():
            setattr(institution, field, value)
        if institution.status != previous_status:
            institution.closed_at = utcnow() if institution.status == InstitutionStatus.closed else None
        institution.updated_at = utcnow()
        session.add(institution)
        session.flush()
    if platform is not None:   # the derived flag written: a designation granted or revoked
        set_demonstration_platform(session, institution=institution, holds=platform)
    return institution


def close_institution(session: Session, *, institution: Institution) -> Institution:
    """Mark an institution closed; nothing is erased."""
    return update_institution(session, institution=institution, changes={"status": InstitutionStatus.closed})


def describe_institutions(session: Session, institutions: list[Institution]) -> list[dict]:
    """Institutions as plain dicts with their region paths, for schemas and templates."""
    paths = region_paths(session, {i.region_code for i in institutions})
    kinds = kinds_by_code(session) if any(i.designations for i in institutions) else {}
    return [institution.model_dump() | {
        "services": institution.services, "region_path": paths.get(institution.region_code, []),
        "demonstration_platform": institution.demonstration_platform,
        "designations": [describe_designation(d, kinds) for d in institution.designations]}
        for institution in institutions]


def describe_institution(session: Session, institution: Institution) -> dict:
    """One institution as a plain dict with its region path."""
    return describe_institutions(session, [institution])[0]


def count_by_level(session: Session, *, within: str | None = None,
                   status: InstitutionStatus | None = InstitutionStatus.active) -> dict[InstitutionLevel, int]:
    """How many institutions (by default: active ones) each level holds, optionally within a division."""
    stmt = select(Institution.level, func.count()).group_by(Institution.level)
    if status:
        stmt = stmt.where(Institution.status == status)
    stmt = placed(stmt, Institution.region_code, within=within)
    counts = dict(session.execute(stmt).all())
    return {level: counts.get(level, 0) for level in LEVEL_ORDER}
