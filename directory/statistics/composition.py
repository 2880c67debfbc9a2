"""What the active network is made of: demonstration platforms, categories and levels."""
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from directory.categories.service import list_categories
from directory.institutions.designations import holding
from directory.institutions.models import NATIONAL_DEMO_PLATFORM, Institution, InstitutionLevel, InstitutionService
from directory.regions.service import subtree_codes
from directory.statistics.active import active_at, moment_of

LEVELS = [level.value for level in InstitutionLevel]


def _in_scope(stmt, region_code: str | None, as_of: date | None):
    stmt = stmt.where(active_at(moment_of(as_of)))
    if region_code:
        stmt = stmt.where(Institution.region_code.in_(subtree_codes(region_code)))
    return stmt


def _per_level(rows) -> dict[str, int]:
    counts = dict.fromkeys(LEVELS, 0)
    for level, count in rows:
        counts[InstitutionLevel(level).value] = count
    return counts


def demonstration_platforms(session: Session, *, region_code: str | None = None,
                            as_of: date | None = None) -> dict:
    """Active institutions holding a national demonstration platform designation (on ``as_of``),
    in total and per level."""
    stmt = _in_scope(select(Institution.level, func.count(Institution.id))
                     .where(holding(NATIONAL_DEMO_PLATFORM, day=as_of))
                     .group_by(Institution.level), region_code, as_of)
    by_level = _per_level(session.execute(stmt))
    return {"total": sum(by_level.values()), "by_level": by_level}


def institutions_by_category(session: Session, *, region_code: str | None = None,
                             as_of: date | None = None) -> list[dict]:
    """For each service category (contract order), the active institutions offering it, per level."""
    stmt = _in_scope(select(InstitutionService.category_code, Institution.level, func.count(Institution.id))
                     .join(Institution, Institution.id == InstitutionService.institution_id)
                     .group_by(InstitutionService.category_code, Institution.level), region_code, as_of)
    counted: dict[str, list] = {}
    for code, level, count in session.execute(stmt):
        counted.setdefault(code, []).append((level, count))
    rows = []
    for category in list_categories(session):
        by_level = _per_level(counted.get(category.code, []))
        rows.append({"code": category.code, "name_zh": category.name_zh, "name_en": category.name_en,
                     "institutions": sum(by_level.values()), "by_level": by_level})
    return rows
