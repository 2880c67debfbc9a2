"""Background jobs: a Huey task queue, the worker that consumes it, and the periodic jobs features register.

Features call ``register_periodic(name, func, every_seconds=...)`` from their ``init_app`` and
``run_soon(name)`` to ask for a turn now. This package knows no feature.
"""
from directory.jobs.queue import init_app, run_soon
from directory.jobs.registry import register_periodic

__all__ = ["init_app", "register_periodic", "run_soon"]
