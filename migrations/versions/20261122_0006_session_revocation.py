"""administrator.sessions_valid_after: the server ends web sessions (logout, deactivation)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

import directory.timestamps


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('administrator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sessions_valid_after', directory.timestamps.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('administrator', schema=None) as batch_op:
        batch_op.drop_column('sessions_valid_after')
