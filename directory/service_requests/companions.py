"""Modules of the project this feature uses when they are installed: the outbox and the task queue."""
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import directory


def own_module(name: str) -> ModuleType | None:
    """The module ``name`` (e.g. ``directory.outbox``) when it belongs to this application's package.

    An editable install of another checkout of the project can make a foreign module of that name
    findable, whose tables this database does not have; such a module is never imported (importing
    it would add its tables to this application's metadata). A module put in ``sys.modules`` without
    a file (a stand-in in tests) is used as it is.
    """
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "__file__", None) is None:
        return loaded
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    here = Path(directory.__file__).resolve().parent
    if spec is None or spec.origin is None or here not in Path(spec.origin).resolve().parents:
        return None
    return importlib.import_module(name)
