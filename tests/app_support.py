"""Apps under test: built with the testing settings, their database connections closed afterwards."""
from contextlib import contextmanager

from directory import create_app
from directory.database import get_engine


@contextmanager
def app_on(url: str, **config):
    """A testing app on ``url`` (the login rate limit off unless ``config`` says); its connections closed after."""
    app = create_app({"DATABASE_URL": url, "TESTING": True, "RATELIMIT_ENABLED": False, **config})
    yield app
    with app.app_context():
        get_engine().dispose()
