"""The division tree in memory: an SME's chain of divisions and distances between divisions."""
import math
from dataclasses import dataclass

# Tier names of CONTRACT.md, nearest first, and the division level each one sits at.
TIERS = ("county", "municipal", "provincial", "national")
TIER_OF_LEVEL = {"county": "county", "prefecture": "municipal", "province": "provincial"}


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: str                     # province | prefecture | county
    parent_code: str | None
    longitude: float | None = None
    latitude: float | None = None
    retired: bool = False          # kept for records still placed there; never offered as a place


@dataclass(frozen=True, slots=True)
class Chain:
    """The divisions an SME sits in, from its own up to its province, keyed by tier."""

    divisions: dict[str, Division]   # tier -> division ("county", "municipal", "provincial")

    def code(self, tier: str) -> str | None:
        division = self.divisions.get(tier)
        return division.code if division else None

    @property
    def own(self) -> Division | None:
        """The SME's own (deepest) division."""
        return next((self.divisions[t] for t in TIERS[:3] if t in self.divisions), None)


NO_CHAIN = Chain(divisions={})


class Geography:
    """Divisions by code, with parents, for chains and distances."""

    def __init__(self, divisions: list[Division]):
        self._by_code = {d.code: d for d in divisions}
        divisions = [d for d in divisions if not d.retired]
        self._in_code_order = sorted(divisions, key=lambda d: d.code)
        levels_below: dict[str, set[str]] = {}
        for d in divisions:
            if d.parent_code:
                levels_below.setdefault(d.parent_code, set()).add(d.level)
        self._municipalities = frozenset(
            d.code for d in divisions if d.level == "province" and levels_below.get(d.code) == {"county"})

    def get(self, code: str | None) -> Division | None:
        return self._by_code.get(code) if code else None

    @property
    def divisions(self) -> list[Division]:
        """Every division in force, in code order (places are looked up among these)."""
        return self._in_code_order

    def path(self, code: str | None) -> list[Division]:
        """The divisions from the province down to ``code``."""
        path, node = [], self.get(code)
        while node is not None:
            path.append(node)
            node = self.get(node.parent_code)
        return path[::-1]

    def chain(self, code: str | None) -> Chain:
        """The SME's chain: its division and those above it (empty for an unknown code)."""
        tiers, node = {}, self.get(code)
        while node is not None:
            tiers[TIER_OF_LEVEL[node.level]] = node
            node = self.get(node.parent_code)
        # A provincial-level municipality (北京市) is also the SME's city.
        province = tiers.get("provincial")
        if province is not None and "municipal" not in tiers and self.is_municipality(province):
            tiers["municipal"] = province
        return Chain(divisions=tiers)

    def is_municipality(self, division: Division) -> bool:
        """北京, 天津, 上海, 重庆: provincial-level divisions with counties directly below."""
        return division.code in self._municipalities

    def distance_km(self, a: str | None, b: str | None) -> float:
        """Great-circle distance between two divisions' centres (inf when unknown)."""
        da, db = self.get(a), self.get(b)
        if not da or not db or da.latitude is None or db.latitude is None:
            return math.inf
        return _haversine(da.longitude, da.latitude, db.longitude, db.latitude)


def _haversine(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "新区", "林区", "省", "市", "区", "县", "盟", "旗")
PLACE_CUTOFF = 75


def _core(name: str) -> str:
    """A division name without its administrative suffix: 昆山市 → 昆山."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def search_places(geography: "Geography", text: str, limit: int = 8) -> list[Division]:
    """Divisions whose name fits ``text`` (昆山, 苏州市, 蘇州, 昆删), best first."""
    from rapidfuzz import fuzz, process

    from matching.normalize import normalize_text

    query = _core(normalize_text(text).replace(" ", ""))
    if not query:
        return []
    divisions = geography.divisions
    exact = [d for d in divisions if _core(d.name) == query or d.name == query]
    partial = [d for d in divisions if query in d.name and d not in exact]
    found = exact + sorted(partial, key=lambda d: (len(d.name), d.code))
    if not found:
        names = [d.name for d in divisions]
        scored = process.extract(query, names, scorer=fuzz.ratio, processor=_core, limit=limit,
                                 score_cutoff=PLACE_CUTOFF)
        found = [divisions[i] for _, _, i in scored]
    return found[:limit]


class AmbiguousPlace(ValueError):
    """A place name that fits several divisions; ``candidates`` lists them."""

    def __init__(self, text: str, candidates: list[Division]):
        super().__init__(text)
        self.candidates = candidates


def resolve_place(geography: "Geography", text: str) -> Division | None:
    """The one division meant by a code, a name (昆山市) or a path (江苏省苏州市昆山市, 南京 鼓楼区).

    Returns None when nothing fits; raises ``AmbiguousPlace`` when several do.
    """
    from matching.normalize import normalize_text

    folded = normalize_text(text or "").replace(" ", "").replace("/", "")
    if not folded:
        return None
    if folded.isdigit():
        return geography.get(folded)
    # The longest division name the text ends with, whose ancestors the rest of the text names.
    endings = [d for d in geography.divisions if folded.endswith(d.name) or folded.endswith(_core(d.name))]
    if endings:
        best = max(len(d.name) for d in endings)
        endings = [d for d in endings if len(d.name) == best or len(_core(d.name)) == best]
        rest = folded[: -best] if folded.endswith(tuple(d.name for d in endings)) else folded
        if len(endings) > 1 and rest:
            endings = [d for d in endings
                       if any(_core(a.name) in rest for a in geography.path(d.code)[:-1])] or endings
        if len(endings) == 1:
            return endings[0]
        raise AmbiguousPlace(text, endings)
    found = search_places(geography, folded, limit=2)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousPlace(text, search_places(geography, folded))
    return None
