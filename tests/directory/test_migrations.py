"""The Alembic migrations build exactly the schema the models describe, on both engines."""
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from migration_steps import migrating
from sqlmodel import SQLModel

import directory.models  # noqa: F401
from directory.operations.setup import init_database
from directory.database import get_engine


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_downgrade_to_base_and_upgrade_again(app):
    with app.app_context():
        with migrating(get_engine()) as (config, _):
            command.downgrade(config, "base")
        assert init_database()["regions"] == 3215  # rebuilt from nothing: 3,213 in force and 2 retired
