"""Match speed at 2,000, 20,000 and 200,000 institutions, and batch throughput.

Run ``python -m bench.speed_matching``. In-process: ``classify_need`` + ``rank_providers`` on
the need set of ``bench/eval/needs.csv`` with SMEs spread over the country, against the sample
network repeated 1, 11 and 112 times (bench.sample_index). Peer: brute force, rapidfuzz
``process.extract`` of the need over every provider's name and description.
"""
import statistics
import time
import tracemalloc

from rapidfuzz import fuzz, process

from bench.evaluate_matching import labelled_needs
from bench.sample_index import geography, providers, sme_regions
from matching.classify import classify_need
from matching.ranking import ProviderIndex, rank_providers

SCALES = (1, 11, 112)
BATCH_NEEDS = 141_000
BRUTE_FORCE_QUERIES = {1: 200, 11: 50, 112: 10}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def built(factor: int):
    geography()
    tracemalloc.start()
    started = time.perf_counter()
    rows = providers(factor)
    index = ProviderIndex(rows, geography())
    seconds = time.perf_counter() - started
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return index, rows, seconds, held / 2**20


def match_latency(index, needs, regions) -> list[float]:
    geo, samples = geography(), []
    for (text, _), region in zip(needs, regions):
        started = time.perf_counter()
        rank_providers(needs=classify_need(text), chain=geo.chain(region), index=index, limit=10)
        samples.append(time.perf_counter() - started)
    return samples


def brute_force_latency(rows, needs, count: int) -> list[float]:
    choices = [p.text for p in rows]
    samples = []
    for text, _ in needs[:count]:
        started = time.perf_counter()
        process.extract(text, choices, scorer=fuzz.WRatio, limit=10)
        samples.append(time.perf_counter() - started)
    return samples


def batch_throughput(index, needs) -> float:
    geo = geography()
    regions = sme_regions(2000)
    chains = [geo.chain(code) for code in regions]
    started = time.perf_counter()
    for i in range(BATCH_NEEDS):
        text = needs[i % len(needs)][0]
        rank_providers(needs=classify_need(text), chain=chains[i % len(chains)], index=index, limit=3)
    return time.perf_counter() - started


def main() -> None:
    needs = labelled_needs()
    regions = sme_regions(len(needs))
    print("| institutions | index build s | index MB held | match p50 ms | match p95 ms | brute force p50 ms | brute force p95 ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    sample_index = None
    for factor in SCALES:
        index, rows, seconds, megabytes = built(factor)
        sample_index = sample_index or index
        ours = percentiles(match_latency(index, needs, regions))
        brute = percentiles(brute_force_latency(rows, needs, BRUTE_FORCE_QUERIES[factor]))
        print(f"| {len(rows):,} active | {seconds:.2f} | {megabytes:.0f} | {ours[0]:.2f} | {ours[1]:.2f} "
              f"| {brute[0]:.1f} | {brute[1]:.1f} |")
    seconds = batch_throughput(sample_index, needs)
    print(f"\nBatch: {BATCH_NEEDS:,} needs classified and ranked against the sample network in {seconds:.1f} s "
          f"({BATCH_NEEDS / seconds:,.0f} needs/s)")


if __name__ == "__main__":
    main()
