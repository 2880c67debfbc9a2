"""Where a division lies, in words: its province and prefecture by name, so that 新华区 or 城东区
are never ambiguous; and lists of divisions grouped province → prefecture for the /stats page."""
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from directory.regions.models import Region, RegionLevel


def with_places(session: Session, divisions: list[dict]) -> list[dict]:
    """``divisions`` (dicts with a ``code``) with ``province_code``/``province_name`` and
    ``prefecture_code``/``prefecture_name`` added (None where the division has no prefecture)."""
    places = division_places(session, [d["code"] for d in divisions])
    return [division | places.get(division["code"], _NOWHERE) for division in divisions]


_NOWHERE = {"province_code": None, "province_name": None, "prefecture_code": None, "prefecture_name": None}


def division_places(session: Session, codes: list[str]) -> dict[str, dict]:
    """The province and prefecture (code and name) of each division in ``codes``, in one query."""
    if not codes:
        return {}
    parent, grandparent = aliased(Region), aliased(Region)
    stmt = (select(Region.code, Region.name, Region.level, parent.code, parent.name, parent.level,
                   grandparent.code, grandparent.name, grandparent.level)
            .outerjoin(parent, parent.code == Region.parent_code)
            .outerjoin(grandparent, grandparent.code == parent.parent_code))
    wanted = set(codes)
    if len(wanted) <= 500:
        stmt = stmt.where(Region.code.in_(wanted))
    places = {}
    for row in session.execute(stmt):
        if row[0] not in wanted:
            continue
        chain = [(row[i], row[i + 1], row[i + 2]) for i in (0, 3, 6) if row[i] is not None]
        province = next(((c, n) for c, n, level in chain if level == RegionLevel.province), (None, None))
        prefecture = next(((c, n) for c, n, level in chain if level == RegionLevel.prefecture), (None, None))
        places[row[0]] = {"province_code": province[0], "province_name": province[1],
                          "prefecture_code": prefecture[0], "prefecture_name": prefecture[1]}
    return places


def grouped_by_place(divisions: list[dict]) -> list[dict]:
    """Divisions (with places) grouped by province, then prefecture, in code order.

    Each province: ``code``, ``name``, ``count``, ``upper`` (the province itself and its
    prefectures when they are listed) and ``prefectures``: groups of county-level divisions,
    each ``{"code", "name", "counties"}``; counties directly under the province form a group
    whose ``code`` is None.
    """
    provinces: dict[str, dict] = {}
    for division in sorted(divisions, key=lambda d: d["code"]):
        code = division["province_code"] or division["code"][:2] + "0000"
        province = provinces.setdefault(code, {"code": code, "name": division["province_name"] or code,
                                               "count": 0, "upper": [], "prefectures": {}})
        province["count"] += 1
        if division["level"] in (RegionLevel.province.value, RegionLevel.prefecture.value):
            province["upper"].append(division)
            continue
        group = province["prefectures"].setdefault(
            division["prefecture_code"], {"code": division["prefecture_code"],
                                          "name": division["prefecture_name"], "counties": []})
        group["counties"].append(division)
    return [province | {"prefectures": sorted(province["prefectures"].values(),
                                              key=lambda g: (g["code"] is not None, g["code"] or ""))}
            for _, province in sorted(provinces.items())]
