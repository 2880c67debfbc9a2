"""The division tree in memory: an SME's chain of divisions and distances between divisions,
and the division a typed place name means (昆山, 蘇州, Kunshan, Nanjing Gulou)."""
import functools
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict as PINYIN_DICT

from matching.normalize import normalize_text, pinyin_key

# Tier names of docs/contract.md, nearest first, and the division level each one sits at.
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

    @functools.cached_property
    def place_names(self) -> "PlaceNames":
        """Division names as people type them, indexed for place look-up."""
        return PlaceNames(self)

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
MAX_PLACE_CHARS = 100     # the longest path (province, prefecture, county, in pinyin) is about 60
LATIN_PLACE_CUTOFF = 85   # pinyin spellings are short and alike (nanjing, nanjiang): fuzzier is noise
# Administrative words typed after a place in pinyin or English (Kunshan Shi, Gulou District),
# as the pinyin of the Chinese suffix; not taken as such as the first word (Xian is 西安).
LATIN_SUFFIXES = {
    ("new", "area"): "xinqu", ("new", "district"): "xinqu", ("autonomous", "region"): "zizhiqu",
    ("autonomous", "prefecture"): "zizhizhou", ("autonomous", "county"): "zizhixian",
    ("special", "administrative", "region"): "tebiexingzhengqu", ("district",): "qu", ("city",): "shi",
    ("county",): "xian", ("province",): "sheng", ("prefecture",): "diqu", ("municipality",): "shi",
    ("region",): "", ("shi",): "shi", ("qu",): "qu", ("xian",): "xian", ("sheng",): "sheng",
    ("xinqu",): "xinqu", ("zizhiqu",): "zizhiqu", ("zizhizhou",): "zizhizhou", ("zizhixian",): "zizhixian",
    ("diqu",): "diqu",
}
# English names that are not the pinyin of the Chinese one.
ENGLISH_PLACE_NAMES = {
    "陕西省": ("shaanxi",), "内蒙古自治区": ("innermongolia",), "西藏自治区": ("tibet", "xizang"),
    "广西壮族自治区": ("guangxi",), "宁夏回族自治区": ("ningxia",), "新疆维吾尔自治区": ("xinjiang",),
    "香港特别行政区": ("hongkong",), "澳门特别行政区": ("macau", "macao"), "哈尔滨市": ("harbin",),
    "乌鲁木齐市": ("urumqi",), "呼和浩特市": ("hohhot",), "拉萨市": ("lhasa",),
}
_MAX_READINGS = 8   # spellings kept per name from polyphonic characters (长治 changzhi, zhangzhi)
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
_LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}


def _core(name: str) -> str:
    """A division name without its administrative suffix: 昆山市 → 昆山."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@functools.lru_cache(maxsize=None)
def _latin_spellings(name: str) -> tuple[str, ...]:
    """How a name is typed in Latin letters: its pinyin with and without the suffix (kunshanshi,
    kunshan), its English name, and the other readings of polyphonic characters (pypinyin reads
    朝阳 zhaoyang and 长治 zhangzhi; the places are Chaoyang and Changzhi)."""
    syllables, core = lazy_pinyin(name), _core(name)
    if len(syllables) != len(name):   # not all Chinese: no per-character readings
        return tuple(dict.fromkeys(_no_umlaut(key) for key in (pinyin_key(name), pinyin_key(core),
                                                                *ENGLISH_PLACE_NAMES.get(name, ()))))
    usual = ["".join(syllables), "".join(syllables[:len(core)]), *ENGLISH_PLACE_NAMES.get(name, ())]
    readings = [_readings(char) for char in name]
    others = ["".join(spelling) for part in (readings, readings[:len(core)])
              for spelling in itertools.islice(itertools.product(*part), _MAX_READINGS)]
    return tuple(dict.fromkeys(_no_umlaut(key) for key in [*usual, *others]))


def _readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of a character, the usual one first: 长 → zhang, chang."""
    marked = PINYIN_DICT.get(ord(char), "").split(",")
    toneless = (unicodedata.normalize("NFKD", reading).encode("ascii", "ignore").decode() for reading in marked)
    return tuple(dict.fromkeys(reading for reading in toneless if reading)) or (char,)


def _no_umlaut(key: str) -> str:
    return key.replace("v", "u")   # pypinyin writes ü as v (吕 lv); people type lu, lv or lü


def _latin_places(text: str) -> list[tuple[str, str]] | None:
    """A place typed in pinyin or English as (name, suffix) pairs in pinyin, Chinese words read
    as pinyin: "Gulou District, Nanjing" → [(gulou, qu), (nanjing, "")]; None when the text has
    no Latin letter."""
    folded = unicodedata.normalize("NFKD", normalize_text(text))
    folded = "".join(char for char in folded if not unicodedata.combining(char))   # lü → lu
    if not any("a" <= char <= "z" for char in folded):
        return None
    words = [pinyin_key(word) for word in _WORD.findall(folded.replace("'", ""))]
    places: list[list[str]] = []
    position = 0
    while position < len(words):
        suffix = next((s for s in LATIN_SUFFIXES if tuple(words[position:position + len(s)]) == s), None)
        if suffix and places:
            places[-1][1] += LATIN_SUFFIXES[suffix]
            position += len(suffix)
        else:
            places.append([_no_umlaut(words[position]), ""])
            position += 1
    return [(name, suffix) for name, suffix in places if name]


@functools.lru_cache(maxsize=None)
def _latin_core(name: str) -> str:
    """The usual pinyin of a name without its suffix: 昆山市 → kunshan."""
    return _no_umlaut(pinyin_key(_core(name)))


@dataclass(frozen=True, slots=True)
class _NameIndex:
    """Divisions by the ways their name is typed, and the longest such way."""

    divisions: dict[str, tuple[Division, ...]]
    longest: int

    @classmethod
    def build(cls, divisions, keys_of) -> "_NameIndex":
        found: dict[str, list[Division]] = {}
        for division in divisions:
            for key in dict.fromkeys(keys_of(division)):
                if key:
                    found.setdefault(key, []).append(division)
        return cls({key: tuple(value) for key, value in found.items()}, max(map(len, found), default=0))


class PlaceNames:
    """Division names as people type them, for looking a typed place up: Chinese names with and
    without suffix; pinyin and English spellings (worked out on the first Latin-letter query)."""

    def __init__(self, geography: "Geography"):
        self.geography = geography
        self.chinese = _NameIndex.build(geography.divisions, lambda d: (d.name, _core(d.name)))

    @functools.cached_property
    def latin(self) -> _NameIndex:
        """Every reading of a name counts the same: the usual one is sometimes wrong (朝阳 is
        Chaoyang, pypinyin says zhaoyang)."""
        return _NameIndex.build(self.geography.divisions, lambda d: _latin_spellings(d.name))

    @functools.cached_property
    def latin_cores(self) -> list[str]:
        """Each division's usual pinyin without suffix, in division order: what typos are near."""
        return [_latin_core(d.name) for d in self.geography.divisions]

    def index(self, latin: bool) -> _NameIndex:
        return self.latin if latin else self.chinese

    def ancestor_keys(self, division: Division, latin: bool) -> tuple[str, ...]:
        """How an ancestor may be named in the rest of a path: 南京, or nanjing / changzhi."""
        return _latin_spellings(division.name) if latin else (_core(division.name),)


class _Query:
    """A typed place: in Chinese, or in Latin letters. ``orders`` are the texts to try, most
    literal first: as typed with suffixes (lvliangshi is 吕梁市, not 陆良县), as typed without,
    then the places in the other order (Gulou District, Nanjing)."""

    def __init__(self, text: str):
        places = _latin_places(text)
        self.latin = places is not None
        if self.latin:
            orders = [places, places[::-1]] if len(places) > 1 else [places]
            self.orders = list(dict.fromkeys(
                "".join(name + (suffix if with_suffix else "") for name, suffix in order)
                for order in orders for with_suffix in (True, False)))
            self.text = "".join(name for name, _ in places)   # for prefixes and typos
        else:
            self.text = normalize_text(text).replace(" ", "").replace("/", "")
            self.orders = [self.text]


def _exactly(names: PlaceNames, query: _Query) -> list[Division]:
    index = names.index(query.latin).divisions
    for text in query.orders if query.latin else [_core(query.text)]:
        if text in index:
            return list(index[text])
    return []


def _ending_with(names: PlaceNames, query: _Query, text: str) -> tuple[list[Division], bool]:
    """The divisions whose name (or core) ends ``text`` (the longest such name), narrowed to
    those whose ancestors the rest of the text names (南京鼓楼区, nanjing gulou); and whether
    an ancestor was named."""
    index = names.index(query.latin)
    # Only the last characters can be a name: a long text costs no more than a short one.
    start = next((i for i in range(max(0, len(text) - index.longest), len(text))
                  if text[i:] in index.divisions), None)
    if start is None:
        return [], False
    endings, rest = list(index.divisions[text[start:]]), text[:start]
    if rest:
        named = [d for d in endings if any(key in rest for a in names.geography.path(d.code)[:-1]
                                           for key in names.ancestor_keys(a, query.latin))]
        if named:
            return named, True
    return endings, False


def _by_level(divisions: list[Division]) -> list[Division]:
    """Bigger divisions first among namesakes (Nanjing: 南京市 before 南靖县)."""
    return sorted(divisions, key=lambda d: (_LEVEL_ORDER.get(d.level, 3), d.code))


def search_places(geography: "Geography", text: str, limit: int = 8) -> list[Division]:
    """Divisions whose name fits ``text`` (昆山, 苏州市, 蘇州, 南京 鼓楼, Kunshan, Suzhou Gusu),
    best first."""
    from rapidfuzz import fuzz, process

    query = _Query(text[:MAX_PLACE_CHARS])
    if not query.text:
        return []
    names, divisions = geography.place_names, geography.divisions
    exact = _by_level(_exactly(names, query))
    for typed in [] if exact else query.orders:
        named, by_path = _ending_with(names, query, typed)
        if by_path:
            exact = _by_level(named)
            break
    if query.latin:
        partial = [] if exact or len(query.text) < 3 else [
            d for d in divisions if any(key.startswith(query.text) for key in _latin_spellings(d.name))]
    else:
        core = _core(query.text)
        partial = [d for d in divisions if core in d.name and d not in exact]
    found = exact + sorted(partial, key=lambda d: (len(d.name), d.code))
    if not found:
        if query.latin:
            scored = process.extract(query.text, names.latin_cores, scorer=fuzz.ratio, limit=limit,
                                     score_cutoff=LATIN_PLACE_CUTOFF)
        else:
            scored = process.extract(_core(query.text), [d.name for d in divisions], scorer=fuzz.ratio,
                                     processor=_core, limit=limit, score_cutoff=PLACE_CUTOFF)
        found = [divisions[i] for _, _, i in scored]
    return found[:limit]


class AmbiguousPlace(ValueError):
    """A place name that fits several divisions; ``candidates`` lists them."""

    def __init__(self, text: str, candidates: list[Division]):
        super().__init__(text)
        self.candidates = candidates


def resolve_place(geography: "Geography", text: str) -> Division | None:
    """The one division meant by a code, a name (昆山市, Kunshan) or a path (江苏省苏州市昆山市,
    南京 鼓楼区, Nanjing Gulou, Gulou District, Nanjing).

    Returns None when nothing fits; raises ``AmbiguousPlace`` when several do.
    """
    text = (text or "")[:MAX_PLACE_CHARS]
    folded = normalize_text(text).replace(" ", "").replace("/", "")
    if not folded:
        return None
    if folded.isdigit():
        return geography.get(folded)
    query = _Query(text)
    candidates: list[Division] = []
    for typed in query.orders:
        endings, by_path = _ending_with(geography.place_names, query, typed)
        if by_path or not candidates:
            candidates = endings
        if by_path:
            break
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise AmbiguousPlace(text, _by_level(candidates))
    found = search_places(geography, text, limit=2)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousPlace(text, search_places(geography, text))
    return None
