"""Rows written with the database driver's own executemany, for writes of many rows under the write lock."""
from sqlmodel import Session


def insert_plain(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows with the driver's own executemany; values must be what the driver takes as they are.

    SQLAlchemy builds a parameter dict per row and compiles it (most of a 20,000-row import's write
    transaction); rows already in the driver's terms skip that, which keeps the write lock short.
    """
    if not rows:
        return
    connection = session.connection()
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) "
                               f"VALUES ({', '.join([marker] * len(columns))})", rows)


def driver_values(session: Session, table, columns: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
    """``rows`` converted by each column's own bind processor (JSON, aware UTC times), as SQLAlchemy would."""
    dialect = session.connection().dialect
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in columns]
    return [tuple(value if process is None or value is None else process(value)
                  for process, value in zip(processors, row)) for row in rows]
