"""Designations counted by kind, by the holder's level and by province, today or on a past day.

A designation counts on a day when it was granted on or before it (or on an unknown day) and not
revoked by then, and its institution was active then (as every figure of the network is read).
"""
from datetime import date

from sqlalchemy import func, literal_column, select
from sqlmodel import Session

from directory.designations.models import Designation
from directory.designations.service import active_on, list_kinds
from directory.institutions.models import Institution, InstitutionLevel
from directory.regions.service import child_regions, subtree_codes
from directory.statistics.active import active_at, moment_of, today

LEVELS = [level.value for level in InstitutionLevel]


def _province_of(column):
    """The province code of a division code (SQL), with the numbers inlined for PostgreSQL's GROUP BY."""
    return func.substr(column, literal_column("1"), literal_column("2"))


def designation_counts(session: Session, *, region_code: str | None = None, as_of: date | None = None) -> dict:
    """Designations in force (at the end of ``as_of``, or today), nationally or inside a province:
    per kind (with the holders' levels) and per province (per kind)."""
    province = _province_of(Institution.region_code).label("province")
    stmt = (select(Designation.kind, Institution.level, province, func.count(Designation.id))
            .join(Institution, Institution.id == Designation.institution_id)
            .where(active_on(as_of or today()), active_at(moment_of(as_of)))
            .group_by(Designation.kind, Institution.level, province))
    if region_code:
        stmt = stmt.where(Institution.region_code.in_(subtree_codes(region_code)))
    rows = session.execute(stmt).all()
    kinds = list_kinds(session)
    provinces = [p for p in child_regions(session, None) if p.mainland and (not region_code or p.code == region_code)]
    by_kind = []
    for kind in kinds:
        by_level = dict.fromkeys(LEVELS, 0)
        for code, level, _province, count in rows:
            if code == kind.code:
                by_level[InstitutionLevel(level).value] += count
        by_kind.append({"kind": kind.code, "name_zh": kind.name_zh, "name_en": kind.name_en,
                        "level": kind.level.value, "designations": sum(by_level.values()), "by_level": by_level})
    by_province = []
    for region in provinces:
        counts = dict.fromkeys((k.code for k in kinds), 0)
        for code, _level, prefix, count in rows:
            if prefix == region.code[:2]:
                counts[code] = counts.get(code, 0) + count
        by_province.append({"code": region.code, "name": region.name, "designations": sum(counts.values()),
                            "by_kind": counts})
    return {"as_of": as_of.isoformat() if as_of else None, "region_code": region_code,
            "total": sum(k["designations"] for k in by_kind), "by_kind": by_kind, "by_province": by_province}
