"""Who receives a request: the SME's choice, else the first in-chain provider per need; who takes it up the chain."""
from sqlalchemy import select
from sqlmodel import Session

from directory.institutions.models import Institution, InstitutionService, InstitutionStatus
from directory.finder.service import match_need
from directory.regions.service import region_path
from matching.geography import TIERS, TIER_OF_LEVEL

MAX_INSTITUTIONS = 3


def default_providers(session: Session, *, need: str, region_code: str) -> tuple[list[str], list[int]]:
    """The need's detected categories and, per category, the first in-chain provider (at most three, no repeats)."""
    match = match_need(session, need=need, region_code=region_code, limit=20)
    categories = [category["code"] for category in match["categories"]]
    chosen: list[int] = []
    for code in categories:
        first = next((p["institution"]["id"] for p in match["providers"]
                      if code in p["covered_categories"] and not p["out_of_area"]), None)
        if first is not None and first not in chosen:
            chosen.append(first)
    return categories, chosen[:MAX_INSTITUTIONS]


def _division_of_tier(session: Session, region_code: str, tier: str) -> str | None:
    """The code of the SME's division that an institution of ``tier`` serves (None for national)."""
    for region in region_path(session, region_code):
        if TIER_OF_LEVEL.get(str(region.level)) == tier:
            return region.code
    return None


def next_tier_provider(session: Session, *, region_code: str, categories: list[str], above_tier: str,
                       excluded: set[int]) -> Institution | None:
    """The nearest active institution above ``above_tier`` on the SME's chain that offers one of ``categories``.

    Tiers are tried upwards (county → municipal → provincial → national); within a tier the one
    offering most of the categories wins, then the lowest id (stable for tests and replays).
    """
    start = TIERS.index(above_tier) + 1 if above_tier in TIERS else 0
    for tier in TIERS[start:]:
        query = select(Institution).where(Institution.level == tier,
                                          Institution.status == InstitutionStatus.active)
        if tier == "national":
            query = query.where(Institution.region_code.is_(None))
        else:
            division = _division_of_tier(session, region_code, tier)
            if division is None:
                continue
            query = query.where(Institution.region_code == division)
        if excluded:
            query = query.where(Institution.id.not_in(excluded))
        candidates = list(session.scalars(query.order_by(Institution.id)))
        if categories:
            offered = _categories_offered(session, [c.id for c in candidates], categories)
            candidates = sorted((c for c in candidates if offered.get(c.id)), key=lambda c: -offered[c.id])
        if candidates:
            return candidates[0]
    return None


def _categories_offered(session: Session, ids: list[int], categories: list[str]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(select(InstitutionService.institution_id, InstitutionService.category_code)
                           .where(InstitutionService.institution_id.in_(ids),
                                  InstitutionService.category_code.in_(categories)))
    counts: dict[int, int] = {}
    for institution_id, _code in rows:
        counts[institution_id] = counts.get(institution_id, 0) + 1
    return counts
