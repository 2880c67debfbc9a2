"""Administrators, their roles and their API bearer tokens."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from directory.timestamps import UTCDateTime, utcnow


class AdministratorRole(StrEnum):
    editor = "editor"     # institutions and events inside the scope
    manager = "manager"   # also the accounts inside the scope
    staff = "staff"       # one institution's service requests, nothing else


class Administrator(SQLModel, table=True):
    """An administrator; ``region_code`` None means national scope."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    region_code: str | None = Field(default=None, foreign_key="region.code", max_length=6)
    active: bool = Field(default=True)
    role: str = Field(default=AdministratorRole.editor, max_length=16)
    # A staff account's institution (None for every other role): it sees and acts on that one's requests.
    institution_id: int | None = Field(default=None, foreign_key="institution.id", index=True)
    email: str | None = Field(default=None, max_length=254)   # where escalations and staff notices go
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    # Web sessions begun before this moment are over (set by logging out and by deactivation);
    # sessions live in signed cookies, so this is how the server takes one back.
    sessions_valid_after: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    administrator_id: int = Field(foreign_key="administrator.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class RateLimitCounter(SQLModel, table=True):
    """One rate-limit window (e.g. logins from one address this minute), shared by every app process."""

    __tablename__ = "rate_limit_counter"

    key: str = Field(primary_key=True, max_length=255)
    count: int = Field(default=0)
    expires_at: float = Field(index=True)   # seconds since the epoch, as the ``limits`` package counts
