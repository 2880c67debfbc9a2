"""The outbox: each e-mail to send, written in the same transaction as the change it reports."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from directory.timestamps import UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    pending = "pending"   # waiting for its next attempt (``next_attempt_at``)
    sending = "sending"   # claimed by a worker at ``claimed_at``; reclaimed when that lease runs out
    sent = "sent"
    failed = "failed"     # refused for good, or out of attempts


class OutboxMessage(SQLModel, table=True):
    """One e-mail: who gets it, what it says, and how far its delivery has come."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)                 # what the message is about, e.g. "assignment.new"
    recipient: str = Field(max_length=254)           # one address (RFC 5321 limit)
    subject: str = Field(max_length=400)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    status: str = Field(default=OutboxStatus.pending, max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
