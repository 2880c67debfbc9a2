"""The audit trail: one entry per change to an institution, event or account, and per refused
or failed attempt, kept forever."""
from datetime import datetime

from sqlalchemy import JSON, Column, String, Text
from sqlmodel import Field, SQLModel

from directory.timestamps import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))
    actor: str | None = Field(default=None, max_length=64, index=True)   # username, "cli", or None
    action: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    entity: str = Field(sa_column=Column(String(32), nullable=False))    # institution | event | administrator | ...
    entity_id: int | None = Field(default=None, index=True)
    before: dict | None = Field(default=None, sa_column=Column(JSON))
    after: dict | None = Field(default=None, sa_column=Column(JSON))
    detail: str | None = Field(default=None, sa_column=Column(Text))
