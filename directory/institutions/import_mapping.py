"""The column mapping an administrator last chose for imports, offered again on the next upload."""
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer
from sqlmodel import Field, Session, SQLModel

from directory.institutions.import_columns import parse_mapping, synonym_field
from directory.timestamps import UTCDateTime, utcnow

MAX_REMEMBERED_TITLES = 200


class ImportColumnMapping(SQLModel, table=True):
    """``{normalised column title: field or "ignore"}`` chosen by one administrator."""

    __tablename__ = "import_column_mapping"

    administrator_id: int = Field(sa_column=Column(
        Integer, ForeignKey("administrator.id", ondelete="CASCADE"), primary_key=True))
    mapping: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


def remembered_mapping(session: Session, *, administrator_id: int) -> dict[str, str]:
    """The administrator's last mapping ({} when none, or when what is stored no longer parses)."""
    row = session.get(ImportColumnMapping, administrator_id)
    try:
        return parse_mapping(row.mapping) if row is not None else {}
    except ValueError:   # a field was renamed or dropped since: start afresh rather than fail the upload
        return {}


def remember_mapping(session: Session, *, administrator_id: int, mapping: dict[str, str]) -> None:
    """Keep the choices of ``mapping`` that differ from the synonyms, over the earlier ones, newest first, bounded.

    Titles of other files stay remembered; a title set back to what the synonyms say is forgotten.
    """
    row = session.get(ImportColumnMapping, administrator_id) or ImportColumnMapping(administrator_id=administrator_id)
    chosen = parse_mapping(mapping)
    merged = ({k: v for k, v in chosen.items() if v != synonym_field(k)}
              | {k: v for k, v in (row.mapping or {}).items() if k not in chosen})
    row.mapping = dict(list(merged.items())[:MAX_REMEMBERED_TITLES])
    row.updated_at = utcnow()
    session.add(row)
