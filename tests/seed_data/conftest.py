"""The seed files the checks share, read once a module."""
import pytest
from seed_files import SEED_DIR, read_csv


@pytest.fixture(scope="module")
def institutions() -> list[dict]:
    """The rows of institutions.csv, in file order."""
    return read_csv(SEED_DIR / "institutions.csv")


@pytest.fixture(scope="module")
def divisions() -> dict[str, dict]:
    """The rows of divisions.csv by code."""
    return {row["code"]: row for row in read_csv(SEED_DIR / "divisions.csv")}
