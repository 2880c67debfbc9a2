"""Matching indexes for benchmarks: the sample network as it is, or scaled up.

Reads ``seed_data/`` directly (no database), so benchmarks measure the matching library alone.
A scaled registry repeats every sample institution ``factor`` times in the same division with
new ids and numbered names — the same geography, ``factor`` times denser.
"""
import csv
from functools import cache
from pathlib import Path

from matching.geography import Division, Geography
from matching.classify import lexicon_terms_in
from matching.ranking import Provider, ProviderIndex, service_set

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed_data"


@cache
def geography() -> Geography:
    with (SEED / "divisions.csv").open(encoding="utf-8") as handle:
        return Geography([Division(r["code"], r["name"], r["level"], r["parent_code"] or None,
                                   _number(r["longitude"]), _number(r["latitude"]))
                          for r in csv.DictReader(handle)])


def _number(text: str) -> float | None:
    return float(text) if text else None


@cache
def sample_rows() -> tuple[dict, ...]:
    with (SEED / "institutions.csv").open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def providers(factor: int = 1) -> list[Provider]:
    """Active providers of the sample network, repeated ``factor`` times."""
    out = []
    rows = [r for r in sample_rows() if r["status"] == "active"]
    for copy in range(factor):
        for row in rows:
            name = row["name"] if copy == 0 else f"{row['name']}（{copy}）"
            out.append(Provider(id=int(row["id"]) + copy * 10_000_000, name=name, level=row["level"],
                                region_code=row["region_code"] or None,
                                services=service_set(tuple(sorted(row["services"].split(";")))),
                                terms=lexicon_terms_in(row["description"])))
    return out


def provider_texts(factor: int = 1) -> list[str]:
    """Name and description of each provider of ``providers(factor)``, in the same order (for peers)."""
    return [f"{p.name} {row['description']}" for p, row in
            zip(providers(factor), [r for _ in range(factor) for r in sample_rows() if r["status"] == "active"])]


def provider_index(factor: int = 1) -> ProviderIndex:
    return ProviderIndex(providers(factor), geography())


def sme_regions(count: int) -> list[str]:
    """``count`` SME divisions spread over every level and province, deterministic."""
    divisions = [d for d in geography().divisions if d.code[:2] not in ("71", "81", "82")]
    step = max(1, len(divisions) // count)
    return [divisions[(i * step) % len(divisions)].code for i in range(count)]
