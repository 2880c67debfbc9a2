"""How many rows each table of a database holds: what a backup, a restore or a migration must keep."""
from sqlalchemy import create_engine, func, select
from sqlmodel import SQLModel

import directory.models  # noqa: F401  (every table in the metadata)


def counts(url: str) -> dict[str, int]:
    """Table name -> number of rows, in the database at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: connection.scalar(select(func.count()).select_from(table))
                    for table in SQLModel.metadata.sorted_tables}
    finally:
        engine.dispose()
