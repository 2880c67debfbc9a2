"""Queries over the division tree."""
from sqlalchemy import Select, or_, select
from sqlmodel import Session

from directory.regions.models import Region, RegionLevel, RegionSuccessor
from directory.regions.validity import in_force
from matching.normalize import normalize_text

STATUSES = ("in_force", "retired", "all")


def get_region(session: Session, code: str) -> Region | None:
    """The division with this code, or None."""
    return session.get(Region, code)


def regions_query(*, level: RegionLevel | None = None, parent_code: str | None = None,
                  q: str | None = None, status: str = "in_force") -> Select:
    """Divisions filtered by level, parent, a name or code fragment and status (by default only
    those in force), in code order."""
    stmt = select(Region).order_by(Region.code)
    if status == "in_force":
        stmt = stmt.where(in_force())
    elif status == "retired":
        stmt = stmt.where(~in_force())
    if level:
        stmt = stmt.where(Region.level == level)
    if parent_code:
        stmt = stmt.where(Region.parent_code == parent_code)
    if q and normalize_text(q):
        term = normalize_text(q)
        stmt = stmt.where(or_(Region.name.contains(term, autoescape=True),
                              Region.code.startswith(term, autoescape=True)))
    return stmt


def child_regions(session: Session, code: str | None) -> list[Region]:
    """The divisions directly below ``code`` (the provinces when ``code`` is None)."""
    if code is None:
        return list(session.scalars(regions_query(level=RegionLevel.province)))
    return list(session.scalars(regions_query(parent_code=code)))


def predecessor_regions(session: Session, code: str) -> list[Region]:
    """The retired divisions whose area went (wholly or partly) to ``code``."""
    return list(session.scalars(select(Region).join(RegionSuccessor, RegionSuccessor.code == Region.code)
                                .where(RegionSuccessor.successor_code == code).order_by(Region.code)))


def subtree_codes(code: str) -> Select:
    """A subquery of ``code`` and the codes of every division below it."""
    tree = select(Region.code).where(Region.code == code).cte("subtree", recursive=True)
    tree = tree.union_all(select(Region.code).where(Region.parent_code == tree.c.code))
    return select(tree.c.code)


def placed(stmt: Select, column, *, region_code: str | None = None, within: str | None = None) -> Select:
    """``stmt`` kept to rows whose division ``column`` is ``region_code`` and lies ``within`` a division
    (itself or below it); either filter may be None."""
    if region_code:
        stmt = stmt.where(column == region_code)
    if within:
        stmt = stmt.where(column.in_(subtree_codes(within)))
    return stmt


def region_paths(session: Session, codes: set[str | None]) -> dict[str, list[Region]]:
    """For each code, its divisions from the province down to itself."""
    known: dict[str, Region] = {}
    wanted = {c for c in codes if c}
    while wanted - known.keys():
        missing = wanted - known.keys()
        found = list(session.scalars(select(Region).where(Region.code.in_(missing))))
        known.update((r.code, r) for r in found)
        wanted = {r.parent_code for r in found if r.parent_code} | (wanted & known.keys())
        if not found:
            break
    paths = {}
    for code in (c for c in codes if c in known):
        path, node = [], known[code]
        while node is not None:
            path.append(node)
            node = known.get(node.parent_code) if node.parent_code else None
        paths[code] = path[::-1]
    return paths


def region_path(session: Session, code: str | None) -> list[Region]:
    """The divisions from the province down to ``code`` (empty for None or unknown)."""
    return region_paths(session, {code}).get(code, []) if code else []


def is_within(session: Session, code: str | None, ancestor_code: str) -> bool:
    """Whether division ``code`` is ``ancestor_code`` or lies below it."""
    return any(r.code == ancestor_code for r in region_path(session, code))
