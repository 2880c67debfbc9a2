"""Editions kept in the published ``areacodes`` layout: ``data/YEAR.txt`` and ``diff/A-B.diff``.

The registry ships the 2021-2024 files in seed_data/divisions-history/; next year's come in the
same shape, so ``divisions update --dataset DIR --year 2025`` applies them (and any year
skipped on the way, one edition after another).
"""
from datetime import date
from pathlib import Path

from sqlmodel import Session

from directory.regions.editions import UnreadableList, read_changes, read_edition
from directory.regions.update import DivisionUpdate, apply_edition
from directory.regions.validity import current_edition


def year_end(edition: str) -> date:
    """The day a yearly edition describes: the end of that year."""
    return date(int(edition), 12, 31)


def apply_files(session: Session, *, edition_file: Path, changes_file: Path | None, edition: str,
                published_on: date) -> DivisionUpdate:
    """Apply one edition file and its change list (none only for an empty registry)."""
    try:
        divisions = read_edition(edition_file.read_text(encoding="utf-8"))
        changes = read_changes(changes_file.read_text(encoding="utf-8")) if changes_file else read_changes("")
    except UnicodeDecodeError:
        raise UnreadableList(["The files must be UTF-8 text."]) from None
    return apply_edition(session, edition=edition, published_on=published_on, divisions=divisions, changes=changes)


def apply_dataset(session: Session, *, dataset: Path, year: int) -> list[DivisionUpdate]:
    """Apply every yearly edition after the one in use up to ``year``, in order."""
    current = current_edition(session)
    if current is None or not current.edition.isdigit():
        raise UnreadableList(["The registry's edition is not a year; apply the files by name instead."])
    if year <= int(current.edition):
        raise UnreadableList([f"Edition {year} is not newer than edition {current.edition} already in use."])
    reports = []
    for step in range(int(current.edition) + 1, year + 1):
        edition_file = dataset / "data" / f"{step}.txt"
        changes_file = dataset / "diff" / f"{step - 1}-{step}.diff"
        missing = [str(p) for p in (edition_file, changes_file) if not p.is_file()]
        if missing:
            raise UnreadableList([f"Missing {', '.join(missing)}."])
        reports.append(apply_files(session, edition_file=edition_file, changes_file=changes_file,
                                   edition=str(step), published_on=year_end(str(step))))
    return reports
