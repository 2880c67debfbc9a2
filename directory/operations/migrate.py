"""Copy a whole database (usually SQLite) into another one (usually PostgreSQL).

The target's schema is brought to head by Alembic, then every table is copied, parents before
children, in one target transaction that only commits once each table's row count matches the
source's. Rows go through the models' column types, so JSON values and UTC datetimes are read
and written the way the app itself does.
"""
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Integer, Table, bindparam, func, select, text, update
from sqlmodel import SQLModel

import directory.models  # noqa: F401  (registers every table on the metadata)
from directory.config import ROOT, normalise_database_url
from directory.database import create_engine_for, writing
from directory.institutions.revision import DirectoryRevision
from directory.migrations_runner import upgrade_schema

BATCH_SIZE = 5000
# Loaded by init-db (or by the first migration), short-lived (login rate-limit counters) or derived
# (the matching index's change log), and therefore replaced rather than refused.
REFERENCE_TABLES = frozenset({"region", "region_successor", "division_edition", "service_category",
                              "designation_kind", "directory_revision", "directory_change", "rate_limit_counter"})


class MigrationError(Exception):
    """The copy was refused or did not verify; the target is left as it was (schema aside)."""


def migrate_to(source_engine: Engine, target_url: str) -> dict[str, int]:
    """Copy every table of ``source_engine``'s database to ``target_url``; returns rows per table."""
    target_engine = create_engine_for(normalise_database_url(target_url))
    try:
        _require_head(source_engine)
        upgrade_schema(target_engine)
        tables = SQLModel.metadata.sorted_tables
        with source_engine.connect() as source, source.begin(), writing(target_engine).begin() as target:
            _refuse_user_data(target, tables)
            previous_revision = _revision(target)
            for table in reversed(tables):
                target.execute(table.delete())
            counts = {}
            for table in tables:
                counts[table.name] = _count(source, table)
                if _copy_table(source, target, table) != counts[table.name]:
                    raise MigrationError(f"{table.name}: the source changed while it was read; nothing was "
                                         "committed.")
            if _bump_revision(target, previous_revision):
                counts[DirectoryRevision.__tablename__] += 1
            if target.dialect.name == "postgresql":
                _reset_sequences(target, tables)
            _verify_counts(target, counts)
        return counts
    finally:
        target_engine.dispose()


def _require_head(source_engine: Engine) -> None:
    """The source must be at the same schema revision the target is upgraded to."""
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    with source_engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise MigrationError(f"The source database is at schema revision {current or 'none'}, not {head}; "
                             "run `flask --app wsgi init-db` on it first.")


def _refuse_user_data(target: Connection, tables: list[Table]) -> None:
    filled = [table.name for table in tables if table.name not in REFERENCE_TABLES and _count(target, table)]
    if filled:
        raise MigrationError(f"The target database already holds data ({', '.join(filled)}); "
                             "migrate into an empty database.")


def _count(connection: Connection, table: Table) -> int:
    return connection.scalar(select(func.count()).select_from(table))


def _revision(connection: Connection) -> int:
    revision = DirectoryRevision.__table__
    return connection.scalar(select(revision.c.value).where(revision.c.id == 1)) or 0


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    """Copy ``table`` in batches; self-references are filled in once every row exists."""
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    key = list(table.primary_key.columns)
    rows = source.execution_options(yield_per=BATCH_SIZE).execute(select(table).order_by(*key))
    copied, links = 0, []
    for batch in rows.mappings().partitions():
        batch = [dict(row) for row in batch]
        for row in batch:
            if any(row[name] is not None for name in self_refs):
                links.append({**{f"k_{c.name}": row[c.name] for c in key},
                              **{f"v_{name}": row[name] for name in self_refs}})
                row.update({name: None for name in self_refs})
        target.execute(table.insert(), batch)
        copied += len(batch)
    if links:
        statement = (update(table).where(*(c == bindparam(f"k_{c.name}") for c in key))
                     .values({name: bindparam(f"v_{name}") for name in self_refs}))
        for start in range(0, len(links), BATCH_SIZE):
            target.execute(statement, links[start:start + BATCH_SIZE])
    return copied


def _bump_revision(target: Connection, previous: int) -> bool:
    """Move the counter past any revision an app process has built its index at; True if it added the row."""
    revision = DirectoryRevision.__table__
    copied = target.scalar(select(revision.c.value).where(revision.c.id == 1))
    if copied is None:  # a source that lost its row
        target.execute(revision.insert().values(id=1, value=previous + 1))
        return True
    target.execute(update(revision).where(revision.c.id == 1).values(value=max(copied, previous) + 1))
    return False


def _reset_sequences(target: Connection, tables: list[Table]) -> None:
    """Let the next insert of each integer ``id`` table take the id after the copied ones."""
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].name == "id" and isinstance(key[0].type, Integer):
            target.execute(text(f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                                f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"),
                           {"table": table.name})


def _verify_counts(target: Connection, counts: dict[str, int]) -> None:
    tables = SQLModel.metadata.tables
    wrong = {name: (expected, _count(target, tables[name])) for name, expected in counts.items()}
    wrong = {name: pair for name, pair in wrong.items() if pair[0] != pair[1]}
    if wrong:
        detail = ", ".join(f"{name}: {source} in the source, {copied} copied"
                           for name, (source, copied) in wrong.items())
        raise MigrationError(f"Row counts differ, nothing was committed ({detail}).")
