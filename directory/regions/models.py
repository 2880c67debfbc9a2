"""Administrative divisions (GB/T 2260) as an adjacency tree, with each division's period of validity."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, String
from sqlmodel import Field, SQLModel

from directory.timestamps import UTCDateTime, utcnow


class RegionLevel(StrEnum):
    province = "province"
    prefecture = "prefecture"
    county = "county"


class Region(SQLModel, table=True):
    """One division; ``parent_code`` is its prefecture, or its province where it has none.

    A retired division stays (records and history point at it) with ``retired_on`` set and its
    successors in ``region_successor``; ``in_force_from`` is None for divisions older than the
    first edition the registry knows.
    """

    code: str = Field(primary_key=True, max_length=6)
    name: str = Field(max_length=64, index=True)
    level: RegionLevel = Field(sa_column=Column(
        Enum(RegionLevel, native_enum=False, create_constraint=True, length=16,
             name="region_level"), nullable=False, index=True))
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True, max_length=6)
    longitude: float | None = None
    latitude: float | None = None
    # Hong Kong, Macao and Taiwan are listed but outside the network's denominators.
    mainland: bool = Field(default=True)
    in_force_from: date | None = Field(default=None)
    retired_on: date | None = Field(default=None, index=True)


class RegionSuccessor(SQLModel, table=True):
    """Where the area of a retired division went: one row per successor division."""

    __tablename__ = "region_successor"

    code: str = Field(foreign_key="region.code", primary_key=True, max_length=6)
    successor_code: str = Field(foreign_key="region.code", primary_key=True, max_length=6)


class DivisionEdition(SQLModel, table=True):
    """An edition of the division list the registry has loaded (``init-db`` or ``divisions update``)."""

    __tablename__ = "division_edition"

    edition: str = Field(sa_column=Column(String(16), primary_key=True))   # e.g. "2024"
    published_on: date                                                    # the day the list describes
    applied_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
