"""Places written as words in an import file: 安徽省芜湖市, 江苏苏州昆山, 江苏省 苏州市 昆山市, 320583.

Stricter than the finder's place search: the text must read as the division's own name (with or
without its suffix: 昆山 or 昆山市), optionally preceded by names of divisions above it, top
down, any level left out. Anything else is unknown (with the close names as suggestions), and
a name several divisions share (鼓楼区) is ambiguous: both are problems, never a guess.
"""
import re

from sqlalchemy import select
from sqlmodel import Session

from directory.regions.models import Region
from matching.geography import PLACE_SUFFIXES, AmbiguousPlace, Division, Geography, search_places
from matching.normalize import normalize_text

# Words meaning "no division": the institution is national.
NATIONAL_WORDS = frozenset({"全国", "国家", "国家级", "中国", "national", "nationwide"})
# Everyday short names of the autonomous regions (their suffix-less names keep the people's name).
PROVINCE_SHORT_NAMES = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                        "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆"}
_SEPARATORS = re.compile(r"[\s/\\\-—·,，、>＞|]+")
_COUNTRY = ("中华人民共和国", "中国")


class PlaceNotFound(ValueError):
    """No division reads as the text; ``suggestions`` are divisions with close names."""

    def __init__(self, text: str, suggestions: list[Division]):
        super().__init__(text)
        self.suggestions = suggestions


def load_geography(session: Session) -> Geography:
    """The division tree of the reference data."""
    return Geography([Division(code, name, level.value, parent) for code, name, level, parent
                      in session.execute(select(Region.code, Region.name, Region.level, Region.parent_code))])


def _core(name: str) -> str:
    """A division's name without its administrative suffix: 昆山市 → 昆山 (城区 stays)."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _forms(division: Division) -> set[str]:
    forms = {division.name, _core(division.name)}
    if division.name in PROVINCE_SHORT_NAMES:
        forms.add(PROVINCE_SHORT_NAMES[division.name])
    return forms


def fold_place(text: str) -> str:
    """The text as compared: folded (traditional, full-width), without separators and filler words."""
    folded = _SEPARATORS.sub("", normalize_text(text or "")).replace("市辖区", "")
    for country in _COUNTRY:
        if folded.startswith(country) and len(folded) > len(country):
            return folded[len(country):]
    return folded


class PlaceReader:
    """Reads place words against one division tree; remembers each distinct text's answer."""

    def __init__(self, geography: Geography):
        self.geography = geography
        self._by_form: dict[str, list[Division]] = {}
        for division in geography.divisions:
            for form in _forms(division):
                self._by_form.setdefault(form, []).append(division)
        self._answers: dict[str, Division | None | ValueError] = {}

    def read(self, text: str) -> Division | None:
        """The division meant; None for no division (empty, 全国).

        Raises ``PlaceNotFound`` or ``matching.geography.AmbiguousPlace``.
        """
        key = fold_place(text)
        if key not in self._answers:
            try:
                self._answers[key] = self._read(text, key)
            except ValueError as problem:
                self._answers[key] = problem
        answer = self._answers[key]
        if isinstance(answer, ValueError):
            raise answer
        return answer

    def _read(self, text: str, folded: str) -> Division | None:
        if not folded or folded in NATIONAL_WORDS:
            return None
        if folded.isdigit():
            division = self.geography.get(folded)
            if division is None:
                raise PlaceNotFound(text, [])
            return division
        fitting: dict[int, list[Division]] = {}
        named_last: list[Division] = []   # named at the end, under other divisions than the text says
        for length in range(len(folded), 0, -1):
            for division in self._by_form.get(folded[-length:], ()):
                above = self.geography.path(division.code)[:-1]
                if not self._names_above(folded[:-length], above):
                    named_last.append(division)
                elif division not in fitting.get(length, []):
                    fitting.setdefault(length, []).append(division)
        if not fitting:
            close = [d for d in named_last if len(d.name) > 1] or search_places(self.geography, folded, limit=5)
            raise PlaceNotFound(text, list(dict.fromkeys(close))[:5])
        found = fitting[max(fitting)]   # the longest name read at the end: 吉林市 is the city, not 吉林 + 市
        if len(found) > 1:
            raise AmbiguousPlace(text, sorted(found, key=lambda d: d.code))
        return found[0]

    def _names_above(self, rest: str, above: list[Division]) -> bool:
        """Whether ``rest`` is names of some of ``above`` (top down), nothing else."""
        if not rest:
            return True
        return any(rest.startswith(form) and self._names_above(rest[len(form):], above[i + 1:])
                   for i, division in enumerate(above) for form in _forms(division))
