"""What a reader returns (a grid of text cells), the limits it reads within, and its errors."""
import time
from dataclasses import dataclass
from typing import NamedTuple

MB = 1024 * 1024


class GridRow(NamedTuple):
    number: int        # as the spreadsheet shows it (1-based)
    cells: list[str]   # text as a person typed it; trailing empty cells trimmed


@dataclass
class Grid:
    """One sheet of a file: its non-empty rows, in order. No header is assumed."""

    sheet_names: list[str]
    sheet: str
    rows: list[GridRow]


@dataclass(frozen=True)
class ReadLimits:
    """What a reader accepts, counted as it reads (never from what the file claims)."""

    rows: int = 100_000            # non-empty rows
    columns: int = 500             # cells of one row, up to its last filled one
    cells: int = 1_000_000         # cells of all rows together
    characters: int = 20_000_000   # text of all cells together
    seconds: float = 20.0          # wall time of the whole read
    bytes: int = 20 * MB           # size of the file
    memory_bytes: int = 1024 * MB  # address space of the process that parses a workbook


class UnreadableFile(ValueError):
    """The file cannot be read as CSV, XLSX, XLS or ODS; ``message`` in English, ``message_zh`` in Chinese."""

    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


class LimitExceeded(UnreadableFile):
    """Reading stopped at a limit; ``limit`` names it (rows, columns, cells, characters, seconds, bytes, memory)."""

    def __init__(self, limit: str, message: str, message_zh: str):
        super().__init__(message, message_zh)
        self.limit = limit


def _mb(size: int) -> str:
    return f"{size / MB:g}"


def limit_exceeded(limit: str, limits: ReadLimits, *, row: int | None = None) -> LimitExceeded:
    """The error for ``limit``, with its value, in English and Chinese."""
    value = getattr(limits, "memory_bytes" if limit == "memory" else limit)
    where, where_zh = (f"Row {row}: ", f"第 {row} 行：") if row else ("", "")
    texts = {
        "rows": (f"The sheet has more than {value:,} rows: split it into several files.",
                 f"表格超过 {value:,} 行，请拆分成几个文件分别导入。"),
        "columns": (f"{where}more than {value:,} columns: delete the unused columns and save again.",
                    f"{where_zh}超过 {value:,} 列，请删除多余的列后重新保存。"),
        "cells": (f"The sheet has more than {value:,} cells: split it into several files.",
                  f"表格超过 {value:,} 个单元格，请拆分成几个文件。"),
        "characters": (f"The sheet holds more than {value:,} characters of text.",
                       f"表格中的文字超过 {value:,} 个字符。"),
        "seconds": (f"Reading the file took longer than {value:g} seconds and was stopped.",
                    f"读取文件超过 {value:g} 秒，已停止。"),
        "bytes": (f"The file is larger than {_mb(value)} MB.", f"文件超过 {_mb(value)} MB。"),
        "memory": (f"Reading the sheet would need more than {_mb(value)} MB of memory: its cells spread over "
                   "too many rows or columns. Delete the unused rows and columns and save again.",
                   f"读取该表格需要超过 {_mb(value)} MB 内存：单元格分布的行列范围过大。"
                   "请删除多余的空行和空列后重新保存。"),
    }
    message, message_zh = texts[limit]
    if limit == "columns":
        message = message[0].upper() + message[1:]
    return LimitExceeded(limit, message, message_zh)


class Tally:
    """Counts what has been read so far and raises ``LimitExceeded`` the moment a limit is passed."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.rows = self.cells = self.characters = 0
        self.deadline = time.monotonic() + limits.seconds

    def add(self, number: int, cells: list[str]) -> GridRow:
        """Count one non-empty row (already trimmed) and return it as a GridRow."""
        self.rows += 1
        self.cells += len(cells)
        self.characters += sum(map(len, cells))
        if self.rows > self.limits.rows:
            raise limit_exceeded("rows", self.limits)
        if len(cells) > self.limits.columns:
            raise limit_exceeded("columns", self.limits, row=number)
        if self.cells > self.limits.cells:
            raise limit_exceeded("cells", self.limits)
        if self.characters > self.limits.characters:
            raise limit_exceeded("characters", self.limits)
        return GridRow(number, cells)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise limit_exceeded("seconds", self.limits)

    def seconds_left(self) -> float:
        return self.deadline - time.monotonic()


def trimmed(cells: list[str]) -> list[str]:
    """Without the empty cells a spreadsheet keeps at the end of formatted rows."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end] if end < len(cells) else cells
