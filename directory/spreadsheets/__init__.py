"""Spreadsheet and CSV files read as grids of text, within limits counted as they are read."""
from directory.spreadsheets.grid import Grid, GridRow, LimitExceeded, ReadLimits, UnreadableFile
from directory.spreadsheets.reader import read_grid

__all__ = ["Grid", "GridRow", "LimitExceeded", "ReadLimits", "UnreadableFile", "read_grid"]
