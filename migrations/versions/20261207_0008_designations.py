"""designations: kinds, designations with their history, institution.operator; flags carried over

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import directory.timestamps


revision = '0008'
down_revision = '0009'
branch_labels = None
depends_on = None

# The kinds as they stood at this revision; init-db keeps them current from seed_data/designation_kinds.csv.
KINDS = [
    ('national_demo_platform', '国家中小企业公共服务示范平台', 'National SME public service demonstration platform',
     'national', '工业和信息化部', 0),
    ('provincial_demo_platform', '省级中小企业公共服务示范平台', 'Provincial SME public service demonstration platform',
     'provincial', None, 1),
    ('national_base', '国家小型微型企业创业创新示范基地',
     'National entrepreneurship and innovation demonstration base for small and micro enterprises',
     'national', '工业和信息化部', 2),
    ('provincial_base', '省级小型微型企业创业创新示范基地',
     'Provincial entrepreneurship and innovation demonstration base for small and micro enterprises',
     'provincial', None, 3),
]


def upgrade() -> None:
    kind = op.create_table('designation_kind',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('level', sa.Enum('national', 'provincial', name='designation_level', native_enum=False,
                               create_constraint=True, length=16), nullable=False),
    sa.Column('granted_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.bulk_insert(kind, [dict(zip(('code', 'name_zh', 'name_en', 'level', 'granted_by', 'position'), row))
                          for row in KINDS])
    op.create_table('designation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('granted_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('batch', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('granted_on', sa.Date(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kind'], ['designation_kind.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('designation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designation_granted_on'), ['granted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_designation_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_designation_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_designation_revoked_on'), ['revoked_on'], unique=False)

    # Today's flag becomes an active national designation; its date and batch were never recorded.
    op.execute("INSERT INTO designation (institution_id, kind, granted_by, created_at) "
               "SELECT id, 'national_demo_platform', '工业和信息化部', updated_at FROM institution "
               "WHERE demonstration_platform = true")

    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operator', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.drop_index(batch_op.f('ix_institution_demonstration_platform'))
    # Not in batch mode: on SQLite that would copy and drop the table, and dropping it with foreign
    # keys on would cascade to its services and designations. SQLite >= 3.35 drops a column in place.
    op.drop_column('institution', 'demonstration_platform')


def downgrade() -> None:
    # Plain ALTER TABLE again (no batch copy of the institution table, see upgrade).
    op.add_column('institution', sa.Column('demonstration_platform', sa.Boolean(), nullable=False,
                                           server_default=sa.false()))
    op.execute("UPDATE institution SET demonstration_platform = true WHERE id IN ("
               "SELECT institution_id FROM designation WHERE kind = 'national_demo_platform' "
               "AND revoked_on IS NULL)")
    op.create_index(op.f('ix_institution_demonstration_platform'), 'institution', ['demonstration_platform'],
                    unique=False)
    op.drop_column('institution', 'operator')
    op.drop_table('designation')
    op.drop_table('designation_kind')
