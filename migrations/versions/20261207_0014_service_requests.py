"""service requests: requests, assignments, timeline, feedback; staff accounts bound to an institution

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import directory.timestamps


revision = '0014'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need', sa.Text(), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('enterprise_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('credit_code', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('consent_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('open', 'in_progress', 'resolved', 'closed', 'unserved', name='service_request_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('tracking_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.Column('erased_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_contact_phone'), ['contact_phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_tracking_hash'), ['tracking_hash'], unique=True)

    op.create_table('service_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('offered', 'accepted', 'declined', 'forwarded', 'resolved', 'expired', name='service_assignment_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('escalated_from_id', sa.Integer(), nullable=True),
    sa.Column('accept_by', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolve_by', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reminded_at', directory.timestamps.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalated_from_id'], ['service_assignment.id'], ),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_assignment_accept_by'), ['accept_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_assignment_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_assignment_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_assignment_status'), ['status'], unique=False)

    op.create_table('service_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id')
    )
    op.create_table('service_request_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['service_assignment.id'], ),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_request_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_event_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('administrator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('institution_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True))
        batch_op.create_index(batch_op.f('ix_administrator_institution_id'), ['institution_id'], unique=False)
        batch_op.create_foreign_key('fk_administrator_institution_id', 'institution', ['institution_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('administrator', schema=None) as batch_op:
        batch_op.drop_constraint('fk_administrator_institution_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_administrator_institution_id'))
        batch_op.drop_column('email')
        batch_op.drop_column('institution_id')

    with op.batch_alter_table('service_request_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_event_request_id'))

    op.drop_table('service_request_event')
    op.drop_table('service_feedback')
    with op.batch_alter_table('service_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_assignment_status'))
        batch_op.drop_index(batch_op.f('ix_service_assignment_request_id'))
        batch_op.drop_index(batch_op.f('ix_service_assignment_institution_id'))
        batch_op.drop_index(batch_op.f('ix_service_assignment_accept_by'))

    op.drop_table('service_assignment')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_tracking_hash'))
        batch_op.drop_index(batch_op.f('ix_service_request_status'))
        batch_op.drop_index(batch_op.f('ix_service_request_region_code'))
        batch_op.drop_index(batch_op.f('ix_service_request_created_at'))
        batch_op.drop_index(batch_op.f('ix_service_request_contact_phone'))
        batch_op.drop_index(batch_op.f('ix_service_request_closed_at'))

    op.drop_table('service_request')
