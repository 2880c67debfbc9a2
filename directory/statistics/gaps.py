"""Where the network is missing: uncovered divisions by province, and category blind spots."""
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from directory.institutions.models import Institution, InstitutionService, InstitutionStatus
from directory.institutions.rules import REGION_LEVEL_FOR
from directory.regions.editions import province_code_of
from directory.regions.models import Region, RegionLevel
from directory.regions.service import subtree_codes
from directory.regions.validity import in_force
from directory.statistics.coverage import uncovered_divisions

# The institution level that covers each division level ("prefecture" -> "municipal").
LEVEL_IN = {region_level.value: level.value for level, region_level in REGION_LEVEL_FOR.items()}


def uncovered_by_province(session: Session, *, region_code: str | None = None) -> list[dict]:
    """Divisions lacking an active institution of their level, grouped by province (code order)."""
    uncovered = uncovered_divisions(session, region_code=region_code)
    grouped: dict[str, dict] = {}
    for division in uncovered:
        levels = grouped.setdefault(province_code_of(division["code"]),
                                    {level.value: [] for level in REGION_LEVEL_FOR})
        levels[LEVEL_IN[division["level"]]].append({"code": division["code"], "name": division["name"]})
    names = {code: name for code, name in session.execute(
        select(Region.code, Region.name).where(Region.code.in_(list(grouped))))}
    return [{"code": code, "name": names.get(code, ""),
             "uncovered": {level: len(divisions) for level, divisions in levels.items()},
             "divisions": levels}
            for code, levels in sorted(grouped.items())]


def category_blind_spots(session: Session, *, category: str, region_code: str | None = None) -> list[dict]:
    """County-level divisions where no active institution in the county, its prefecture or its
    province offers ``category`` (national institutions do not count)."""
    # The divisions holding a provider are few: read them once and test each county's chain
    # against them, instead of an EXISTS over three divisions per county.
    offering = set(session.scalars(
        select(Institution.region_code).distinct()
        .join(InstitutionService, InstitutionService.institution_id == Institution.id)
        .where(InstitutionService.category_code == category, Institution.status == InstitutionStatus.active,
               Institution.region_code.is_not(None))))
    parent = aliased(Region)
    stmt = (select(Region.code, Region.name, Region.parent_code, parent.parent_code)
            .outerjoin(parent, parent.code == Region.parent_code)
            .where(Region.level == RegionLevel.county, Region.mainland.is_(True), in_force())
            .order_by(Region.code))
    if region_code:
        stmt = stmt.where(Region.code.in_(subtree_codes(region_code)))
    return [{"code": code, "name": name, "parent_code": parent_code}
            for code, name, parent_code, grandparent_code in session.execute(stmt)
            if not {code, parent_code, grandparent_code} & offering]
