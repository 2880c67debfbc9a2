"""Financing matchmaking events, the financiers taking part, SME registrations, meetings, outcomes."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from directory.institutions.models import InstitutionLevel, _enum_column
from directory.timestamps import UTCDateTime, utcnow


class EventStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    completed = "completed"
    cancelled = "cancelled"


class RegistrationStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class OutcomeResult(StrEnum):
    intention = "intention"   # 达成意向
    signed = "signed"         # 签约 (loan or investment signed)


class TagKind(StrEnum):
    category = "category"              # service category code
    chain = "chain"                    # industrial chain (matching.financing.CHAINS)
    financing_type = "financing_type"  # matching.financing.FINANCING_TYPES


class Financier(SQLModel, table=True):
    """A bank, guarantee company, fund, leasing firm or insurer that meets SMEs at events."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    type: str = Field(max_length=16)
    financing_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    amount_min_yuan: int | None = Field(default=None, sa_column=Column(BigInteger))
    amount_max_yuan: int | None = Field(default=None, sa_column=Column(BigInteger))
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str | None = Field(default=None, sa_column=Column(Text))
    website: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class FinancingEvent(SQLModel, table=True):
    """A 银企对接会 / 融资路演; level and region are the organiser's."""

    __tablename__ = "financing_event"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    organizer_id: int = Field(foreign_key="institution.id", index=True)
    level: InstitutionLevel = Field(sa_column=_enum_column(InstitutionLevel, "event_level", None))
    region_code: str | None = Field(default=None, foreign_key="region.code", index=True, max_length=6)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    venue: str | None = Field(default=None, max_length=300)
    online_url: str | None = Field(default=None, max_length=300)
    capacity: int
    registration_deadline: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    status: EventStatus = Field(
        default=EventStatus.draft, sa_column=_enum_column(EventStatus, "event_status", EventStatus.draft))
    description: str | None = Field(default=None, sa_column=Column(Text))
    slot_minutes: int = Field(default=20)
    # Who may register: the organiser's division and below (own), its whole province, or everyone.
    open_to: str = Field(default="own", sa_column=Column(String(16), nullable=False, server_default="own"))
    # Meeting sessions: [{"starts_at": iso, "ends_at": iso}], UTC; empty means the whole event.
    sessions: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class EventTag(SQLModel, table=True):
    """A category, industrial chain or financing type an event is about (filterable in SQL)."""

    __tablename__ = "event_tag"

    event_id: int = Field(sa_column=Column(
        ForeignKey("financing_event.id", ondelete="CASCADE"), primary_key=True))
    kind: str = Field(sa_column=Column(String(16), primary_key=True))
    code: str = Field(sa_column=Column(String(32), primary_key=True, index=True))


class EventFinancier(SQLModel, table=True):
    """A financier taking part in an event, at its own table, with a number of meetings it takes."""

    __tablename__ = "event_financier"

    event_id: int = Field(sa_column=Column(
        ForeignKey("financing_event.id", ondelete="CASCADE"), primary_key=True))
    financier_id: int = Field(sa_column=Column(ForeignKey("financier.id"), primary_key=True, index=True))
    table_number: int
    capacity: int | None = None   # meetings it takes; None: one per slot


class Registration(SQLModel, table=True):
    """An SME's registration for an event; ``access_key`` opens its confirmation page."""

    __tablename__ = "event_registration"
    __table_args__ = (UniqueConstraint("event_id", "credit_code", name="uq_registration_event_credit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=Column(
        ForeignKey("financing_event.id", ondelete="CASCADE"), nullable=False, index=True))
    enterprise_name: str = Field(max_length=200)
    credit_code: str = Field(max_length=18, index=True)
    region_code: str = Field(foreign_key="region.code", max_length=6)
    industry: str | None = Field(default=None, max_length=32)
    size: str | None = Field(default=None, max_length=16)
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=50)
    contact_email: str | None = Field(default=None, max_length=254)
    financing_type: str | None = Field(default=None, max_length=32)
    amount_yuan: int | None = Field(default=None, sa_column=Column(BigInteger))
    need: str = Field(sa_column=Column(Text, nullable=False))
    status: RegistrationStatus = Field(
        default=RegistrationStatus.pending,
        sa_column=_enum_column(RegistrationStatus, "registration_status", RegistrationStatus.pending))
    access_key: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class Meeting(SQLModel, table=True):
    """A one-to-one meeting of a registered SME and a financier in one slot of the schedule."""

    __tablename__ = "event_meeting"
    __table_args__ = (
        UniqueConstraint("event_id", "financier_id", "slot", name="uq_meeting_financier_slot"),
        UniqueConstraint("event_id", "registration_id", "slot", name="uq_meeting_registration_slot"),
        UniqueConstraint("event_id", "registration_id", "financier_id", name="uq_meeting_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=Column(
        ForeignKey("financing_event.id", ondelete="CASCADE"), nullable=False, index=True))
    registration_id: int = Field(sa_column=Column(
        ForeignKey("event_registration.id", ondelete="CASCADE"), nullable=False, index=True))
    financier_id: int = Field(foreign_key="financier.id")
    slot: int
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    score: float
    reasons: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    confirmed: bool = Field(default=False)


class Outcome(SQLModel, table=True):
    """What came of a registration, with a financier (a meeting) or without one."""

    __tablename__ = "event_outcome"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=Column(
        ForeignKey("financing_event.id", ondelete="CASCADE"), nullable=False, index=True))
    registration_id: int = Field(sa_column=Column(
        ForeignKey("event_registration.id", ondelete="CASCADE"), nullable=False, index=True))
    financier_id: int | None = Field(default=None, foreign_key="financier.id")
    result: OutcomeResult = Field(sa_column=_enum_column(OutcomeResult, "outcome_result", None))
    amount_yuan: int | None = Field(default=None, sa_column=Column(BigInteger))
    note: str | None = Field(default=None, max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
