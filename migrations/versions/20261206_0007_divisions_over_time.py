"""divisions over time: validity of each division, successors of retired ones, editions loaded

Revision ID: 0007
Revises: 0008
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import directory.timestamps


revision = '0007'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_force_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_region_retired_on'), ['retired_on'], unique=False)
    op.create_table('region_successor',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('successor_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.ForeignKeyConstraint(['code'], ['region.code'], ),
    sa.ForeignKeyConstraint(['successor_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('code', 'successor_code')
    )
    op.create_table('division_edition',
    sa.Column('edition', sa.String(length=16), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('applied_at', directory.timestamps.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('edition')
    )
    # Every release before this one shipped the end-2022 list: a database that already holds
    # divisions holds that edition, and init-db brings it forward (moving records out of
    # divisions retired since).
    if op.get_bind().execute(sa.text("SELECT count(*) FROM region")).scalar():
        op.execute(sa.text("INSERT INTO division_edition (edition, published_on, applied_at) "
                           "VALUES ('2022', '2022-12-31', CURRENT_TIMESTAMP)"))


def downgrade() -> None:
    op.drop_table('division_edition')
    op.drop_table('region_successor')
    op.drop_index('ix_region_retired_on', table_name='region')
    # Not batch mode: on SQLite that rebuilds the table, which every other table references.
    # SQLite 3.35+ drops a plain column in place.
    op.execute(sa.text("ALTER TABLE region DROP COLUMN retired_on"))
    op.execute(sa.text("ALTER TABLE region DROP COLUMN in_force_from"))
