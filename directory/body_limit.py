"""Request bodies over ``MAX_CONTENT_LENGTH`` are refused whatever their transfer encoding.

Werkzeug checks a declared ``Content-Length``. A chunked body declares none, and Werkzeug's
streaming limit stops reading *at* the limit without complaint, so a view would see a body cut at
10 MB and could import the part (the "all or nothing" of an import would silently break). This
WSGI middleware therefore reads a chunked body completely before the app sees it, spooled to a
temporary file past 1 MB: a body within the limit reaches the app with its ``Content-Length``
like any other; a longer one is never handed over, and its declared length is set past the
limit, so ``guards.reject_oversized_body`` answers 413 before any view runs.
"""
import io
import tempfile

from werkzeug.http import parse_set_header

SPOOL_IN_MEMORY = 1024 * 1024
READ_SIZE = 64 * 1024


class ChunkedBodyLimit:
    """Wraps a WSGI app: chunked request bodies are buffered and measured against the limit."""

    def __init__(self, app, config: dict):
        self.app = app
        self.config = config

    def __call__(self, environ, start_response):
        if is_chunked(environ):
            buffer_body(environ, self.config.get("MAX_CONTENT_LENGTH"))
        return self.app(environ, start_response)


def is_chunked(environ: dict) -> bool:
    """Whether the request body comes with ``Transfer-Encoding: chunked`` (so without a length)."""
    return "chunked" in parse_set_header(environ.get("HTTP_TRANSFER_ENCODING"))


def buffer_body(environ: dict, limit: int | None) -> None:
    """Read the whole body (at most ``limit`` + 1 bytes) and hand it on as a plain, measured body."""
    source = environ["wsgi.input"]
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    length = 0
    while limit is None or length <= limit:
        chunk = source.read(READ_SIZE if limit is None else min(READ_SIZE, limit + 1 - length))
        if not chunk:
            break
        body.write(chunk)
        length += len(chunk)
    if limit is not None and length > limit:
        body.close()
        body = io.BytesIO()       # nothing of it reaches the app; the 413 is answered from the length
    body.seek(0)
    environ["wsgi.input"] = body
    environ["CONTENT_LENGTH"] = str(length)
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)
