"""The web pages (Jinja templates), one blueprint per feature, and what every template can use."""
from urllib.parse import quote, urlencode

from flask import Flask, request

from directory import labels

LABEL_FILTERS = ("level_label", "status_label", "region_level_label", "tier_label", "event_scope_label", "category_name",
                 "category_description", "error_title", "event_status_label", "registration_status_label",
                 "outcome_label", "chain_label", "financing_type_label", "financier_type_label", "size_label",
                 "yuan", "china_time", "designation_kind_name")


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
    from directory.admin import accounts as admin_accounts
    from directory.admin import audit_log as admin_audit
    from directory.admin import designations as admin_designations
    from directory.admin import history as admin_history
    from directory.admin import imports as admin_imports
    from directory.admin import institutions as admin_institutions
    from directory.admin import pages as admin_pages
    from directory.events import organizer_pages, pages as event_pages
    from directory.institutions import pages as institution_pages
    from directory.finder import pages as finder_pages
    from directory.overview import pages as overview_pages
    from directory.institutions import region_pages
    from directory.service_requests import inbox_pages as service_inbox_pages
    from directory.service_requests import pages as service_request_pages
    from directory.statistics import pages as stats_pages

    register_template_helpers(app)
    for module in (overview_pages, institution_pages, finder_pages, region_pages, event_pages, organizer_pages,
                   stats_pages, admin_pages, admin_institutions, admin_imports, admin_accounts, admin_history,
                   admin_audit, admin_designations, service_request_pages, service_inbox_pages):
        app.register_blueprint(module.blp)
