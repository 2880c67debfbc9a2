"""How many active institutions each division holds, itself and below it."""
from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from directory.institutions.models import Institution, InstitutionLevel, InstitutionStatus
from directory.institutions.service import count_by_level
from directory.regions.models import Region, RegionLevel
from directory.regions.service import child_regions

# The institution levels found in a division of each level or below it (a province-level
# municipality such as 北京市 holds municipal institutions itself).
LEVELS_WITHIN = {
    RegionLevel.province: [InstitutionLevel.provincial, InstitutionLevel.municipal, InstitutionLevel.county],
    RegionLevel.prefecture: [InstitutionLevel.municipal, InstitutionLevel.county],
    RegionLevel.county: [InstitutionLevel.county],
}


def active_counts_within(session: Session, codes: list[str]) -> dict[str, int]:
    """For each division code: active institutions located in it or anywhere below it."""
    if not codes:
        return {}
    tree = (select(Region.code.label("code"), Region.code.label("root"))
            .where(Region.code.in_(codes)).cte("within_tree", recursive=True))
    child = aliased(Region)
    tree = tree.union_all(select(child.code, tree.c.root).where(child.parent_code == tree.c.code))
    stmt = (select(tree.c.root, func.count(Institution.id))
            .join(Institution, Institution.region_code == tree.c.code)
            .where(Institution.status == InstitutionStatus.active)
            .group_by(tree.c.root))
    counts = dict(session.execute(stmt).all())
    return {code: counts.get(code, 0) for code in codes}


def divisions_with_counts(session: Session, parent_code: str | None, *,
                          mainland_only: bool = False) -> list[tuple[Region, int]]:
    """The divisions directly below ``parent_code`` (provinces for None), each with its count."""
    divisions = [r for r in child_regions(session, parent_code) if r.mainland or not mainland_only]
    counts = active_counts_within(session, [r.code for r in divisions])
    return [(region, counts[region.code]) for region in divisions]


def level_counts_within(session: Session, region: Region) -> dict[InstitutionLevel, int]:
    """Active institutions of each level that a division and those below it can hold."""
    counts = count_by_level(session, within=region.code)
    return {level: counts[level] for level in LEVELS_WITHIN[region.level]}
