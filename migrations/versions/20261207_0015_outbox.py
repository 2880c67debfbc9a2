"""outbox_message: e-mail written in the transaction of the change it reports, sent by the worker

Revision ID: 0015
Revises: 0007
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import directory.timestamps


revision = '0015'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outbox_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('sent_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
        sa.Column('claimed_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_status_next_attempt_at', ['status', 'next_attempt_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_next_attempt_at')
    op.drop_table('outbox_message')
