"""directory_change: which institutions each revision changed (incremental matching index)

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'directory_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('institution_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('directory_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_change_revision'), ['revision'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('directory_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_change_revision'))
    op.drop_table('directory_change')
