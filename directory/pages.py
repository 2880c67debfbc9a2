"""The web pages (Jinja templates), one blueprint per feature."""
from flask import Flask


def register_pages(app: Flask) -> None:
    """Register every page blueprint."""
