"""An uploaded file imported as institutions: a spreadsheet, or a format another feature reads (HSDS)."""
from collections.abc import Callable

from sqlmodel import Session

from directory.auth.models import Administrator
from directory.institutions.importer import ImportReport, import_institutions
from directory.institutions.models import NATIONAL_DEMO_PLATFORM

# (recognises(data), import(session, data=..., administrator=..., dry_run=..., decisions=..., designation_kind=...)),
# registered by the features that read other formats (``accept_format``, called by the application factory).
FORMATS: list[tuple[Callable[[bytes], bool], Callable[..., ImportReport]]] = []


def accept_format(recognises: Callable[[bytes], bool], importer: Callable[..., ImportReport]) -> None:
    """Import an upload that ``recognises`` with ``importer`` instead of the spreadsheet importer."""
    if (recognises, importer) not in FORMATS:
        FORMATS.append((recognises, importer))


def import_upload(session: Session, *, data: bytes, administrator: Administrator | None = None,
                  dry_run: bool = False, decisions: dict[int, str] | None = None,
                  mapping: dict[str, str] | None = None, sheet: str | int | None = None,
                  designation_kind: str = NATIONAL_DEMO_PLATFORM) -> ImportReport:
    """Import an uploaded file: an HSDS dataset or a spreadsheet, told apart by content."""
    for recognises, importer in FORMATS:
        if recognises(data):
            return importer(session, data=data, administrator=administrator, dry_run=dry_run, decisions=decisions,
                            designation_kind=designation_kind)
    return import_institutions(session, data=data, administrator=administrator, dry_run=dry_run,
                               decisions=decisions, mapping=mapping, sheet=sheet, designation_kind=designation_kind)
