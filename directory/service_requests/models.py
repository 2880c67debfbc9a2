"""Service requests: an SME's need sent to institutions, each institution's assignment, the timeline, feedback."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel

from directory.institutions.models import _enum_column
from directory.timestamps import UTCDateTime, utcnow


class RequestStatus(StrEnum):
    open = "open"                # waiting for an institution to accept
    in_progress = "in_progress"  # accepted by at least one institution
    resolved = "resolved"        # an institution reported an outcome; the SME may rate or reopen it
    closed = "closed"            # rated, or nobody left up the chain to take it
    unserved = "unserved"        # every tier declined or let it expire


class AssignmentStatus(StrEnum):
    offered = "offered"
    accepted = "accepted"
    declined = "declined"
    forwarded = "forwarded"
    resolved = "resolved"
    expired = "expired"


ACTIVE_ASSIGNMENT = (AssignmentStatus.offered, AssignmentStatus.accepted)


class Outcome(StrEnum):
    resolved = "resolved"
    partly = "partly"
    not_resolved = "not_resolved"


def _request_column(**kwargs) -> Column:
    """The ``request_id`` of a row that belongs to one service request and goes with it."""
    return Column(Integer, ForeignKey("service_request.id", ondelete="CASCADE"), nullable=False, **kwargs)


class ServiceRequest(SQLModel, table=True):
    """One SME need; contact fields become None when erased (``erased_at``), the facts stay."""

    __tablename__ = "service_request"

    id: int | None = Field(default=None, primary_key=True)
    need: str = Field(sa_column=Column(Text, nullable=False))
    region_code: str = Field(foreign_key="region.code", index=True, max_length=6)
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    enterprise_name: str | None = Field(default=None, max_length=200)
    credit_code: str | None = Field(default=None, max_length=18)
    contact_name: str | None = Field(default=None, max_length=64)
    contact_phone: str | None = Field(default=None, max_length=32, index=True)
    contact_email: str | None = Field(default=None, max_length=254)
    consent_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: RequestStatus = Field(
        default=RequestStatus.open,
        sa_column=_enum_column(RequestStatus, "service_request_status", RequestStatus.open))
    tracking_hash: str = Field(max_length=64, unique=True, index=True)   # SHA-256 of the token; never the token
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    erased_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class Assignment(SQLModel, table=True):
    """One institution's part in a request, with its deadlines."""

    __tablename__ = "service_assignment"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(sa_column=_request_column(index=True))
    institution_id: int = Field(foreign_key="institution.id", index=True)
    status: AssignmentStatus = Field(
        default=AssignmentStatus.offered,
        sa_column=_enum_column(AssignmentStatus, "service_assignment_status", AssignmentStatus.offered))
    tier: str = Field(max_length=16)            # the institution's level when it was assigned
    source: str = Field(default="chosen", max_length=16)   # chosen | default | forwarded | escalated | reopened
    escalated_from_id: int | None = Field(default=None, foreign_key="service_assignment.id")
    accept_by: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    resolve_by: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    accepted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    outcome: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, sa_column=Column(Text))
    reminded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class RequestEvent(SQLModel, table=True):
    """One line of a request's timeline: who did what, with what note, when."""

    __tablename__ = "service_request_event"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(sa_column=_request_column(index=True))
    assignment_id: int | None = Field(default=None, foreign_key="service_assignment.id")
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    actor: str = Field(sa_column=Column(String(64), nullable=False))   # sme | username | clock
    action: str = Field(sa_column=Column(String(32), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class Feedback(SQLModel, table=True):
    """The SME's rating of a resolved request (one per request)."""

    __tablename__ = "service_feedback"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(sa_column=_request_column(unique=True))
    rating: int
    comment: str | None = Field(default=None, sa_column=Column(Text))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
