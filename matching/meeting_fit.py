"""How well an SME and a financier fit for a one-to-one meeting at a matchmaking event (银企对接会).

A fit is a weighted sum of four parts, each between 0 and 1, rounded to 4 decimals:

* **type** (weight 0.5). The types the SME seeks are those it ticked plus those its need text
  asks for (lexicon terms of ``FINANCING_TERMS``, e.g. 知识产权质押 → ``ip_pledge``). The pair is
  compatible only when they share a type with the offer: 1 when a ticked type is shared, 0.8
  when only a type read from the text is. An SME that seeks no type at all, neither ticked nor
  read, may meet any financier, at 0.3.
* **amount** (weight 0.25). 1 inside the offer's [min, max]; outside, 1 − 0.8·d / ln 5 where d
  is the log-ratio distance to the nearer bound, down to 0.2 at a factor 5; beyond a factor 5
  the pair is incompatible. 0.5 when either side names no amount or bound.
* **industry** (weight 0.2). 1 when the offer prefers the SME's industrial chain, 0.5 when the
  offer has no preference, 0.2 when it prefers others (or the SME named no chain).
* **text** (weight 0.05). The share of the types read from the need text that the offer
  offers; each lexicon term behind them becomes a reason (需求中提到“知识产权质押”).

Type codes outside ``FINANCING_TYPES`` are ignored. ``fit_matrix`` reads each need text once,
which keeps 1,000 SMEs × 60 financiers well under a second.
"""
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matching.classify import lexicon_terms_in
from matching.financing import CHAINS, FINANCING_TERMS, FINANCING_TYPES, label
from matching.normalize import normalize_text

WEIGHTS = {"type": 0.5, "amount": 0.25, "industry": 0.2, "text": 0.05}
TYPE_TICKED, TYPE_READ, TYPE_UNSPECIFIED = 1.0, 0.8, 0.3
AMOUNT_FACTOR_LIMIT = 5
AMOUNT_AT_LIMIT, AMOUNT_UNKNOWN = 0.2, 0.5
INDUSTRY_PREFERRED, INDUSTRY_OPEN, INDUSTRY_OTHER = 1.0, 0.5, 0.2


@dataclass(frozen=True)
class Seeker:
    """One SME registration for an event."""

    id: int
    financing_types: tuple[str, ...] = ()   # FINANCING_TYPES codes the SME ticked (may be empty)
    amount_yuan: int | None = None          # amount sought
    industry: str | None = None             # a CHAINS code
    need: str = ""                          # the need in its own words, Chinese or English


@dataclass(frozen=True)
class Offer:
    """One financier taking part in an event."""

    id: int
    financing_types: tuple[str, ...]
    amount_min_yuan: int | None = None
    amount_max_yuan: int | None = None
    industries: tuple[str, ...] = ()        # preferred CHAINS codes; empty: no preference
    capacity: int = 1_000_000               # most meetings it takes (the scheduler clips it to slots)

    def __post_init__(self) -> None:
        low, high = self.amount_min_yuan, self.amount_max_yuan
        if low is not None and high is not None and low > high:
            raise ValueError(f"offer {self.id}: amount_min_yuan {low} > amount_max_yuan {high}")


@dataclass(frozen=True)
class Fit:
    """How well a compatible pair fits, and why."""

    score: float                            # 0 < score <= 1
    reasons: tuple[tuple[str, dict], ...]   # (reason key, params), rendered by render_fit_reasons


@dataclass(frozen=True)
class _Profile:
    """What every fit of one seeker reuses."""

    ticked: frozenset[str]
    read: frozenset[str]                                 # types read from the need text
    sought: frozenset[str]
    terms: tuple[tuple[str, frozenset[str]], ...]        # need terms and the types they ask for


def sought_types(seeker: Seeker) -> tuple[str, ...]:
    """Types the SME ticked or its need text asks for, in vocabulary order."""
    sought = _profile(seeker).sought
    return tuple(code for code in FINANCING_TYPES if code in sought)


def fit(seeker: Seeker, offer: Offer) -> Fit | None:
    """How well ``seeker`` and ``offer`` fit; None when they cannot meet."""
    return _fit(seeker, _profile(seeker), offer)


def fit_matrix(seekers: Iterable[Seeker], offers: Sequence[Offer]) -> dict[tuple[int, int], Fit]:
    """The fit of every compatible (seeker id, offer id) pair; incompatible pairs are absent."""
    fits = {}
    for seeker in seekers:
        profile = _profile(seeker)
        for offer in offers:
            found = _fit(seeker, profile, offer)
            if found is not None:
                fits[seeker.id, offer.id] = found
    return fits


def render_fit_reasons(reasons: Iterable[tuple[str, dict]], language: str = "zh") -> list[str]:
    """Every reason of a fit as a sentence in Chinese (``zh``) or English."""
    return [_render(key, params, language == "zh") for key, params in reasons]


def _profile(seeker: Seeker) -> _Profile:
    ticked = frozenset(code for code in seeker.financing_types if code in FINANCING_TYPES)
    terms = _need_terms(seeker.need)
    read = frozenset(code for _, codes in terms for code in codes)
    return _Profile(ticked, read, ticked | read, terms)


@functools.lru_cache(maxsize=4096)
def _need_terms(need: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Financing terms of the need, longest only (知识产权质押 hides 质押), in order of appearance."""
    found = [term for term in lexicon_terms_in(need) if term in FINANCING_TERMS]
    longest = [term for term in found if not any(term != other and term in other for other in found)]
    folded = normalize_text(need)
    longest.sort(key=lambda term: (folded.find(term), term))
    return tuple((term, frozenset(FINANCING_TERMS[term])) for term in longest)


@functools.cache
def _type_set(codes: tuple[str, ...]) -> frozenset[str]:
    """One shared frozenset per combination of offered types (an event has a handful)."""
    return frozenset(codes)


def _fit(seeker: Seeker, profile: _Profile, offer: Offer) -> Fit | None:
    offered = _type_set(offer.financing_types)
    amount = _amount_part(seeker.amount_yuan, offer.amount_min_yuan, offer.amount_max_yuan)
    if amount is None:
        return None
    reasons: list[tuple[str, dict]] = []
    if profile.sought:
        shared = profile.sought & offered
        if not shared:
            return None
        type_score = TYPE_TICKED if shared & profile.ticked else TYPE_READ
        reasons.append(("types_offered", {"types": _in_vocabulary_order(shared)}))
    else:
        type_score = TYPE_UNSPECIFIED
        reasons.append(("types_unspecified", {"types": _in_vocabulary_order(offered)}))
    amount_score, amount_reason = amount
    if amount_reason:
        reasons.append(amount_reason)
    if not offer.industries:
        industry_score = INDUSTRY_OPEN
    elif seeker.industry in offer.industries:
        industry_score = INDUSTRY_PREFERRED
        reasons.append(("industry_preferred", {"industry": seeker.industry}))
    else:
        industry_score = INDUSTRY_OTHER
    text_score = len(profile.read & offered) / len(profile.read) if profile.read else 0.0
    reasons.extend(("need_mentions", {"term": term}) for term, codes in profile.terms if codes & offered)
    score = (WEIGHTS["type"] * type_score + WEIGHTS["amount"] * amount_score
             + WEIGHTS["industry"] * industry_score + WEIGHTS["text"] * text_score)
    return Fit(round(score, 4), tuple(reasons))


def _amount_part(amount: int | None, low: int | None, high: int | None
                 ) -> tuple[float, tuple[str, dict] | None] | None:
    """(score, reason) of the amount; None when it is beyond a factor 5 outside the range."""
    low = low if low is not None and low > 0 else None
    if amount is None or amount <= 0 or (low is None and high is None):
        return AMOUNT_UNKNOWN, None
    params = {"amount": amount, "min": low, "max": high}
    if low is not None and amount < low:
        if amount * AMOUNT_FACTOR_LIMIT < low:
            return None
        distance = math.log(low / amount)
    elif high is not None and amount > high:
        if amount > high * AMOUNT_FACTOR_LIMIT:
            return None
        distance = math.log(amount / high)
    else:
        return 1.0, ("amount_in_range", params)
    score = 1 - (1 - AMOUNT_AT_LIMIT) * distance / math.log(AMOUNT_FACTOR_LIMIT)
    return score, ("amount_near_range", params)


def _in_vocabulary_order(codes: frozenset[str]) -> tuple[str, ...]:
    return tuple(code for code in FINANCING_TYPES if code in codes)


def _render(key: str, params: dict, zh: bool) -> str:
    language = "zh" if zh else "en"
    if key in ("types_offered", "types_unspecified"):
        names = "、".join(label(FINANCING_TYPES, code, "zh") for code in params["types"]) if zh else ", ".join(
            _lower_first(label(FINANCING_TYPES, code, "en")) for code in params["types"])
        if key == "types_offered":
            return f"可提供企业所需的{names}" if zh else f"Offers what the SME seeks: {names}"
        return (f"企业未指定融资方式，机构可提供{names}" if zh
                else f"The SME named no financing type; the financier offers {names}")
    if key in ("amount_in_range", "amount_near_range"):
        amount, span = _yuan(params["amount"], zh), _range(params["min"], params["max"], zh)
        if key == "amount_in_range":
            return (f"融资金额{amount}在机构额度（{span}）内" if zh
                    else f"Amount sought, {amount}, within the financier's range ({span})")
        return (f"融资金额{amount}不在机构额度（{span}）内，但相差不到{AMOUNT_FACTOR_LIMIT}倍" if zh
                else f"Amount sought, {amount}, outside the financier's range ({span}) "
                     f"by less than a factor {AMOUNT_FACTOR_LIMIT}")
    if key == "industry_preferred":
        name = label(CHAINS, params["industry"], language)
        return f"机构重点支持{name}产业" if zh else f"The financier favours {_lower_first(name)}"
    if key == "need_mentions":
        return f"需求中提到“{params['term']}”" if zh else f"The need mentions “{params['term']}”"
    return key


def _lower_first(name: str) -> str:
    """Credit loan → credit loan, but IP-pledge stays."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _range(low: int | None, high: int | None, zh: bool) -> str:
    if low is not None and high is not None:
        return f"{_yuan(low, zh)}–{_yuan(high, zh)}"
    if low is not None:
        return f"{_yuan(low, zh)}起" if zh else f"from {_yuan(low, zh)}"
    return f"最高{_yuan(high, zh)}" if zh else f"up to {_yuan(high, zh)}"


def _yuan(amount: int, zh: bool) -> str:
    """500万元 / CNY 5 million."""
    if zh:
        for size, unit in ((100_000_000, "亿元"), (10_000, "万元")):
            if amount >= size:
                return f"{round(amount / size, 2):g}{unit}"
        return f"{amount}元"
    for size, unit in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if amount >= size:
            return f"CNY {round(amount / size, 2):g} {unit}"
    return f"CNY {amount:,}"
