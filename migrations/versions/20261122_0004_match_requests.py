"""match requests: each match recorded anonymously, with the categories it asked for

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import directory.timestamps


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('match_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
    sa.Column('served_in_chain', sa.Boolean(), nullable=False),
    sa.Column('need_text', sa.Text(), nullable=True),
    sa.Column('source', sa.Enum('api', 'finder', name='match_request_source', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['region.code'], ),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('match_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_request_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_request_region_code'), ['region_code'], unique=False)

    op.create_table('match_request_category',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('served_in_chain', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['service_category.code'], ),
    sa.ForeignKeyConstraint(['request_id'], ['match_request.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'category_code')
    )
    with op.batch_alter_table('match_request_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_request_category_category_code'), ['category_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('match_request_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_request_category_category_code'))

    op.drop_table('match_request_category')
    with op.batch_alter_table('match_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_request_region_code'))
        batch_op.drop_index(batch_op.f('ix_match_request_province_code'))
        batch_op.drop_index(batch_op.f('ix_match_request_created_at'))

    op.drop_table('match_request')