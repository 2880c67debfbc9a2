"""An institution's place in the network: the institutions above it, beside it and below it."""
from sqlalchemy import func, select
from sqlmodel import Session

from directory.institutions.designations import holding
from directory.institutions.models import NATIONAL_DEMO_PLATFORM, Institution, InstitutionLevel, InstitutionStatus
from directory.institutions.service import (LEVEL_ORDER, count_by_level, describe_institutions,
                                            institutions_query)
from directory.institutions.region_counts import level_counts_within
from directory.regions.service import get_region, region_path


def institutions_above(session: Session, institution: Institution) -> list[Institution]:
    """Active institutions of the levels above on its chain of divisions, highest first.

    For a provincial institution these are the national hubs; below that, its province's
    provincial institutions and, for a county one, its prefecture's municipal ones.
    """
    rank = LEVEL_ORDER.index(institution.level)
    if rank == 0:
        return []
    if rank == 1:
        levels, placed = [InstitutionLevel.national], Institution.region_code.is_(None)
    else:
        chain = [region.code for region in region_path(session, institution.region_code)]
        levels, placed = LEVEL_ORDER[1:rank], Institution.region_code.in_(chain)
    stmt = institutions_query(status=InstitutionStatus.active).where(Institution.level.in_(levels), placed)
    return list(session.scalars(stmt))


def institutions_beside(session: Session, institution: Institution) -> list[Institution]:
    """Other active institutions of the same level in the same division."""
    same_place = (Institution.region_code.is_(None) if institution.region_code is None
                  else Institution.region_code == institution.region_code)
    stmt = institutions_query(level=institution.level, status=InstitutionStatus.active).where(
        Institution.id != institution.id, same_place)
    return list(session.scalars(stmt))


def counts_below(session: Session, institution: Institution) -> dict[InstitutionLevel, int]:
    """Active institutions of each lower level in its division and below it (all, for national)."""
    rank = LEVEL_ORDER.index(institution.level)
    counts = (count_by_level(session) if institution.region_code is None
              else level_counts_within(session, get_region(session, institution.region_code)))
    return {level: counts[level] for level in LEVEL_ORDER[rank + 1:] if level in counts}


def demonstration_platform_count(session: Session) -> int:
    """Active institutions recognised as national demonstration platforms."""
    return session.scalar(select(func.count()).select_from(Institution).where(
        holding(NATIONAL_DEMO_PLATFORM), Institution.status == InstitutionStatus.active))


def located_by_level(session: Session, region_code: str) -> dict[InstitutionLevel, list[dict]]:
    """The institutions whose division is exactly ``region_code``, described, grouped by level."""
    described = describe_institutions(session, list(session.scalars(institutions_query(region_code=region_code))))
    groups: dict[InstitutionLevel, list[dict]] = {}
    for row in described:
        groups.setdefault(row["level"], []).append(row)
    return groups
