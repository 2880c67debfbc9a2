"""The web pages (Jinja templates), one blueprint per feature, and what every template can use."""
from urllib.parse import quote, urlencode

from flask import Flask, request

from directory import labels

LABEL_FILTERS = ("level_label", "status_label", "region_level_label", "tier_label", "category_name",
                 "category_description", "error_title")


def language_url(language: str) -> str:
    """The current page's address with ``lang`` set to ``language``, other arguments kept."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.script_root}{quote(request.path)}?{urlencode(args + [('lang', language)])}"


def register_template_helpers(app: Flask) -> None:
    """Labels as Jinja filters; ``error_message`` and ``language_url`` as globals."""
    for name in LABEL_FILTERS:
        app.add_template_filter(getattr(labels, name), name)
    app.add_template_global(labels.error_message, "error_message")
    app.add_template_global(language_url, "language_url")


def register_pages(app: Flask) -> None:
    """Register every page blueprint."""
    from directory.institutions import pages as institution_pages
    from directory.matching import pages as finder_pages
    from directory.overview import pages as overview_pages
    from directory.regions import pages as region_pages

    register_template_helpers(app)
    for module in (overview_pages, institution_pages, finder_pages, region_pages):
        app.register_blueprint(module.blp)
