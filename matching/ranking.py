"""Ranking providers for an SME's detected needs (docs/contract.md "Matching").

Order: providers covering more of the detected needs first; at equal coverage the nearer
tier (county, municipal, provincial, national); then the closer text match. Providers outside
the SME's chain of divisions come after all in-chain ones, and only for needs the chain cannot
serve, nearest first.
"""
from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matching.geography import TIERS, Chain, Geography
from matching.normalize import normalize_text

if TYPE_CHECKING:
    from matching.classify import CategoryMatch

OTHER = "other"
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)} | {OTHER: len(TIERS)}
OUT_OF_AREA_PER_NEED = 3
OUT_OF_AREA_SCALE = 0.05  # keeps every out-of-area score below every in-chain one
TIER_OF_INSTITUTION_LEVEL = {"county": "county", "municipal": "municipal", "provincial": "provincial"}


@dataclass(frozen=True, slots=True)
class Provider:
    """What ranking needs of an active institution."""

    id: int
    name: str
    level: str                        # national | provincial | municipal | county
    region_code: str | None
    services: frozenset[str]
    terms: tuple[str, ...] = ()       # lexicon terms in its description (classify.lexicon_terms_in)


@functools.cache
def service_set(codes: tuple[str, ...]) -> frozenset[str]:
    """One shared frozenset per distinct combination of services (a registry has few hundred)."""
    return frozenset(codes)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a provider was chosen; rendered in Chinese or English by ``render``."""

    kind: str                         # service | same_division | national | description | out_of_area
    value: str = ""
    detail: str = ""


@dataclass(slots=True)
class RankedProvider:
    provider: Provider
    score: float
    tier: str
    covered_categories: list[str]
    reasons: list[Reason] = field(default_factory=list)
    out_of_area: bool = False
    distance_km: float | None = None


class ProviderIndex:
    """Active providers by division and by category, so a match never scans the registry."""

    def __init__(self, providers: list[Provider], geography: Geography):
        self.geography = geography
        self.by_id: dict[int, Provider] = {}
        self.by_region: dict[str | None, list[Provider]] = {}
        # category -> division -> providers, so the nearest search ranks divisions, not providers
        self.by_category: dict[str, dict[str | None, list[Provider]]] = {}
        for provider in providers:
            self.by_id[provider.id] = provider
            self.by_region.setdefault(provider.region_code, []).append(provider)
            for code in provider.services:
                self.by_category.setdefault(code, {}).setdefault(provider.region_code, []).append(provider)

    def updated(self, changed_ids: set[int], providers: list[Provider]) -> ProviderIndex:
        """A new index where ``changed_ids`` are replaced by ``providers`` (the active ones among them).

        Copy on write: self is left as it is for the matches still reading it; the new index shares
        every list the change does not touch, so one change costs the size of its divisions' lists.
        """
        new = ProviderIndex.__new__(ProviderIndex)
        new.geography = self.geography
        new.by_id = dict(self.by_id)
        new.by_region = dict(self.by_region)
        new.by_category = {code: dict(divisions) for code, divisions in self.by_category.items()}
        copied: set[tuple] = set()

        def bucket(code: str | None, region: str | None) -> list[Provider]:
            lists = new.by_region if code is None else new.by_category.setdefault(code, {})
            if (code, region) not in copied:
                copied.add((code, region))
                lists[region] = list(lists.get(region, ()))
            return lists[region]

        for iid in changed_ids:
            old = new.by_id.pop(iid, None)
            if old is not None:
                for code in (None, *old.services):
                    members = bucket(code, old.region_code)
                    members[:] = [p for p in members if p.id != iid]
        for provider in providers:
            new.by_id[provider.id] = provider
            for code in (None, *provider.services):
                bucket(code, provider.region_code).append(provider)
        for code, region in copied:   # keep the build's order (by id) and drop emptied divisions
            lists = new.by_region if code is None else new.by_category[code]
            if lists[region]:
                lists[region].sort(key=lambda p: p.id)
            else:
                del lists[region]
        return new

    def in_chain(self, chain: Chain, categories: list[str]) -> list[tuple[Provider, str]]:
        """Providers of the chain's divisions at their own tier, and national ones, offering any of ``categories``.

        Read from the by-category lists: a match looks only at providers of what it needs, not at
        every institution of its divisions (at 200,000 institutions, ~1,700 per chain).
        """
        found: dict[int, tuple[Provider, str]] = {}
        divisions = [(None, "national", "national")] + [
            (code, tier, tier) for tier in ("county", "municipal", "provincial")
            if (code := chain.code(tier)) is not None]
        for category in categories:
            lists = self.by_category.get(category, {})
            for region, tier, level in divisions:
                for provider in lists.get(region, ()):
                    if TIER_OF_INSTITUTION_LEVEL.get(provider.level, provider.level) == level:
                        found.setdefault(provider.id, (provider, tier))
        return list(found.values())


def tier_of(provider: Provider, chain: Chain) -> str:
    """Where ``provider`` sits relative to the SME's chain of divisions."""
    if provider.level == "national":
        return "national"
    tier = TIER_OF_INSTITUTION_LEVEL[provider.level]
    return tier if provider.region_code == chain.code(tier) else OTHER


def text_relevance(need_terms: list[str], provider: Provider) -> tuple[float, list[str]]:
    """Share of the need's terms found in the provider's name and description, and those terms."""
    if not need_terms:
        return 0.0, []
    found = [term for term in need_terms if term in provider.terms or term in provider.name]
    return len(found) / len(need_terms), found


def rank_providers(*, needs: list[CategoryMatch], chain: Chain, index: ProviderIndex,
                   limit: int = 10) -> tuple[list[RankedProvider], list[str]]:
    """Providers for the detected needs, best first, and the needs the chain cannot serve."""
    wanted = [need.code for need in needs]
    if not wanted or limit <= 0:
        return [], []
    terms = _need_terms(needs)
    # Group by (coverage, tier) first; text relevance and reasons are worked out only for the
    # groups that reach the first ``limit`` places, so a dense registry stays cheap.
    groups: dict[tuple[int, int], list[tuple[Provider, str, list[str]]]] = {}
    served: set[str] = set()
    for provider, tier in index.in_chain(chain, wanted):
        covered = [code for code in wanted if code in provider.services]
        served.update(covered)
        groups.setdefault((-len(covered), TIER_RANK[tier]), []).append((provider, tier, covered))
    unserved = [code for code in wanted if code not in served]
    elsewhere = _nearest_elsewhere(unserved, chain, index, wanted, terms)
    room = max(limit - len(elsewhere), limit // 2) if elsewhere else limit
    ranked: list[RankedProvider] = []
    for key in sorted(groups):
        places = room - len(ranked)
        if places <= 0:
            break
        # Inside a group only relevance and id decide: build full results for the best few only.
        best = heapq.nsmallest(places, groups[key], key=lambda member: (
            -text_relevance(terms, member[0])[0], member[0].id))
        ranked += [_ranked(provider, tier, covered, wanted, terms, chain) for provider, tier, covered in best]
    return (ranked[:room] + elsewhere)[:limit], unserved


def _ranked(provider: Provider, tier: str, covered: list[str], wanted: list[str],
            terms: list[str], chain: Chain) -> RankedProvider:
    relevance, found = text_relevance(terms, provider)
    # The score agrees with the order: coverage steps (1) > tier steps (0.125) > relevance (≤ 0.1).
    closeness = 1 - TIER_RANK[tier] / len(TIERS)
    score = (len(covered) + 0.5 * closeness + 0.1 * relevance) / len(wanted)
    reasons = [Reason("service", code) for code in covered]
    division = chain.divisions.get(tier)
    reasons.append(Reason("national") if division is None else Reason("same_division", tier, division.name))
    reasons += [Reason("description", term) for term in found[:3]]
    return RankedProvider(provider=provider, score=round(score / 2, 4), tier=tier, covered_categories=covered,
                          reasons=reasons)


def _nearest_elsewhere(unserved: list[str], chain: Chain, index: ProviderIndex, wanted: list[str],
                       terms: list[str]) -> list[RankedProvider]:
    """For each need the chain cannot serve, the nearest providers outside it."""
    origin = chain.own.code if chain.own else None
    picked: dict[int, RankedProvider] = {}
    distance = index.geography.distance_km
    for code in unserved:
        by_division = index.by_category.get(code, {})
        nearest = sorted(by_division, key=lambda region: (distance(origin, region), region or ""))
        candidates = []
        for region in nearest:
            candidates += sorted((p for p in by_division[region] if p.id not in picked),
                                 key=lambda p: p.id)
            if len(candidates) >= OUT_OF_AREA_PER_NEED:
                break
        for provider in candidates[:OUT_OF_AREA_PER_NEED]:
            covered = [c for c in unserved if c in provider.services]
            km = distance(origin, provider.region_code)
            _, found = text_relevance(terms, provider)
            where = index.geography.get(provider.region_code)
            reasons = [Reason("service", c) for c in covered]
            reasons.append(Reason("out_of_area", where.name if where else "", f"{km:.0f}"
                                  if km != float("inf") else ""))
            reasons += [Reason("description", term) for term in found[:3]]
            picked[provider.id] = RankedProvider(
                provider=provider, score=round(OUT_OF_AREA_SCALE * len(covered) / len(wanted), 4), tier=OTHER,
                covered_categories=covered, reasons=reasons, out_of_area=True,
                distance_km=None if km == float("inf") else round(km, 1))
    return sorted(picked.values(), key=lambda r: (-len(r.covered_categories), r.distance_km or 0.0, r.provider.id))


def _need_terms(needs: list[CategoryMatch]) -> list[str]:
    return list(dict.fromkeys(normalize_text(term) for need in needs for term in need.matched_terms))
