"""E-mail through an outbox: ``queue_mail`` in the caller's transaction, delivered by the worker.

Features call ``queue_mail(session, to=, subject=, body=, kind=)``; nothing else. This package
knows no feature.
"""
from directory.outbox.queueing import InvalidMailHeader, queue_mail
from directory.outbox.scheduling import deliver_soon, init_app

__all__ = ["InvalidMailHeader", "deliver_soon", "init_app", "queue_mail"]
