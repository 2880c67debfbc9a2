"""Coverage of the network by level, as CONTRACT.md "Coverage statistics" defines it.

A division is covered when it holds at least one *active* institution of the matching
level (provincial ↔ province, municipal ↔ prefecture, county ↔ county). Hong Kong, Macao
and Taiwan are outside the denominators. Everything is counted in the database.
"""
from sqlalchemy import and_, exists, select
from sqlmodel import Session

from directory.institutions.models import Institution, InstitutionLevel, InstitutionStatus
from directory.institutions.rules import REGION_LEVEL_FOR
from directory.pagination import count_rows
from directory.regions.models import Region
from directory.regions.service import subtree_codes


def _holds_active(level: InstitutionLevel):
    return exists().where(and_(Institution.region_code == Region.code, Institution.level == level,
                               Institution.status == InstitutionStatus.active))


def _divisions(region_level, region_code: str | None):
    stmt = select(Region.code).where(Region.level == region_level, Region.mainland.is_(True))
    if region_code:
        stmt = stmt.where(Region.code.in_(subtree_codes(region_code)))
    return stmt


def _active_institutions(session: Session, level: InstitutionLevel, region_code: str | None) -> int:
    stmt = select(Institution.id).where(Institution.level == level,
                                        Institution.status == InstitutionStatus.active)
    if region_code:
        stmt = stmt.where(Institution.region_code.in_(subtree_codes(region_code)))
    return count_rows(session, stmt)


def coverage_by_level(session: Session, *, region_code: str | None = None) -> list[dict]:
    """Divisions, covered divisions, rate and active institutions for each sub-national level."""
    levels = []
    for level, region_level in REGION_LEVEL_FOR.items():
        divisions = _divisions(region_level, region_code)
        total = count_rows(session, divisions)
        covered = count_rows(session, divisions.where(_holds_active(level)))
        levels.append({"level": level.value, "divisions": total, "covered": covered,
                       "rate": covered / total if total else 0.0,
                       "institutions": _active_institutions(session, level, region_code)})
    return levels


def uncovered_divisions(session: Session, *, region_code: str | None = None) -> list[dict]:
    """Every division that lacks an active institution of its matching level."""
    rows = []
    for level, region_level in REGION_LEVEL_FOR.items():
        stmt = (select(Region.code, Region.name, Region.level)
                .where(Region.code.in_(_divisions(region_level, region_code)), ~_holds_active(level))
                .order_by(Region.code))
        rows += [{"code": code, "name": name, "level": lvl.value} for code, name, lvl in session.execute(stmt)]
    return rows


def coverage_summary(session: Session, *, region_code: str | None = None) -> dict:
    """The whole coverage report of CONTRACT.md, nationally or inside ``region_code``."""
    levels = coverage_by_level(session, region_code=region_code)
    upper = [lvl for lvl in levels if lvl["level"] in ("provincial", "municipal")]
    divisions = sum(lvl["divisions"] for lvl in upper)
    covered = sum(lvl["covered"] for lvl in upper)
    national = 0 if region_code else count_rows(session, select(Institution.id).where(
        Institution.level == InstitutionLevel.national, Institution.status == InstitutionStatus.active))
    return {
        "levels": levels,
        "national_institutions": national,
        "municipal_and_above": {"divisions": divisions, "covered": covered,
                                "rate": covered / divisions if divisions else 0.0},
        "uncovered": uncovered_divisions(session, region_code=region_code),
    }
