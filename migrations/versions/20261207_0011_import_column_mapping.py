"""import_column_mapping: the column mapping each administrator last chose for imports

Revision ID: 0011
Revises: 0013
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa

import directory.timestamps


revision = '0011'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_column_mapping',
        sa.Column('administrator_id', sa.Integer(), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('updated_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['administrator_id'], ['administrator.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('administrator_id'),
    )


def downgrade() -> None:
    op.drop_table('import_column_mapping')
