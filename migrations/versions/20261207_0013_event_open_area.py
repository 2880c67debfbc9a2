"""financing_event.open_to: who may register (own division, the organiser's province, nationwide)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('financing_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_to', sa.String(length=16), server_default='own', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('financing_event', schema=None) as batch_op:
        batch_op.drop_column('open_to')
