"""Matching an SME's need to providers of its own service network."""
from sqlmodel import Session

from directory.institutions.search import matching_index
from directory.events.for_need import events_for_need
from matching.classify import classify_need, lexicon_terms_in
from matching.explain import render_reasons
from matching.financing import financing_types_for_terms
from matching.ranking import rank_providers

MAX_LIMIT = 50


class UnknownRegion(ValueError):
    """The SME's region code is not a known division."""


def match_need(session: Session, *, need: str, region_code: str | None = None, limit: int = 10) -> dict:
    """Categories the need asks for, providers best first, needs the chain cannot serve, events."""
    index = matching_index(session)
    if region_code and index.geography.get(region_code) is None:
        raise UnknownRegion(region_code)
    needs = classify_need(need)
    chain = index.geography.chain(region_code)
    ranked, unserved = rank_providers(needs=needs, chain=chain, index=index.providers, limit=limit)
    names_zh, names_en = index.category_names["zh"], index.category_names["en"]
    institutions = index.describe(session, [r.provider.id for r in ranked])
    return {
        "categories": [{"code": n.code, "name": names_zh[n.code], "name_en": names_en[n.code],
                        "score": float(round(n.score, 4)), "matched_terms": list(n.matched_terms)} for n in needs],
        "providers": [{
            "institution": institutions[r.provider.id], "score": float(r.score), "tier": r.tier,
            "covered_categories": r.covered_categories,
            "reasons": render_reasons(r.reasons, language="zh", category_names=names_zh),
            "reasons_en": render_reasons(r.reasons, language="en", category_names=names_en),
            "out_of_area": r.out_of_area,
            "distance_km": None if r.distance_km is None else float(r.distance_km),
        } for r in ranked if r.provider.id in institutions],
        "unserved_categories": unserved,
        "events": events_for_need(
            session, chain_codes=[d.code for d in chain.divisions.values()], categories=[n.code for n in needs],
            financing_types=list(financing_types_for_terms(lexicon_terms_in(need)))),
    }
