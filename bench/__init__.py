"""Benchmarks: ``make bench`` (``python -m bench``) prints their tables."""
