"""Security headers on every response, and trusting a TLS proxy when told to (see SECURITY.md).

Every page loads its scripts and styles from this site's own files (``static/``), so the
Content-Security-Policy allows no inline script and no inline style: an injected ``<script>``,
``on...=`` or ``style=`` attribute would not take effect even if escaping ever failed. Swagger UI
(``/api/v1/docs``) needs no exception: React sets its styles through the DOM, which the policy
allows (tests/browser/test_browser_security.py expands operations and runs one under it).

Set ``SME_TRUST_PROXY=1`` when the app runs behind one reverse proxy that sets
``X-Forwarded-For`` and ``X-Forwarded-Proto``: ``request.is_secure`` and ``request.remote_addr``
then describe the visitor's connection, so HSTS is sent over HTTPS and rate limits count
visitors rather than the proxy. Never set it without such a proxy: anyone could then forge
these headers.
"""
import os

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",   # Pico and Swagger UI draw their icons as data: SVG images in CSS
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def add_security_headers(response):
    """Set the security headers on ``response`` (HSTS only when the request came over HTTPS)."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return response


def init_app(app: Flask) -> None:
    """Send the security headers on every response; trust one proxy when ``SME_TRUST_PROXY=1``."""
    if os.environ.get("SME_TRUST_PROXY") == "1":
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    app.after_request(add_security_headers)
