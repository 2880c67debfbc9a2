"""Where one request's time goes: cProfile over the Flask test client, sample network, SQLite.

Run ``python -m bench.profile_request [categories|match] [sort] [scale]`` (sort: ``cumulative``,
the default, or ``tottime``; scale: how many copies of the sample network, 1 by default, 11 for
~20,000 institutions). Builds the sample network in a temporary database, warms the route up,
times 1,000 requests (300 for a match), then profiles as many and prints the 60 heaviest entries.
The test client adds ~0.5 ms of its own (``werkzeug/test.py``); gunicorn's own cost is not in it.
"""
import cProfile
import pstats
import sys
import tempfile
import time

MATCH_BODY = {"need": "我们厂的专利被人抄袭了，想找人维权", "region_code": "320583"}


def main(route: str = "categories", sort: str = "cumulative", scale: str = "1") -> None:
    from bench.scaled_registry import build
    from directory import create_app

    folder = tempfile.mkdtemp()
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/profile.sqlite3", "SECRET_KEY": "profile"})
    with app.app_context():
        build(int(scale))
    client = app.test_client()
    send = ((lambda: client.get("/api/v1/categories")) if route == "categories"
            else (lambda: client.post("/api/v1/match", json=MATCH_BODY)))
    count = 1000 if route == "categories" else 300
    for _ in range(50):
        assert send().status_code == 200
    started = time.perf_counter()
    for _ in range(count):
        send()
    print(f"{route}: {1000 * (time.perf_counter() - started) / count:.3f} ms per request (test client)")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        send()
    profile.disable()
    pstats.Stats(profile).sort_stats(sort).print_stats(60)


if __name__ == "__main__":
    main(*sys.argv[1:])
