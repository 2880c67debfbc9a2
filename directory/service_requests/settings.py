"""The service-request clock's settings: app config values with their defaults."""
from flask import current_app, has_app_context

DEFAULTS = {
    "SERVICE_ACCEPT_WORKING_DAYS": 2,     # an institution accepts (contacts the SME) within this many working days
    "SERVICE_RESOLVE_WORKING_DAYS": 15,   # and reports an outcome within this many after accepting
    "SERVICE_REOPEN_DAYS": 7,             # the SME may reopen a resolution it does not accept for this long
    "SERVICE_ERASE_AFTER_DAYS": 365,      # contact details are erased this long after closing
    "SERVICE_REMIND_HOURS": 24,           # a reminder goes out this long before a deadline
    "SERVICE_DUPLICATE_HOURS": 24,        # the same phone with the same need within this is one request
}


def setting(name: str) -> int:
    """The value of ``name`` in the app config, else its default."""
    if has_app_context():
        return int(current_app.config.get(name, DEFAULTS[name]))
    return DEFAULTS[name]
