"""Create or upgrade the database schema with Alembic."""
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from directory.config import ROOT


def upgrade_schema(engine: Engine) -> None:
    """Run every pending migration on ``engine``'s database."""
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
