"""Reading the published shapes of the division list: an edition (``code name`` per line, the
list in force at the end of a year) and the change list between two editions (``area-diff``,
see seed_data/divisions-history/diff-spec.md): what changed, by which notice, on which day."""
import re
from dataclasses import dataclass, field
from datetime import date

from directory.regions.models import RegionLevel

MAX_LINES = 20_000
NON_MAINLAND_PROVINCES = frozenset({"710000", "810000", "820000"})  # Taiwan, Hong Kong, Macao
LINE = re.compile(r"^(\d{6}) (\S.{0,63})$")
CHANGE = re.compile(r"^([-+=])(\d{6}) ([^<>]+?)(?:([<>])(.*))?$")
ARABIC_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
HAN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}


class UnreadableList(ValueError):
    """An edition or change list that does not follow the published shape; ``problems`` say where."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""))
        self.problems = problems


def level_of(code: str) -> RegionLevel:
    """GB/T 2260: ``xx0000`` a province, ``xxxx00`` a prefecture, anything else a county."""
    if code.endswith("0000"):
        return RegionLevel.province
    return RegionLevel.prefecture if code.endswith("00") else RegionLevel.county


def province_code_of(code: str) -> str:
    """GB/T 2260: the province of a division code, its first two digits followed by ``0000``."""
    return code[:2] + "0000"


def parent_of(code: str, codes) -> str | None:
    """A county's prefecture when the list has one (same first four digits), else its province."""
    level = level_of(code)
    if level == RegionLevel.province:
        return None
    prefecture = code[:4] + "00"
    if level == RegionLevel.county and prefecture in codes:
        return prefecture
    return province_code_of(code)


def listed_on(every: dict[str, dict], day: str) -> dict[str, dict]:
    """Rows of ``seed_data/divisions.csv`` (keyed by code) as the list stood on ``day`` (ISO), in code
    order, each division retired since replaced in its place by its successor; keyed by code, each
    with a list of child codes (what the sample generators draw from)."""
    drawn = sorted((r for r in every.values()
                    if (r["in_force_from"] or "") <= day and (r["retired_on"] or "9") > day),
                   key=lambda r: r["code"])
    rows = [every[r["successors"]] if r["retired_on"] else r for r in drawn]
    divisions = {r["code"]: dict(r, children=[]) for r in rows}
    for r in rows:
        if r["parent_code"]:
            divisions[r["parent_code"]]["children"].append(r["code"])
    return divisions


def _lines(text: str) -> list[str]:
    lines = text.lstrip("\ufeff").splitlines()
    if len(lines) > MAX_LINES:
        raise UnreadableList([f"More than {MAX_LINES} lines."])
    return lines


def read_edition(text: str) -> dict[str, str]:
    """An edition as {code: name}; every malformed or repeated line is reported at once."""
    divisions, problems = {}, []
    for number, raw in enumerate(_lines(text), start=1):
        line = raw.strip()
        if not line:
            continue
        match = LINE.match(line)
        if match is None:
            problems.append(f"line {number}: expected a six-digit code, a space and a name, got {line[:40]!r}")
        elif match[1] in divisions:
            problems.append(f"line {number}: code {match[1]} listed twice")
        else:
            divisions[match[1]] = match[2].strip()
    problems += [f"code {code}: its parent division {parent_of(code, divisions)} is not in the list"
                 for code in divisions if parent_of(code, divisions) and parent_of(code, divisions) not in divisions]
    if not divisions and not problems:
        problems.append("The edition lists no divisions.")
    if problems:
        raise UnreadableList(problems)
    return divisions


@dataclass(frozen=True)
class ChangeLine:
    """One change: ``-`` retired, ``+`` created, ``=`` area moved between two that remain."""

    kind: str
    code: str
    name: str
    direction: str | None              # ">" (went to) or "<" (came from)
    selectors: tuple[str, ...]
    day: date | None                   # the latest date of the notice describing it
    notice: str                        # the notice's title
    line: int


@dataclass
class ChangeList:
    lines: list[ChangeLine] = field(default_factory=list)

    def of(self, kind: str) -> dict[str, ChangeLine]:
        return {change.code: change for change in self.lines if change.kind == kind}


def parse_day(text: str) -> date | None:
    """A notice's date: 2023年4月3日, 2023-04-03 or 一九八五年四月十五日; None if none can be read."""
    match = ARABIC_DATE.search(text) or ISO_DATE.search(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        han = re.search(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日", text)
        if han:
            year = int("".join(str(HAN_DIGITS[c]) for c in han[1]))
            return date(year, _han_number(han[2]), _han_number(han[3]))
    except ValueError:
        return None
    return None


def _han_number(text: str) -> int:
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" not in text:
        return digits[text]
    tens, _, ones = text.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def read_changes(text: str) -> ChangeList:
    """The change lines of an ``area-diff`` file, each with the day and title of its notice."""
    changes, problems = ChangeList(), []
    description: list[str] = []
    described = False          # the comment block has been used by a change line
    for number, raw in enumerate(_lines(text), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith("#"):
            if described:
                description, described = [], False
            description.append(line.lstrip("#").strip())
            continue
        match = CHANGE.match(line)
        if match is None:
            problems.append(f"line {number}: not a change line ('-', '+' or '=' then code, name and "
                            f"'>' or '<' with selectors): {line[:60]!r}")
            continue
        kind, code, name, direction, attribute = match.groups()
        if kind == "=" and not direction:
            problems.append(f"line {number}: a '=' line needs '>' or '<' and the records concerned")
            continue
        days = [d for d in (parse_day(text) for text in description if text.startswith("日期")) if d]
        title = next((text.lstrip("#").strip() for text in description if text), "")
        changes.lines.append(ChangeLine(kind=kind, code=code, name=name.strip(), direction=direction,
                                        selectors=tuple(s.strip() for s in (attribute or "").split(",") if s.strip()),
                                        day=max(days) if days else None, notice=title[:200], line=number))
        described = True
    if problems:
        raise UnreadableList(problems)
    return changes
