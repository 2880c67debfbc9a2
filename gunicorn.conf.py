"""Production server settings: ``make serve`` (or ``gunicorn -c gunicorn.conf.py wsgi:app``).

Every value can be overridden from the environment: SME_BIND, SME_WORKERS, SME_THREADS,
SME_TIMEOUT, SME_ACCESS_LOG, SME_MAX_REQUESTS, SME_FORWARDED_ALLOW_IPS. Workers default to 2 × cores + 1 (CPU-light, database-bound
requests). The app is not preloaded: each worker imports it after the fork, so every worker
creates its own database engine and connection pool and no connection is shared between
processes. On PostgreSQL keep workers × (SME_DB_POOL_SIZE + SME_DB_MAX_OVERFLOW) × app servers
below the server's ``max_connections`` (README, "Deployment").
"""
import multiprocessing
import os

bind = os.environ.get("SME_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SME_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("SME_THREADS", 4))     # a worker keeps serving while one request waits on the database
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("SME_TIMEOUT", 60))        # a request running longer gets its worker replaced
graceful_timeout = 30
keepalive = 5
# Workers are not recycled by default: a new worker builds its matching index before it answers
# (~0.5 s on the sample network, ~40 s at 200,000 institutions), and a recycled pair under load
# stalled every ~5,000 requests. SME_MAX_REQUESTS=N recycles after about N requests (± 10 %).
max_requests = int(os.environ.get("SME_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
preload_app = False                  # engines are created in each worker, after the fork
# Request size limits (the app also refuses bodies over MAX_CONTENT_LENGTH with 413).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# No access log by default: the reverse proxy in front keeps one (README, "Deployment"), and
# gunicorn's own costs a light request about a third of its throughput (bench/README.md, "HTTP").
# SME_ACCESS_LOG=- writes it to stdout (a path: to that file).
accesslog = os.environ.get("SME_ACCESS_LOG") or None
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# gunicorn would believe X-Forwarded-Proto from 127.0.0.1 by default (and so send HSTS over plain
# HTTP to anyone on the machine). Proxies are trusted by the app, with SME_TRUST_PROXY=1
# (SECURITY.md); gunicorn trusts none unless told here.
forwarded_allow_ips = os.environ.get("SME_FORWARDED_ALLOW_IPS", "")


def post_worker_init(worker):
    """Each worker: a deadline per request, and the security headers on gunicorn's own error pages."""
    from directory import gunicorn_hooks

    gunicorn_hooks.install(worker)


def pre_request(worker, req):
    from directory import gunicorn_hooks

    gunicorn_hooks.request_started(worker, req)


def post_request(worker, req, environ, resp):
    from directory import gunicorn_hooks

    gunicorn_hooks.request_finished(worker)



def worker_exit(_server, worker):
    """Write the worker's buffered demand records before it goes (graceful stop, restart, recycling)."""
    app = getattr(worker, "wsgi", None)
    recorder = getattr(app, "extensions", {}).get("sme_demand_recorder")
    if recorder is not None:
        recorder.close()
