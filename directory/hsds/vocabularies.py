"""Our taxonomies and their terms as HSDS records, with the lookups the API filters need.

The small vocabularies (categories, levels, designations, operators) are listed in memory; the
division terms come from the region table, paged in SQL after them.
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from directory.categories.service import list_categories
from directory.hsds import mapping
from directory.regions.models import Region


@dataclass(frozen=True)
class TermRef:
    """What a term id stands for: a vocabulary and a local code."""

    taxonomy: str
    code: str


def taxonomies() -> list[dict]:
    return [mapping.taxonomy_record(key) for key in mapping.TAXONOMIES]


def taxonomy_key(taxonomy_id: str) -> str | None:
    """Our vocabulary with this id, or None."""
    return next((key for key in mapping.TAXONOMIES if mapping.taxonomy_id(key) == taxonomy_id), None)


def small_terms(session: Session) -> list[dict]:
    """Terms of every vocabulary except the divisions."""
    return [mapping.category_term(c) for c in list_categories(session)] + mapping.fixed_terms()


def resolve_term(session: Session, term_id: str) -> TermRef | None:
    """The vocabulary and code of a term id (divisions looked up among every division code)."""
    for term in small_terms(session):
        if term["id"] == term_id:
            return TermRef(term["taxonomy"], term["code"])
    for code in session.scalars(select(Region.code)):
        if mapping.term_id(mapping.DIVISIONS, code) == term_id:
            return TermRef(mapping.DIVISIONS, code)
    return None


def _division_query(*, search: str | None, parent_code: str | None, top_only: bool):
    stmt = select(Region)
    if search:
        stmt = stmt.where(func.lower(Region.name).contains(search.lower(), autoescape=True)
                          | (Region.code == search))
    if parent_code is not None:
        stmt = stmt.where(Region.parent_code == parent_code)
    if top_only:
        stmt = stmt.where(Region.parent_code.is_(None))
    return stmt


def term_page(session: Session, *, offset: int, limit: int, search: str | None = None,
              taxonomy: str | None = None, parent_id: str | None = None,
              top_only: bool = False) -> tuple[int, list[dict]]:
    """(total, one page of terms) matching the filters; divisions come last, in code order."""
    parent = resolve_term(session, parent_id) if parent_id else None
    if parent_id and (parent is None or parent.taxonomy != mapping.DIVISIONS):
        return 0, []   # only divisions have parents
    small = [] if parent is not None else [
        t for t in small_terms(session) if (taxonomy in (None, t["taxonomy"]))
        and (not search or search.lower() in t["name"].lower() or search == t["code"])]
    divisions = None
    if taxonomy in (None, mapping.DIVISIONS):
        divisions = _division_query(search=search, parent_code=parent.code if parent else None, top_only=top_only)
    total_divisions = session.scalar(select(func.count()).select_from(divisions.subquery())) if divisions is not None else 0
    page = small[offset:offset + limit]
    if divisions is not None and len(page) < limit and offset + len(page) < len(small) + total_divisions:
        start = max(0, offset - len(small))
        regions = session.scalars(divisions.order_by(Region.code).offset(start).limit(limit - len(page)))
        page += [mapping.division_term(region) for region in regions]
    return len(small) + total_divisions, page


def term_by_id(session: Session, term_id: str) -> dict | None:
    """The term with this id, or None."""
    ref = resolve_term(session, term_id)
    if ref is None:
        return None
    if ref.taxonomy == mapping.DIVISIONS:
        return mapping.division_term(session.get(Region, ref.code))
    return next(t for t in small_terms(session) if t["id"] == term_id)
