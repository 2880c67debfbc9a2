"""Coverage side by side: every province of the country, or every prefecture (and county) of a
province — the tables an official reads to see where the network is thin. Counted in SQL."""
from datetime import date

from sqlalchemy import case, func, literal, literal_column, select, union_all
from sqlmodel import Session

from directory.institutions.models import Institution
from directory.institutions.rules import REGION_LEVEL_FOR
from directory.regions.models import Region, RegionLevel
from directory.regions.service import child_regions
from directory.regions.validity import in_force
from directory.statistics.active import active_at, moment_of
from directory.statistics.coverage import holds_active


def _prefix(column, length: int):
    """The first ``length`` characters of a code, with the numbers inlined so that PostgreSQL sees
    the same expression in SELECT and GROUP BY."""
    return func.substr(column, literal_column("1"), literal_column(str(int(length))))


def _covered_flags(moment, day: date | None, prefix_length: int, within: str | None):
    """(group key, level, 1 if covered) for every mainland division in force on ``day``, grouped by a code prefix."""
    parts = []
    for level, region_level in REGION_LEVEL_FOR.items():
        stmt = select(_prefix(Region.code, prefix_length).label("key"), literal(level.value).label("level"),
                      case((holds_active(level, moment), 1), else_=0).label("covered")).where(
            Region.level == region_level, Region.mainland.is_(True), in_force(day))
        if within:
            stmt = stmt.where(_prefix(Region.code, 2) == within[:2])
        parts.append(stmt)
    return union_all(*parts).subquery()


def _rates(session: Session, day: date | None, prefix_length: int, within: str | None) -> dict[str, dict]:
    moment = moment_of(day)
    flags = _covered_flags(moment, day, prefix_length, within)
    figures: dict[str, dict] = {}
    for key, level, divisions, covered in session.execute(
            select(flags.c.key, flags.c.level, func.count(), func.sum(flags.c.covered))
            .group_by(flags.c.key, flags.c.level)):
        figures.setdefault(key, {})[level] = {"divisions": divisions, "covered": int(covered or 0)}
    institutions = select(_prefix(Institution.region_code, prefix_length), func.count()).where(
        Institution.region_code.is_not(None), active_at(moment)).group_by(
        _prefix(Institution.region_code, prefix_length))
    counts = dict(session.execute(institutions).all())
    return {key: levels | {"institutions": counts.get(key, 0)} for key, levels in figures.items()}


def _row(region: Region, figures: dict) -> dict:
    empty = {"divisions": 0, "covered": 0}
    levels = {level.value: figures.get(level.value, empty) for level in REGION_LEVEL_FOR}
    upper = [levels["provincial"], levels["municipal"]]
    divisions, covered = sum(l["divisions"] for l in upper), sum(l["covered"] for l in upper)
    county = levels["county"]
    return {"code": region.code, "name": region.name, "levels": levels, "institutions": figures.get("institutions", 0),
            "municipal_and_above_rate": covered / divisions if divisions else None,
            "county_rate": county["covered"] / county["divisions"] if county["divisions"] else None}


def provinces_table(session: Session, *, as_of: date | None = None) -> list[dict]:
    """Each mainland province: its own coverage, its prefectures and counties covered, institutions."""
    figures = _rates(session, as_of, 2, None)
    return [_row(province, figures.get(province.code[:2], {}))
            for province in child_regions(session, None) if province.mainland]


def prefectures_table(session: Session, *, province_code: str, as_of: date | None = None) -> list[dict]:
    """Each prefecture of a province (with its counties), or the province's counties where it has
    no prefectures (北京, 上海, …); a prefecture's own row counts itself as municipal coverage."""
    figures = _rates(session, as_of, 4, province_code)
    rows = []
    for region in child_regions(session, province_code):
        if region.level != RegionLevel.prefecture:
            continue
        row = _row(region, figures.get(region.code[:4], {}))
        row["levels"]["provincial"] = {"divisions": 0, "covered": 0}
        rows.append(row)
    return rows


def counties_of(session: Session, *, province_code: str, as_of: date | None = None) -> list[dict]:
    """Every county-level division of a province with its prefecture and whether it is covered."""
    level, region_level = next((lvl, rl) for lvl, rl in REGION_LEVEL_FOR.items() if rl == RegionLevel.county)
    parent = select(Region.code, Region.name).subquery()
    stmt = (select(Region.code, Region.name, Region.parent_code, parent.c.name,
                   case((holds_active(level, moment_of(as_of)), True), else_=False))
            .join(parent, parent.c.code == Region.parent_code)
            .where(Region.level == region_level, _prefix(Region.code, 2) == province_code[:2], in_force(as_of))
            .order_by(Region.code))
    return [{"code": code, "name": name, "parent_code": parent_code, "parent_name": parent_name,
             "covered": bool(covered)}
            for code, name, parent_code, parent_name, covered in session.execute(stmt)]
