"""One anonymous match request and the categories of service it asked for."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, ForeignKey, Text
from sqlmodel import Field, SQLModel

from directory.categories.models import category_link_column
from directory.timestamps import UTCDateTime, utcnow


class RequestSource(StrEnum):
    api = "api"         # POST /api/v1/match
    finder = "finder"   # the /find page


class MatchRequest(SQLModel, table=True):
    """A match that detected at least one need; no enterprise, no text unless the SME agreed."""

    __tablename__ = "match_request"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))
    region_code: str | None = Field(default=None, foreign_key="region.code", index=True, max_length=6)
    # The province of ``region_code``, kept so that demand groups by province without walking the tree.
    province_code: str | None = Field(default=None, foreign_key="region.code", index=True, max_length=6)
    served_in_chain: bool   # every detected need has a provider in the SME's own chain
    need_text: str | None = Field(default=None, sa_column=Column(Text))
    source: RequestSource = Field(sa_column=Column(
        Enum(RequestSource, native_enum=False, create_constraint=True, length=16, name="match_request_source"),
        nullable=False))


class MatchRequestCategory(SQLModel, table=True):
    """A category a request asked for, and whether the SME's chain offers it."""

    __tablename__ = "match_request_category"

    request_id: int = Field(sa_column=Column(
        ForeignKey("match_request.id", ondelete="CASCADE"), primary_key=True))
    category_code: str = Field(sa_column=category_link_column())
    served_in_chain: bool
