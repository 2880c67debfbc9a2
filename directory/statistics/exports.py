"""Statistics tables as downloads: the shared table writers of ``directory.tables``."""
from directory.tables import XLSX_MIMETYPE, Table, table_csv, workbook_bytes  # noqa: F401
