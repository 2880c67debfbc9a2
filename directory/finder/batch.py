"""Batch matching: a file of SMEs' needs in (CSV, XLSX, XLS or ODS), a CSV of their best providers out.

Shared by ``flask --app wsgi match-batch`` and ``POST /api/v1/match/batch``, which read the file
with the same bounded reader as the import. Rows are numbered as a spreadsheet shows them
(header = its first row). A bad row (no need, unknown or
ambiguous region) is reported in the ``error`` column; every other row is still matched.
"""
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from directory.csv_text import safe_cell
from directory.institutions.search_index import MatchingIndex
from directory.spreadsheets import ReadLimits, UnreadableFile, read_grid
from matching.classify import classify_need
from matching.geography import AmbiguousPlace, resolve_place
from matching.ranking import rank_providers

COLUMNS = {
    "enterprise_name": ("enterprise_name", "enterprise", "name", "企业名称", "企业"),
    "region": ("region", "region_code", "region_name", "地区", "所在地区", "地区代码", "所在地"),
    "need": ("need", "need_text", "需求", "服务需求"),
}
OUTPUT_HEADER = ["row", "enterprise_name", "region_code", "region", "categories", "provider_id", "provider",
                 "tier", "other_providers", "unserved_categories", "error"]
PROVIDERS_PER_ROW = 3
MAX_BATCH_ROWS = 200_000
# Upload limits (the request body is at most 10 MB); the command line reads larger files.
UPLOAD_LIMITS = ReadLimits(rows=MAX_BATCH_ROWS + 1, columns=50, cells=MAX_BATCH_ROWS * 10)
COMMAND_LIMITS = ReadLimits(rows=2_000_000, columns=50, cells=20_000_000, characters=400_000_000,
                            seconds=600.0, bytes=512 * 1024 * 1024)


class BatchFileError(UnreadableFile):
    """The file's header does not name a need column."""


@dataclass(frozen=True, slots=True)
class BatchRow:
    number: int
    enterprise_name: str
    region: str
    need: str


def read_batch(data: bytes, *, limits: ReadLimits = UPLOAD_LIMITS) -> list[BatchRow]:
    """The rows of a batch file; raises ``UnreadableFile`` (``LimitExceeded``) or ``BatchFileError``."""
    header, *records = read_grid(data, limits=limits).rows or [None]
    lookup = {alias.lower(): name for name, aliases in COLUMNS.items() for alias in aliases}
    columns = [lookup.get(title.strip().lower()) for title in header.cells] if header else []
    if "need" not in columns:
        raise BatchFileError("The first row must name the columns: enterprise_name, region, need (need is required).",
                             "第一行须为列标题：enterprise_name（企业名称）、region（地区）、need（需求，必填）。")
    rows = []
    for number, values in records:
        cells = {columns[i]: v.strip() for i, v in enumerate(values) if i < len(columns) and columns[i]}
        rows.append(BatchRow(number, cells.get("enterprise_name", ""), cells.get("region", ""),
                             cells.get("need", "")))
    return rows


def match_batch(index: MatchingIndex, rows: Iterable[BatchRow], *,
                progress: Callable[[int], None] | None = None) -> Iterator[list]:
    """One output row per input row, in order."""
    places: dict[str, object] = {}
    for row in rows:
        yield _match_row(index, row, places)
        if progress:
            progress(1)


def _match_row(index: MatchingIndex, row: BatchRow, places: dict) -> list:
    base = [row.number, row.enterprise_name]
    if not row.need:
        return base + ["", row.region, "", "", "", "", "", "", "need: empty"]
    division, error = _place(index, row.region, places)
    if error:
        return base + ["", row.region, "", "", "", "", "", "", error]
    needs = classify_need(row.need)
    chain = index.geography.chain(division.code if division else None)
    ranked, unserved = rank_providers(needs=needs, chain=chain, index=index.providers, limit=PROVIDERS_PER_ROW)
    top = ranked[0] if ranked else None
    return base + [
        division.code if division else "", division.name if division else "",
        ";".join(n.code for n in needs),
        top.provider.id if top else "", top.provider.name if top else "", top.tier if top else "",
        ";".join(r.provider.name for r in ranked[1:]), ";".join(unserved), ""]


def _place(index: MatchingIndex, text: str, cache: dict):
    """The SME's division (None: nationwide) and an error message, cached per distinct text."""
    if text not in cache:
        try:
            cache[text] = (resolve_place(index.geography, text), "")
            if text and cache[text][0] is None:
                cache[text] = (None, f"region: no division called {text}")
        except AmbiguousPlace as error:
            options = ", ".join(f"{d.code} {d.name}" for d in error.candidates[:5])
            cache[text] = (None, f"region: {text} fits several divisions ({options}); give the code")
    return cache[text]


def write_batch(rows: Iterable[list], out) -> int:
    """Write the output header and rows to ``out``; returns how many rows had an error."""
    writer = csv.writer(out)
    writer.writerow(OUTPUT_HEADER)
    errors = 0
    for row in rows:
        errors += bool(row[-1])
        writer.writerow([safe_cell(cell) for cell in row])
    return errors
