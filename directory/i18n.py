"""Language choice: ``?lang=`` (remembered in a cookie), else the cookie, else the browser's
``Accept-Language`` for pages, else Chinese."""
from flask import Flask, request

LANGUAGES = {"zh": "zh_Hans_CN", "en": "en"}
DEFAULT_LANGUAGE = "zh"
LANG_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600
API_PREFIX = "/api/"   # the API answers in its contract's language whatever the browser prefers


def chosen_language() -> str:
    """The short code (``zh`` or ``en``) of the language this request is shown in."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    # Pages are Chinese unless the visitor chose English (the contract's default); the browser's
    # Accept-Language is not followed, since most browsers (headless ones included) send en-US.
    return DEFAULT_LANGUAGE


def select_locale() -> str:
    """Flask-Babel locale selector. ``zh_Hans_CN`` is what Babel makes of ``zh_CN``."""
    return LANGUAGES[chosen_language()]


def remember_language(response):
    """Keep an explicit ``?lang=`` choice for later visits; say that pages vary with the remembered choice."""
    lang = request.args.get("lang")
    if lang in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    if not request.path.startswith(API_PREFIX):
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Remember language switches and expose the current language to templates."""
    app.after_request(remember_language)
    app.context_processor(lambda: {"current_language": chosen_language()})
