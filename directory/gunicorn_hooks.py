"""What ``gunicorn.conf.py`` installs in each gunicorn worker (imported there only, never by the app).

* gunicorn answers some requests itself, before the app sees them (a request line over
  ``limit_request_line`` → 414, too many or too long headers → 431, malformed requests → 400).
  Its stock page carries none of the security headers every other response has
  (``directory/security.py``); gunicorn offers no hook for it, so its ``util.write_error`` is
  replaced by one that sends the same headers.
* A request deadline. gunicorn's ``timeout`` watches the worker's heartbeat, and a threaded
  (gthread) worker keeps beating while one of its threads is stuck, so a runaway request would run
  for ever. Here each worker remembers when each request started; once one has run past
  ``timeout``, the worker stops beating: the master logs ``WORKER TIMEOUT``, kills the worker
  (SIGABRT, then SIGKILL) and starts a fresh one. README "Deployment" says what the operator sees.
"""
import html
import threading
import time

from gunicorn import util

from directory.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS


def install(worker) -> None:
    """Give ``worker`` the request deadline and gunicorn's own error pages the security headers."""
    util.write_error = write_error_with_security_headers
    worker.sme_requests = {}          # thread id → (started, "METHOD /path")
    worker.sme_overdue_reported = False
    beat = worker.notify

    def notify_unless_overdue():
        overdue = overdue_request(worker.sme_requests, worker.cfg.timeout)
        if overdue is None:
            beat()
        elif not worker.sme_overdue_reported:
            worker.sme_overdue_reported = True
            worker.log.critical("Request %s has run %d s, past the %d s timeout: worker %s stops its heartbeat "
                                "and will be killed and replaced", overdue[1], time.monotonic() - overdue[0],
                                worker.cfg.timeout, worker.pid)
    worker.notify = notify_unless_overdue


def overdue_request(requests: dict, timeout: float) -> tuple[float, str] | None:
    """The oldest request running longer than ``timeout`` seconds, or None."""
    if not timeout:
        return None
    oldest = min(requests.copy().values(), default=None)
    return oldest if oldest is not None and time.monotonic() - oldest[0] > timeout else None


def request_started(worker, req) -> None:
    worker.sme_requests[threading.get_ident()] = (time.monotonic(), f"{req.method} {req.path}")


def request_finished(worker) -> None:
    worker.sme_requests.pop(threading.get_ident(), None)


def write_error_with_security_headers(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own error answer (``gunicorn.util.write_error``), with the site's security headers."""
    body = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{status_int} {reason}</title>'
            f"</head><body><h1>{status_int} {html.escape(reason)}</h1><p>请求无法处理 / The request cannot be "
            f"processed.</p><p>{html.escape(mesg)}</p></body></html>").encode()
    headers = {"Connection": "close", "Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)),
               "Content-Security-Policy": CONTENT_SECURITY_POLICY, **SECURITY_HEADERS}
    head = f"HTTP/1.1 {status_int} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    util.write_nonblock(sock, head.encode("latin-1") + body)
