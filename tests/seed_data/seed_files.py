"""The committed seed files, read as they are shipped."""
import csv
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"


def read_csv(path) -> list[dict]:
    """The rows of a UTF-8 CSV file, as dicts keyed by its header."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
