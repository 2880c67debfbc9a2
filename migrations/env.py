"""Alembic environment: uses the connection handed over by ``init-db``, else DATABASE_URL."""
from alembic import context
from sqlmodel import SQLModel

import directory.models  # noqa: F401  (registers every table on the metadata)
from directory.config import DEFAULT_DATABASE_URL, normalise_database_url
from directory.database import create_engine_for

target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    import os

    url = normalise_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    with create_engine_for(url).connect() as conn:
        run_migrations(conn)
