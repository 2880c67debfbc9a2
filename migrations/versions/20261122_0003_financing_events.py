"""financing events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import directory.timestamps


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('financier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('financing_types', sa.JSON(), nullable=False),
    sa.Column('amount_min_yuan', sa.BigInteger(), nullable=True),
    sa.Column('amount_max_yuan', sa.BigInteger(), nullable=True),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('financier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financier_name'), ['name'], unique=False)

    op.create_table('financing_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('national', 'provincial', 'municipal', 'county', name='event_level', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
    sa.Column('starts_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('venue', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('online_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('registration_deadline', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Enum('draft', 'open', 'closed', 'completed', 'cancelled', name='event_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('sessions', sa.JSON(), nullable=False),
    sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organizer_id'], ['institution.id'], ),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('financing_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financing_event_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_event_organizer_id'), ['organizer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_event_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_event_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_event_status'), ['status'], unique=False)

    op.create_table('event_financier',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('financier_id', sa.Integer(), nullable=False),
    sa.Column('table_number', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['financing_event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['financier_id'], ['financier.id'], ),
    sa.PrimaryKeyConstraint('event_id', 'financier_id')
    )
    with op.batch_alter_table('event_financier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_financier_financier_id'), ['financier_id'], unique=False)

    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('credit_code', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('size', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('financing_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('amount_yuan', sa.BigInteger(), nullable=True),
    sa.Column('need', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='registration_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('access_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['financing_event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('access_key'),
    sa.UniqueConstraint('event_id', 'credit_code', name='uq_registration_event_credit_code')
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_status'), ['status'], unique=False)

    op.create_table('event_tag',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['financing_event.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'kind', 'code')
    )
    with op.batch_alter_table('event_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_tag_code'), ['code'], unique=False)

    op.create_table('event_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('financier_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('starts_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['financing_event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['financier_id'], ['financier.id'], ),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registration.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'financier_id', 'slot', name='uq_meeting_financier_slot'),
    sa.UniqueConstraint('event_id', 'registration_id', 'financier_id', name='uq_meeting_pair'),
    sa.UniqueConstraint('event_id', 'registration_id', 'slot', name='uq_meeting_registration_slot')
    )
    with op.batch_alter_table('event_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_meeting_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_meeting_registration_id'), ['registration_id'], unique=False)

    op.create_table('event_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('financier_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.Enum('intention', 'signed', name='outcome_result', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('amount_yuan', sa.BigInteger(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('recorded_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['financing_event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['financier_id'], ['financier.id'], ),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registration.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_outcome_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_outcome_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_outcome_result'), ['result'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('event_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_outcome_result'))
        batch_op.drop_index(batch_op.f('ix_event_outcome_registration_id'))
        batch_op.drop_index(batch_op.f('ix_event_outcome_event_id'))

    op.drop_table('event_outcome')
    with op.batch_alter_table('event_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_meeting_registration_id'))
        batch_op.drop_index(batch_op.f('ix_event_meeting_event_id'))

    op.drop_table('event_meeting')
    with op.batch_alter_table('event_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_tag_code'))

    op.drop_table('event_tag')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_status'))
        batch_op.drop_index(batch_op.f('ix_event_registration_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_registration_credit_code'))

    op.drop_table('event_registration')
    with op.batch_alter_table('event_financier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_financier_financier_id'))

    op.drop_table('event_financier')
    with op.batch_alter_table('financing_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financing_event_status'))
        batch_op.drop_index(batch_op.f('ix_financing_event_starts_at'))
        batch_op.drop_index(batch_op.f('ix_financing_event_region_code'))
        batch_op.drop_index(batch_op.f('ix_financing_event_organizer_id'))
        batch_op.drop_index(batch_op.f('ix_financing_event_level'))

    op.drop_table('financing_event')
    with op.batch_alter_table('financier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financier_name'))

    op.drop_table('financier')
