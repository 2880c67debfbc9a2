"""Checks every request passes before it reaches a view."""
from flask import Flask, abort, request


def reject_nul_bytes() -> None:
    """A NUL byte in a query parameter is never meaningful (and PostgreSQL refuses it)."""
    if any("\x00" in value for value in request.args.values()) or "\x00" in request.path:
        abort(400, "NUL bytes are not allowed in the address.")


def init_app(app: Flask) -> None:
    app.before_request(reject_nul_bytes)
