"""The real app plus one request that never ends, for the worker-timeout test (never deployed)."""
from flask import request

from directory import create_app

app = create_app()


@app.get("/test-only/runaway")
def runaway():
    """Spin on the CPU like a parser stuck in a hostile file (holding the GIL between switches)."""
    spins = 0
    while request:
        spins += 1
    return str(spins)
