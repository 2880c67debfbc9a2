"""administration and audit

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import directory.timestamps


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_entity_id'), ['entity_id'], unique=False)

    with op.batch_alter_table('administrator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='editor'))
    # Accounts from before roles: national ones managed everything, so they become managers.
    op.execute("UPDATE administrator SET role = 'manager' WHERE region_code IS NULL")
    with op.batch_alter_table('administrator', schema=None) as batch_op:
        batch_op.alter_column('role', server_default=None)

    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('verified_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_institution_verified_at'), ['verified_at'], unique=False)
        batch_op.create_foreign_key('fk_institution_merged_into_id', 'institution', ['merged_into_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_constraint('fk_institution_merged_into_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_institution_verified_at'))
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('verified_by')
        batch_op.drop_column('verified_at')

    with op.batch_alter_table('administrator', schema=None) as batch_op:
        batch_op.drop_column('role')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
