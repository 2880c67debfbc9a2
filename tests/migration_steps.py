"""Running the Alembic migrations step by step (to a revision, or back down), as the migration tests do."""
from contextlib import contextmanager

from alembic.config import Config
from sqlalchemy import Engine

from directory.config import ROOT


@contextmanager
def migrating(engine: Engine):
    """An Alembic config whose commands run in one transaction on ``engine``, and that transaction's connection."""
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        yield config, connection
