"""Statistics kept per directory revision: reused until the directory changes, bounded in size."""
from directory.database import get_session
from directory.statistics.cache import FiguresCache, cached_figures


def test_figures_are_computed_once_per_key_and_the_oldest_are_dropped():
    cache, calls = FiguresCache(size=2), []

    def compute(value):
        return lambda: calls.append(value) or value

    assert cache.get("a", compute(1)) == 1 and cache.get("a", compute(99)) == 1
    cache.get("b", compute(2))
    cache.get("a", compute(99))           # "a" used last: "b" is the oldest
    cache.get("c", compute(3))            # "b" dropped
    assert cache.get("a", compute(99)) == 1
    assert cache.get("b", compute(4)) == 4
    assert calls == [1, 2, 3, 4]


def test_a_change_to_the_directory_is_a_new_key(app, add_institution):
    with app.test_request_context():
        session, seen = get_session(), []
        first = cached_figures(session, "count", lambda: seen.append(1) or len(seen))
        assert cached_figures(session, "count", lambda: seen.append(1) or len(seen)) == first == 1
    add_institution("苏州市法律服务中心", "municipal", "320500", ("legal",))
    with app.test_request_context():
        assert cached_figures(get_session(), "count", lambda: seen.append(1) or len(seen)) == 2
