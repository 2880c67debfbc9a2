"""Measure the import graph of ``directory``: features that import each other, and imports that point up.

Run from the repository root: ``python tools/import_graph.py [--list]``. A feature is a first-level
module or package of ``directory``; its layer comes from ``LAYERS`` (top first), the layering that
the import-linter contracts in pyproject.toml enforce. Every import counts, function-local ones too.
"""
import sys
from collections import defaultdict
from itertools import combinations

import grimp

sys.path.insert(0, ".")   # this tree's packages, not the installed ones

# Top first. Names of before the restructuring (matching, schema, cli) stand beside their new ones
# so that the same script measures both commits.
LAYERS = [
    {"__init__", "app", "pages", "cli", "sample_events", "models", "domain_errors", "commands", "sample_network", "reference_data", "operations",
     "gunicorn_hooks"},
    {"admin"},
    {"finder", "matching", "statistics", "events", "hsds", "overview", "service_requests"},
    {"institutions", "demand"},
    {"designations"},
    {"categories"},
    {"regions"},
    {"auth"},
    {"jobs", "outbox"},
    None,   # everything else: the shared kernel (database, errors, audit trail, pagination, tables, ...)
]


def layer_of(feature: str) -> int:
    for index, names in enumerate(LAYERS[:-1]):
        if feature in names:
            return index
    return len(LAYERS) - 1


def feature_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def measure() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    graph = grimp.build_graph("directory", cache_dir=None)
    feature_edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    upward = []
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if not imported.startswith("directory"):
                continue
            a, b = feature_of(module), feature_of(imported)
            if a == b:
                continue
            feature_edges[a, b].append(f"{module} -> {imported}")
            if layer_of(b) < layer_of(a):
                upward.append((module, imported))
    features = sorted({a for a, _ in feature_edges} | {b for _, b in feature_edges})
    mutual = [(a, b) for a, b in combinations(features, 2) if (a, b) in feature_edges and (b, a) in feature_edges]
    return mutual, sorted(upward), feature_edges


def main() -> None:
    mutual, upward, edges = measure()
    print(f"mutual feature pairs: {len(mutual)}")
    print(f"upward imports: {len(upward)}")
    if "--list" in sys.argv:
        for a, b in mutual:
            print(f"  {a} <-> {b}: {edges[a, b][0]} | {edges[b, a][0]}")
        for module, imported in upward:
            print(f"  up: {module} -> {imported}")


if __name__ == "__main__":
    main()
