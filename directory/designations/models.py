"""Designation kinds (reference data) and the designations an institution holds or held."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, Enum, ForeignKey, String
from sqlmodel import Field, SQLModel

from directory.timestamps import UTCDateTime, utcnow


class DesignationLevel(StrEnum):
    """Who grants a kind: the Ministry (national) or a provincial department."""

    national = "national"
    provincial = "provincial"


class DesignationKind(SQLModel, table=True):
    """A kind of designation, loaded from ``seed_data/designation_kinds.csv`` (extendable)."""

    __tablename__ = "designation_kind"

    code: str = Field(sa_column=Column(String(32), primary_key=True))
    name_zh: str = Field(max_length=100)
    name_en: str = Field(max_length=150)
    level: DesignationLevel = Field(sa_column=Column(
        Enum(DesignationLevel, native_enum=False, create_constraint=True, length=16, name="designation_level"),
        nullable=False))
    granted_by: str | None = Field(default=None, max_length=100)   # the usual grantor, offered as default
    position: int = Field(default=0)


class Designation(SQLModel, table=True):
    """One designation of one institution; revoking sets ``revoked_on`` and keeps the row (动态管理)."""

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(sa_column=Column(
        ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(32), ForeignKey("designation_kind.code"), nullable=False, index=True))
    granted_by: str | None = Field(default=None, max_length=100)
    batch: str | None = Field(default=None, max_length=100)
    granted_on: date | None = Field(default=None, sa_column=Column(Date, index=True))
    revoked_on: date | None = Field(default=None, sa_column=Column(Date, index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))

    def active_on(self, day: date) -> bool:
        """Granted on or before ``day`` (or on an unknown day) and not revoked by then."""
        return (self.granted_on is None or self.granted_on <= day) and (
            self.revoked_on is None or self.revoked_on > day)
