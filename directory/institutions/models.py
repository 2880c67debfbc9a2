"""Public service institutions for SMEs and the categories each one serves."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, ForeignKey, Text
from sqlmodel import Field, Relationship, SQLModel

from directory.categories.models import category_link_column
from directory.designations.models import Designation
from directory.timestamps import SHANGHAI, UTCDateTime, utcnow


MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER on PostgreSQL
NATIONAL_DEMO_PLATFORM = "national_demo_platform"   # the kind behind the derived ``demonstration_platform``


class InstitutionLevel(StrEnum):
    national = "national"
    provincial = "provincial"
    municipal = "municipal"
    county = "county"


class InstitutionStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    closed = "closed"


def _enum_column(enum, name: str, default) -> Column:
    return Column(Enum(enum, native_enum=False, create_constraint=True, length=16, name=name),
                  nullable=False, index=True, default=default)


class InstitutionService(SQLModel, table=True):
    """Link: an institution offers services of a category."""

    __tablename__ = "institution_service"

    institution_id: int = Field(sa_column=Column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True))
    category_code: str = Field(sa_column=category_link_column())
    institution: "Institution" = Relationship(back_populates="service_links")


class Institution(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    level: InstitutionLevel = Field(sa_column=_enum_column(InstitutionLevel, "institution_level", None))
    region_code: str | None = Field(default=None, foreign_key="region.code", index=True, max_length=6)
    description: str | None = Field(default=None, sa_column=Column(Text))
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=254)
    website: str | None = Field(default=None, max_length=300)
    status: InstitutionStatus = Field(
        default=InstitutionStatus.active,
        sa_column=_enum_column(InstitutionStatus, "institution_status", InstitutionStatus.active))
    operator: str | None = Field(default=None, max_length=200)   # 运营单位: who runs it, when not itself
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # When someone last checked the record against reality (not when it last changed), and who.
    verified_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    verified_by: str | None = Field(default=None, max_length=64)
    # Set when this record was merged into another one (it is then closed, and kept for history).
    merged_into_id: int | None = Field(default=None, foreign_key="institution.id")

    service_links: list[InstitutionService] = Relationship(
        back_populates="institution",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin",
                                "order_by": "InstitutionService.category_code"})

    designations: list[Designation] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin",
                                "order_by": Designation.id})

    @property
    def demonstration_platform(self) -> bool:
        """Holds an active national demonstration platform designation today (derived, not stored)."""
        day = utcnow().astimezone(SHANGHAI).date()
        return any(d.kind == NATIONAL_DEMO_PLATFORM and d.active_on(day) for d in self.designations)

    @property
    def services(self) -> list[str]:
        """Category codes, in a stable order."""
        return sorted(link.category_code for link in self.service_links)

    @services.setter
    def services(self, codes: list[str]) -> None:
        wanted = list(dict.fromkeys(codes))
        kept = [link for link in self.service_links if link.category_code in wanted]
        have = {link.category_code for link in kept}
        self.service_links = kept + [InstitutionService(category_code=c) for c in wanted if c not in have]
