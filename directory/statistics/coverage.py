"""Coverage of the network by level, as docs/contract.md "Coverage statistics" defines it.

A division is covered when it holds at least one *active* institution of the matching
level (provincial ↔ province, municipal ↔ prefecture, county ↔ county). Hong Kong, Macao
and Taiwan are outside the denominators. Everything is counted in the database. With
``as_of`` the figures are those at the end of that day (see ``active.active_at``), counted
against the divisions in force that day (``regions.validity.in_force``).
"""
from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlmodel import Session

from directory.institutions.models import Institution, InstitutionLevel
from directory.institutions.rules import REGION_LEVEL_FOR
from directory.pagination import count_rows
from directory.regions.models import Region, RegionLevel, RegionSuccessor
from directory.regions.service import get_region, subtree_codes
from directory.regions.validity import edition_name, in_force
from directory.statistics.active import active_at, moment_of


def province_error(session: Session, region_code: str | None) -> str | None:
    """Why ``region_code`` cannot scope the statistics (they look inside a province), or None."""
    if region_code is None:
        return None
    region = get_region(session, region_code)
    if region is None:
        return f"Unknown region code {region_code}."
    if region.level != RegionLevel.province or not region.mainland:
        return f"{region.name} ({region_code}) is not a mainland province; statistics look inside a province."
    return None


def holds_active(level: InstitutionLevel, moment=None):
    """SQL: the division (``Region`` row) holds an institution of ``level`` active at ``moment`` (None: now).

    In the past, an institution moved to a division's successor still counts for that division.
    """
    here = exists().where(and_(Institution.region_code == Region.code, Institution.level == level,
                               active_at(moment)))
    if moment is None:
        return here
    moved_here = exists().where(and_(RegionSuccessor.code == Region.code,
                                     Institution.region_code == RegionSuccessor.successor_code,
                                     Institution.level == level, active_at(moment)))
    # Only retired divisions have successors: the guard keeps the second look to those few rows.
    return or_(here, and_(Region.retired_on.is_not(None), moved_here))


def _divisions(region_level, region_code: str | None, as_of: date | None = None):
    stmt = select(Region.code).where(Region.level == region_level, Region.mainland.is_(True), in_force(as_of))
    if region_code:
        stmt = stmt.where(Region.code.in_(subtree_codes(region_code)))
    return stmt


def _active_institutions(session: Session, level: InstitutionLevel, region_code: str | None,
                         moment=None) -> int:
    stmt = select(Institution.id).where(Institution.level == level, active_at(moment))
    if region_code:
        stmt = stmt.where(Institution.region_code.in_(subtree_codes(region_code)))
    return count_rows(session, stmt)


def coverage_by_level(session: Session, *, region_code: str | None = None,
                      as_of: date | None = None) -> list[dict]:
    """Divisions, covered divisions, rate and active institutions for each sub-national level."""
    moment = moment_of(as_of)
    levels = []
    for level, region_level in REGION_LEVEL_FOR.items():
        divisions = _divisions(region_level, region_code, as_of)
        total = count_rows(session, divisions)
        covered = count_rows(session, divisions.where(holds_active(level, moment)))
        levels.append({"level": level.value, "divisions": total, "covered": covered,
                       "rate": covered / total if total else 0.0,
                       "institutions": _active_institutions(session, level, region_code, moment)})
    return levels


def uncovered_divisions(session: Session, *, region_code: str | None = None,
                        as_of: date | None = None) -> list[dict]:
    """Every division that lacks an active institution of its matching level."""
    moment = moment_of(as_of)
    rows = []
    for level, region_level in REGION_LEVEL_FOR.items():
        stmt = (select(Region.code, Region.name, Region.level)
                .where(Region.code.in_(_divisions(region_level, region_code, as_of)), ~holds_active(level, moment))
                .order_by(Region.code))
        rows += [{"code": code, "name": name, "level": lvl.value} for code, name, lvl in session.execute(stmt)]
    return rows


def coverage_summary(session: Session, *, region_code: str | None = None,
                     as_of: date | None = None) -> dict:
    """The whole coverage report of docs/contract.md, nationally or inside ``region_code``."""
    levels = coverage_by_level(session, region_code=region_code, as_of=as_of)
    upper = [lvl for lvl in levels if lvl["level"] in ("provincial", "municipal")]
    divisions = sum(lvl["divisions"] for lvl in upper)
    covered = sum(lvl["covered"] for lvl in upper)
    national = 0 if region_code else count_rows(session, select(Institution.id).where(
        Institution.level == InstitutionLevel.national, active_at(moment_of(as_of))))
    return {
        "levels": levels,
        "national_institutions": national,
        "municipal_and_above": {"divisions": divisions, "covered": covered,
                                "rate": covered / divisions if divisions else 0.0},
        "uncovered": uncovered_divisions(session, region_code=region_code, as_of=as_of),
        "as_of": as_of.isoformat() if as_of else None,
        "divisions_edition": edition_name(session),
    }
