"""Which row of an import file is the header, and which field each column holds.

Published lists put a title row (2023年度国家中小企业公共服务示范平台名单) and notes above the
header, a 序号 column beside the data and notes (注：…) below it. The header is the row, among
the first rows, naming the most known columns; titles are recognised through the synonyms of
``data/import_columns.toml`` or an explicit mapping; columns nobody recognises are ignored
and listed; note rows and repeated headers below it are dropped.
"""
import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from directory.spreadsheets import Grid

SYNONYMS_PATH = Path(__file__).parent / "data" / "import_columns.toml"
HEADER_SEARCH_ROWS = 30
MAX_RECORDS = 20000
IGNORE = "ignore"   # a mapping value: leave this column out
REQUIRED_FIELDS = ("name", "services")
PLACE_PARTS = ("province", "city", "district")
_BRACKETED_TAIL = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)+$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ColumnMatch:
    index: int            # 0-based position in the row
    title: str            # as written in the file ("" for an untitled column)
    field: str | None     # the field it holds; None when ignored


@dataclass(frozen=True)
class Record:
    number: int                  # the row as the spreadsheet shows it
    values: dict[str, str]       # field -> cell text, stripped; empty cells left out


@dataclass
class InterpretedTable:
    header_row: int
    columns: list[ColumnMatch]
    ignored_columns: list[str]
    records: list[Record]

    def title_of(self, field: str) -> str | None:
        """The title in the file of the column holding ``field`` (place parts joined by /)."""
        if field == "region_code" and self._title("region_code") is None:
            parts = [self._title(part) for part in PLACE_PARTS]
            return "/".join(p for p in parts if p) or None
        return self._title(field)

    def _title(self, field: str) -> str | None:
        return next((c.title for c in self.columns if c.field == field), None)

    def mapping(self) -> dict[str, str]:
        """``{title: field or "ignore"}`` of the titled columns, as an administrator would give it."""
        return {c.title: c.field or IGNORE for c in self.columns if c.title}


@functools.cache
def column_fields() -> dict[str, dict]:
    """Field name -> {label_zh, label_en, titles} from the synonym table."""
    with SYNONYMS_PATH.open("rb") as file:
        return tomllib.load(file)["fields"]


@functools.cache
def _synonyms() -> dict[str, str]:
    return {normalise_title(title): name for name, spec in column_fields().items() for title in spec["titles"]}


@functools.cache
def _note_pattern() -> re.Pattern:
    with SYNONYMS_PATH.open("rb") as file:
        patterns = tomllib.load(file)["notes"]["patterns"]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def normalise_title(title: str) -> str:
    """A column title as compared: 服务机构\\n名称（必填） → 服务机构名称, ＥＭＡＩＬ → email."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", title or "")).casefold()
    text = text.lstrip("*").rstrip(":")
    stripped = _BRACKETED_TAIL.sub("", text)
    return (stripped or text).rstrip("*")


def synonym_field(title: str) -> str:
    """The field the synonym table reads a column title as, or ``ignore``."""
    return _synonyms().get(normalise_title(title), IGNORE)


def parse_mapping(raw) -> dict[str, str]:
    """``{"平台名称": "name", "备注": "ignore"}`` checked; keys normalised. ValueError if malformed."""
    if not isinstance(raw, dict):
        raise ValueError('The mapping must be an object such as {"平台名称": "name"}.')
    known = column_fields()
    mapping = {}
    for title, field in raw.items():
        field = IGNORE if field in (None, "") else field
        if not isinstance(title, str) or not normalise_title(title):
            raise ValueError(f"Mapping key {title!r}: give a column title as written in the file.")
        if not isinstance(field, str) or (field != IGNORE and field not in known):
            raise ValueError(f"Mapping for {title!r}: {field!r} is not a field; use one of "
                             + ", ".join([*known, IGNORE]) + ".")
        mapping[normalise_title(title)] = field
    return mapping


def parse_mapping_pairs(pairs: list[str]) -> dict[str, str]:
    """``["平台名称=name", ...]`` (the command line's ``--map``) as a checked mapping."""
    raw = {}
    for pair in pairs:
        title, sep, field = pair.rpartition("=")
        if not sep or not title.strip():
            raise ValueError(f"{pair!r}: write TITLE=FIELD, e.g. 平台名称=name.")
        raw[title.strip()] = field.strip()
    return parse_mapping(raw)


def interpret_grid(session: Session, grid: Grid, report, *, mapping: dict[str, str] | None = None
                   ) -> InterpretedTable | None:
    """Find the header, map the columns and keep the institution rows; problems go to ``report``.

    None when no header is found; a table without records when a required column is missing.
    """
    del session   # the columns need no reference data; kept for the shared signature
    mapping = parse_mapping(mapping) if mapping else {}
    if not grid.rows:
        report.reject(1, "file", "The file is empty: a header row is required.",
                      message_zh="文件是空的：需要一行列标题。")
        return None
    header = _find_header(grid, mapping)
    if header is None:
        report.reject(grid.rows[0].number, "file",
                      f"No header row found: none of the first {HEADER_SEARCH_ROWS} rows names a known column "
                      "(such as 名称 and 服务内容).",
                      message_zh=f"找不到列标题行：前 {HEADER_SEARCH_ROWS} 行中没有一行写着可识别的列名（如“名称”“服务内容”）。")
        return None
    position = grid.rows.index(header)
    body = grid.rows[position + 1:]
    columns = _match_columns(header.cells, body, mapping)
    table = InterpretedTable(header_row=header.number, columns=columns,
                             ignored_columns=[c.title or _column_letter(c.index) for c in columns if c.field is None],
                             records=[])
    read = {c.field for c in columns}
    # An id column alone names the institutions a file updates.
    missing = [f for f in REQUIRED_FIELDS if f not in read and not (f == "name" and "id" in read)]
    for required in missing:
        label = column_fields()[required]["label_zh"]
        report.reject(header.number, required, f"Required column is missing: {required} ({label}).",
                      message_zh=f"缺少必需的列：{label}。")
    if missing:
        return table   # without records: the columns are shown so the mapping can be corrected
    header_key = [normalise_title(c) for c in header.cells]
    for row in body:
        if _is_note(row.cells) or [normalise_title(c) for c in row.cells] == header_key:
            continue
        values = {c.field: row.cells[c.index].strip() for c in columns
                  if c.field and c.index < len(row.cells) and row.cells[c.index].strip()}
        if values:
            table.records.append(Record(row.number, values))
        if len(table.records) > MAX_RECORDS:
            report.reject(row.number, "file", f"At most {MAX_RECORDS} rows per import.",
                          message_zh=f"每次最多导入 {MAX_RECORDS} 行。")
            return None
    if not table.records:
        report.reject(header.number + 1, "file", "The file has a header but no institution rows.",
                      message_zh="文件只有列标题，没有机构行。")
        return None
    return table


def _field_of(title: str, mapping: dict[str, str]) -> str | None:
    key = normalise_title(title)
    field = mapping.get(key, _synonyms().get(key))
    return None if field == IGNORE else field


def _find_header(grid: Grid, mapping: dict[str, str]):
    """The first of the top rows naming the most distinct known columns; None if none names any."""
    best, best_count = None, 0
    for row in grid.rows[:HEADER_SEARCH_ROWS]:
        count = len({_field_of(cell, mapping) for cell in row.cells} - {None})
        if count > best_count:
            best, best_count = row, count
    return best


def _match_columns(titles: list[str], body: list, mapping: dict[str, str]) -> list[ColumnMatch]:
    """One match per column holding anything; a field's first column wins, later ones are ignored."""
    width = max([len(titles), *(len(row.cells) for row in body)])
    taken: set[str] = set()
    columns = []
    for index in range(width):
        title = titles[index].strip() if index < len(titles) else ""
        if not title and not any(index < len(r.cells) and r.cells[index].strip() for r in body):
            continue   # a fully empty column
        field = _field_of(title, mapping) if title else None
        if field in taken:
            field = None
        taken.add(field)
        columns.append(ColumnMatch(index, title, field))
    return columns


def _is_note(cells: list[str]) -> bool:
    """A note (注：…, 合计) or a banner merged across the row (一、东部地区; every cell holds its text)."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    if len(filled) > 1 and len(set(filled)) == 1:
        return True
    return bool(filled) and bool(_note_pattern().match(unicodedata.normalize("NFKC", filled[0])))


def _column_letter(index: int) -> str:
    """The spreadsheet's name of a column: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
