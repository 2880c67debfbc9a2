"""SME Service Network: the Flask application factory."""
import logging

from flask import Flask

from directory import database, errors, guards, i18n, jobs, outbox, process_copy, routing, security
from directory.audit import refusals, trail
from directory.auth import login, throttle
from directory.auth.models import Administrator, ApiToken
from directory.config import ROOT, settings_from_environment
from directory.demand import recording as demand_recording
from directory.domain_errors import domain_error_statuses
from directory.events.models import FinancingEvent
from directory.events.service import move_organised_events
from directory.extensions import api, babel
from directory.hsds.dataset import is_hsds
from directory.hsds.reading import import_hsds
from directory.institutions import audit as institution_audit, revision, search as institution_search
from directory.institutions.merge import on_merge
from directory.institutions.models import Institution
from directory.institutions.upload import accept_format
from directory.regions.update import place_in_divisions
from directory.service_requests import schedule as service_request_schedule


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, database, API, pages, CLI and error handlers."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.url_map.converters["id"] = routing.IdConverter
    configure(app, test_config)
    register_extensions(app)
    register_hooks(app)
    register_blueprints(app)
    errors.register_error_handlers(app, domain_error_statuses())
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    app.config.update(
        API_TITLE="SME Service Network API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/static/vendor/swagger-ui/",
        BABEL_DEFAULT_LOCALE="zh_Hans_CN",
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "directory" / "translations"),
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config.update(settings_from_environment() if test_config is None
                      else {"SECRET_KEY": "test", **test_config})


def register_extensions(app: Flask) -> None:
    guards.init_app(app)      # first: its checks run before any other hook reads the request
    database.init_app(app)
    demand_recording.init_app(app)
    login.init_app(app)
    throttle.init_app(app)
    security.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    institution_search.init_app(app)
    jobs.init_app(app)
    outbox.init_app(app)      # after jobs: registers its delivery job there
    service_request_schedule.init_app(app)   # after jobs: the deadline clock and the erasure
    api.init_app(app)


def register_hooks(app: Flask) -> None:
    """How features hook into each other without importing upwards: audited models, records placed in divisions,
    what follows a merge, uploads in other formats; and the session listeners (audit trail, per-process copies,
    the directory's change log, refused requests)."""
    for model, how in ((Institution, institution_audit.AUDITED), (FinancingEvent, trail.Audited("event")),
                       (Administrator, trail.Audited("administrator", secret="password_hash")),
                       (ApiToken, trail.Audited("token"))):
        trail.audit_model(model, how)
    trail.init_app(app)
    process_copy.init_app(app)
    for entity, model in (("institution", Institution), ("event", FinancingEvent), ("administrator", Administrator)):
        place_in_divisions(entity, model)
    on_merge(move_organised_events)
    accept_format(is_hsds, import_hsds)
    revision.init_app(app)
    refusals.init_app(app)


def register_blueprints(app: Flask) -> None:
    from directory.auth import api as auth_api
    from directory.categories import api as categories_api
    from directory.events import api as events_api
    from directory.finder import api as finder_api
    from directory.hsds import api as hsds_api
    from directory.hsds import export_api as hsds_export_api
    from directory.institutions import api as institutions_api
    from directory.institutions import designations_api
    from directory.pages import register_pages
    from directory.regions import api as regions_api
    from directory.service_requests import api as service_requests_api
    from directory.service_requests import stats_api as service_stats_api
    from directory.statistics import api as statistics_api

    api.register_converter(routing.IdConverter, routing.id_schema)
    for blueprint in (auth_api.blp, categories_api.blp, regions_api.blp, institutions_api.blp,
                      designations_api.blp, finder_api.blp, events_api.blp, events_api.financiers_blp,
                      statistics_api.blp, hsds_api.blp, hsds_export_api.blp, service_requests_api.blp,
                      service_stats_api.blp):
        api.register_blueprint(blueprint)
    auth_api.register_security_scheme()
    register_pages(app)


def register_commands(app: Flask) -> None:
    """Each feature's commands on ``flask --app wsgi``."""
    from directory.auth.commands import admin_group, create_admin_command
    from directory.finder.commands import match_batch_command
    from directory.hsds.commands import export_group
    from directory.institutions.commands import import_institutions_command
    from directory.institutions.designation_commands import designations_group
    from directory.jobs.commands import worker_command
    from directory.operations.commands import backup_command, migrate_to_command, restore_command
    from directory.operations.setup import init_db_command, seed_command
    from directory.outbox.commands import outbox_group
    from directory.regions.commands import divisions_group
    from directory.service_requests.commands import service_requests_group
    from directory.statistics.commands import stats_group

    for command in (init_db_command, seed_command, create_admin_command, admin_group, import_institutions_command,
                    match_batch_command, stats_group, migrate_to_command, backup_command, restore_command,
                    designations_group, divisions_group, export_group, worker_command, outbox_group,
                    service_requests_group):
        app.cli.add_command(command)
