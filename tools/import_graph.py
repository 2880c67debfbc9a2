"""Measure the import graph of ``directory``: features that import each other, and imports that point up.

Run from the repository root: ``python tools/import_graph.py [--list]``. A feature is a first-level
module or package of ``directory``; its layer is the one the import-linter contract in pyproject.toml
gives it (the contract may excuse a few imports; this count does not). Every import counts,
function-local ones too.
"""
import re
import sys
import tomllib
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import grimp

sys.path.insert(0, ".")   # this tree's packages, not the installed ones

# Names of before the restructuring, as the layer their code now sits in.
FORMER_NAMES = {"matching": "finder", "schema": "migrations_runner", "cli": "models"}


def contract_layers() -> list[set[str]]:
    """The layers of the import-linter contract in pyproject.toml, top first."""
    config = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return [{re.sub(r"[()\s]", "", name) for name in re.split(r"[|:]", layer)} for layer in contract["layers"]]


LAYERS = contract_layers()


def layer_of(feature: str) -> int:
    feature = FORMER_NAMES.get(feature, feature)
    if feature == "__init__":
        return -1   # the application factory, above everything
    for index, names in enumerate(LAYERS):
        if feature in names:
            return index
    raise SystemExit(f"directory.{feature} has no layer in pyproject.toml")


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
