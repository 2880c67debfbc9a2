"""Administrative divisions (GB/T 2260) as an adjacency tree."""
from enum import StrEnum

from sqlalchemy import Column, Enum
from sqlmodel import Field, SQLModel


class RegionLevel(StrEnum):
    province = "province"
    prefecture = "prefecture"
    county = "county"


class Region(SQLModel, table=True):
    """One division; ``parent_code`` is its prefecture, or its province where it has none."""

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
