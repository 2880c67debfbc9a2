"""One import row's words as institution fields, with every problem of the row at once.

Reading turns words into API values: place words into a region code (``import_places``), a
service sentence into category codes (codes, category names, or free text classified with the
need classifier), level words into a level, inferred from the place when there is no level
column. Validation then runs the institution schema and the placement and category rules,
collecting each problem with the field, an English and a Chinese message.
"""
import re
import unicodedata
from dataclasses import dataclass, field

from marshmallow import ValidationError
from sqlmodel import Session

from directory.categories.service import list_categories
from directory.institutions.import_columns import PLACE_PARTS, InterpretedTable, Record
from directory.institutions.import_messages import chinese_message
from directory.institutions.import_places import PlaceNotFound, PlaceReader, load_geography
from directory.institutions.models import InstitutionLevel
from directory.institutions.rules import placement_errors, service_errors
from directory.institutions.schemas import NO_CONTROL_CHARACTERS, InstitutionInSchema, InstitutionPatchSchema
from matching.classify import classify_need
from matching.geography import AmbiguousPlace, Division

LEVEL_WORDS = {
    "national": ("国家级", "国家", "全国", "部级"),
    "provincial": ("省级", "省", "省部级", "自治区级", "直辖市级"),
    "municipal": ("市级", "地市级", "地级", "地级市", "市", "州级", "盟级"),
    "county": ("县级", "区县级", "县区级", "县市区级", "区级", "县", "区", "区县"),
}
# Where the region sits decides the level when the file has none. 北京市, 天津市, 上海市 and
# 重庆市 are provinces: placed at one of them the institution is provincial unless its level
# column says 市级; placed in one of their districts it is a county institution.
LEVEL_OF_DIVISION = {None: "national", "province": "provincial", "prefecture": "municipal", "county": "county"}
STATUS_WORDS = {"运营中": "active", "正常": "active", "在运营": "active", "暂停": "suspended",
                "已关闭": "closed", "关闭": "closed", "撤销": "closed"}
BOOLEAN_WORDS = {"是": "true", "否": "false", "1": "true", "0": "false", "√": "true", "✓": "true", "": "false"}
SCHEMA_FIELDS = tuple(InstitutionInSchema().fields)
EXTRA_FIELDS = ("operator", "contact_name", "designation_batch", "designations")
EXTRA_LENGTH = 200
EXTRA_LENGTHS = {"designations": 1000}   # "kind:batch; kind:batch" for every kind a row holds
MAX_SERVICE_TEXT = 2000
CACHED_SERVICE_TEXT = 200   # short sentences repeat across a list; long ones are read each time
_LIST_SEPARATORS = re.compile(r"[;；,，、|/\n]+|\s{2,}")
_ASCII_WORD = re.compile(r"[a-z_]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DOMAIN = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    message_zh: str


@dataclass
class RecordReading:
    """A row's words turned into API values, before validation."""

    number: int
    values: dict = field(default_factory=dict)       # API field -> value (text, or codes for services)
    division: Division | None = None
    place_given: bool = False
    place_ok: bool = True
    categories: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def region_code(self) -> str | None:
        return self.division.code if self.division else None


class RecordFields(dict):
    """Validated fields (as the institution schema loads them), plus what the report shows.

    ``found``: the categories read from the services and the level with whether it was inferred;
    ``extras``: values of fields the institution does not store yet (contact person, batch).
    """

    def __init__(self, fields: dict, *, found: dict, extras: dict):
        super().__init__(fields)
        self.found = found
        self.extras = extras


class ReferenceWords:
    """The reference data an import reads words against: divisions and category names."""

    def __init__(self, session: Session):
        self.places = PlaceReader(load_geography(session))
        self.category_codes = set()
        self.categories: dict[str, str] = {}
        self.services_read: dict[str, tuple[list[str], list[Problem]]] = {}   # lists repeat their sentences
        for category in list_categories(session):
            self.category_codes.add(category.code)
            for word in (category.code, category.name_zh, category.name_en, category.name_zh.removesuffix("服务")):
                self.categories[_fold(word)] = category.code


def interpret_record(session: Session, record: Record, report, *, table: InterpretedTable,
                     words: "ReferenceWords | None" = None, target=None) -> RecordFields | None:
    """The row as institution fields (for a new institution, or changes of ``target``); None when it has problems.

    Pass one ``words`` for all rows of a file: it reads the reference data once and remembers answers.
    """
    words = words or ReferenceWords(session)
    return validate_reading(session, read_record(record, words=words), report, table=table, target=target)


def read_record(record: Record, *, words: ReferenceWords) -> RecordReading:
    """Turn the row's words into API values; problems of places and services are kept, not raised."""
    cells = record.values
    reading = RecordReading(record.number)
    for name in ("name", "description", "address", "phone", "email", *EXTRA_FIELDS):
        if name in cells:
            reading.values[name] = cells[name]
    if "website" in cells:
        website = cells["website"]
        reading.values["website"] = website if _SCHEME.match(website) or not _DOMAIN.match(website) \
            else f"http://{website}"   # published lists write www.example.cn
    if "level" in cells:
        reading.values["level"] = _level(cells["level"])
    if "status" in cells:
        reading.values["status"] = STATUS_WORDS.get(cells["status"], cells["status"])
    if "demonstration_platform" in cells:
        flag = cells["demonstration_platform"]
        reading.values["demonstration_platform"] = BOOLEAN_WORDS.get(flag, flag)
    _read_place(reading, cells, words)
    if "services" in cells:
        text = cells["services"]
        read = words.services_read.get(text) or _read_services(text, words)
        if len(text) <= CACHED_SERVICE_TEXT:
            words.services_read[text] = read
        reading.categories, problems = read
        reading.problems.extend(problems)
        if reading.categories:
            reading.values["services"] = reading.categories
    return reading


def _level(text: str) -> str:
    key = _fold(text)
    return next((level for level, words in LEVEL_WORDS.items() if key in words), key)


def _place_text(cells: dict) -> str:
    """The place as one text: the region column, or the separate 省份/城市/区县 columns in order."""
    if cells.get("region_code"):
        return cells["region_code"]
    parts = [cells[p] for p in PLACE_PARTS if cells.get(p)]
    # 北京市 / 北京市 / 朝阳区: a municipality written as its own city is named once.
    return "".join(p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1])


def _read_place(reading: RecordReading, cells: dict, words: ReferenceWords) -> None:
    text = _place_text(cells)
    reading.place_given = bool(text)
    try:
        reading.division = words.places.read(text)
    except AmbiguousPlace as problem:
        options = "、".join(f"{d.code} {'/'.join(x.name for x in words.places.geography.path(d.code))}"
                           for d in problem.candidates[:8])
        reading.place_ok = False
        reading.problems.append(Problem(
            "region_code", f"{text} fits several divisions: {options}. Write the place above it too "
            "(e.g. 江苏省南京市鼓楼区) or the six-digit code.",
            f"“{text}”对应多个行政区划：{options}。请写上上级地名（如 江苏省南京市鼓楼区）或六位代码。"))
    except PlaceNotFound as problem:
        close = "、".join(f"{d.code} {d.name}" for d in problem.suggestions)
        reading.place_ok = False
        reading.problems.append(Problem(
            "region_code", f"No division is called {text}." + (f" Close names: {close}." if close else ""),
            f"没有名为“{text}”的行政区划。" + (f"相近的有：{close}。" if close else "")))


def _read_services(text: str, words: ReferenceWords) -> tuple[list[str], list[Problem]]:
    """The category codes a services cell names or describes, and its problems."""
    if len(text) > MAX_SERVICE_TEXT:
        return [], [Problem("services", f"Longer than {MAX_SERVICE_TEXT} characters.", f"超过 {MAX_SERVICE_TEXT} 个字。")]
    codes, free, unknown = [], [], []
    for item in (t.strip() for t in _LIST_SEPARATORS.split(text)):
        key = _fold(item)
        if not key:
            continue
        if key in words.categories:
            codes.append(words.categories[key])
        elif all(part in words.category_codes for part in key.split()):
            codes.extend(key.split())
        elif _ASCII_WORD.fullmatch(key) and not classify_need(item):
            unknown.append(item)
        else:
            free.append(item)
    if free:
        codes.extend(c.code for c in classify_need("、".join(free)) if c.code in words.category_codes)
    categories = list(dict.fromkeys(codes))
    problems = [Problem("services", f"Unknown service category: {item}.", f"未知的服务类别：{item}。")
                for item in unknown]
    if not categories and not unknown:
        problems.append(Problem(
            "services", f"No service category found in “{text}”: name the services (政策咨询、投融资、人才培训) "
            "or give category codes (policy, financing, talent).",
            f"从“{text}”中识别不出服务类别：请写明服务（如 政策咨询、投融资、人才培训）或类别代码。"))
    return categories, problems


def validate_reading(session: Session, reading: RecordReading, report, *, table: InterpretedTable,
                     target=None) -> RecordFields | None:
    """Check the read values against the schema and the rules; report every problem, None when any."""
    problems = list(reading.problems)
    cells = {k: v for k, v in reading.values.items() if k in SCHEMA_FIELDS}
    # An update keeps its level unless it moves: 北京市's municipal institutions stay municipal.
    moved = target is not None and reading.place_given and reading.region_code != target.region_code
    level_inferred = "level" not in cells and (target is None or moved)
    if reading.place_ok and (reading.place_given or target is None):
        cells["region_code"] = reading.region_code
    if level_inferred and reading.place_ok:
        cells["level"] = LEVEL_OF_DIVISION[reading.division.level if reading.division else None]
    schema = InstitutionPatchSchema() if target is not None else InstitutionInSchema()
    # Already said in the words of the file: a place that cannot be read leaves the level unknown too.
    said = {p.field for p in reading.problems} | ({"level"} if level_inferred and not reading.place_ok else set())
    loaded, failed = {}, set()
    try:
        loaded = schema.load(cells)
    except ValidationError as error:
        for name, messages in error.messages.items():
            if name in said:
                continue
            failed.add(name)
            for message in messages if isinstance(messages, list) else [str(messages)]:
                problems.append(Problem(name, str(message), chinese_message(name, str(message))))
    problems += _rule_problems(session, cells, target, failed | said)
    problems += _extra_problems(reading.values)
    for problem in problems:
        report.reject(reading.number, problem.field, problem.message,
                      column=table.title_of(problem.field), message_zh=problem.message_zh)
    if problems:
        return None
    extras = {k: reading.values[k] for k in EXTRA_FIELDS if k in reading.values and k not in SCHEMA_FIELDS}
    found = {"categories": reading.categories,
             "level": (loaded.get("level") or (target.level if target is not None else None)),
             "level_inferred": level_inferred}
    found["level"] = found["level"].value if found["level"] is not None else None
    return RecordFields(loaded, found=found, extras=extras)


def _rule_problems(session: Session, cells: dict, target, failed: set[str]) -> list[Problem]:
    """Placement and category rules on what could be read, merged with ``target`` when it is an update."""
    merged = ({} if target is None else {"level": target.level.value, "region_code": target.region_code,
                                          "services": target.services}) | cells
    errors: dict[str, list[str]] = {}
    if not failed & {"level", "region_code"} and merged.get("level") in InstitutionLevel.__members__:
        with session.no_autoflush:
            errors |= placement_errors(session, level=InstitutionLevel(merged["level"]),
                                       region_code=merged.get("region_code"))
    if "services" not in failed and merged.get("services"):
        errors |= service_errors(session, merged["services"])
    return [Problem(name, message, chinese_message(name, message))
            for name, messages in errors.items() for message in messages]


def _extra_problems(values: dict) -> list[Problem]:
    problems = []
    for name in EXTRA_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        limit = EXTRA_LENGTHS.get(name, EXTRA_LENGTH)
        if len(value) > limit:
            message = f"Longer than maximum length {limit}."
            problems.append(Problem(name, message, chinese_message(name, message)))
        try:
            NO_CONTROL_CHARACTERS(value)
        except ValidationError:
            problems.append(Problem(name, "Contains control characters.",
                                    chinese_message(name, "Contains control characters.")))
    return problems


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
