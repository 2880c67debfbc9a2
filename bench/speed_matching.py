"""Match speed at 2,000, 20,000 and 200,000 institutions, and batch throughput.

Run ``python -m bench.speed_matching``. In-process: ``classify_need`` + ``rank_providers`` on
the need set of ``bench/eval/needs.csv`` with SMEs spread over the country, against the sample
network repeated 1, 11 and 112 times (bench.sample_index). Peers, in the same run: brute force
(rapidfuzz ``process.extract`` of the need over every provider's name and description) and an
inverted-index engine (tantivy BM25 over character pairs and words of name and description, the
top 200 re-ranked with rapidfuzz). Neither peer knows categories or tiers.
"""
import gc
import os
import statistics
import time

from rapidfuzz import fuzz, process

from bench.evaluate_matching import labelled_needs
from bench.tantivy_peer import TokenIndex
from bench.sample_index import geography, provider_texts, providers, sme_regions
from matching.classify import classify_need
from matching.normalize import normalize_text
from matching.ranking import ProviderIndex, rank_providers

SCALES = (1, 11, 112)
BATCH_NEEDS = 141_000
BRUTE_FORCE_QUERIES = {1: 200, 11: 50, 112: 10}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def built(factor: int):
    """The provider index, its providers, build seconds and resident memory it added (MB)."""
    geography()
    gc.collect()
    before = resident_mb()
    started = time.perf_counter()
    rows = providers(factor)
    index = ProviderIndex(rows, geography())
    seconds = time.perf_counter() - started
    gc.collect()
    return index, rows, seconds, resident_mb() - before


def match_latency(index, needs, regions) -> list[float]:
    geo, samples = geography(), []
    for (text, _), region in zip(needs, regions):
        started = time.perf_counter()
        rank_providers(needs=classify_need(text), chain=geo.chain(region), index=index, limit=10)
        samples.append(time.perf_counter() - started)
    return samples


def brute_force_latency(texts, needs, count: int) -> list[float]:
    choices = texts
    samples = []
    for text, _ in needs[:count]:
        started = time.perf_counter()
        process.extract(text, choices, scorer=fuzz.WRatio, limit=10)
        samples.append(time.perf_counter() - started)
    return samples


def tokens(text: str) -> list[str]:
    """Character pairs of Chinese runs and whole ASCII words, as tantivy tokens."""
    out = []
    for word in normalize_text(text).split():
        if word.isascii():
            out.append(word)
        else:
            out += [word[i:i + 2] for i in range(len(word) - 1)] or [word]
    return out


class TantivyMatcher:
    """BM25 over providers' names and descriptions, top 200 re-ranked with rapidfuzz."""

    def __init__(self, texts):
        self.texts = texts
        self.index = TokenIndex(tokens(text) for text in texts)

    def match(self, need: str, limit: int = 10) -> list[int]:
        docs = self.index.search(tokens(need))
        scored = process.extract(normalize_text(need), [self.texts[d] for d in docs],
                                 scorer=fuzz.partial_ratio, limit=limit)
        return [docs[i] for _, _, i in scored]


def tantivy_latency(texts, needs) -> tuple[float, list[float]]:
    started = time.perf_counter()
    peer = TantivyMatcher(texts)
    build = time.perf_counter() - started
    samples = []
    for text, _ in needs:
        started = time.perf_counter()
        peer.match(text)
        samples.append(time.perf_counter() - started)
    return build, samples


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
    print("| institutions | ours: build s | ours: MB resident | ours: p50 ms | ours: p95 ms "
          "| brute force: p50 ms | brute force: p95 ms | tantivy: build s | tantivy: p50 ms | tantivy: p95 ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    sample_index = None
    for factor in SCALES:
        index, rows, seconds, megabytes = built(factor)
        sample_index = sample_index or index
        ours = percentiles(match_latency(index, needs, regions))
        texts = provider_texts(factor)
        brute = percentiles(brute_force_latency(texts, needs, BRUTE_FORCE_QUERIES[factor]))
        peer_build, peer_samples = tantivy_latency(texts, needs)
        peer = percentiles(peer_samples)
        print(f"| {len(rows):,} active | {seconds:.2f} | {megabytes:.0f} | {ours[0]:.2f} | {ours[1]:.2f} "
              f"| {brute[0]:.1f} | {brute[1]:.1f} | {peer_build:.1f} | {peer[0]:.2f} | {peer[1]:.2f} |", flush=True)
    seconds = batch_throughput(sample_index, needs)
    print(f"\nBatch: {BATCH_NEEDS:,} needs classified and ranked against the sample network in {seconds:.1f} s "
          f"({BATCH_NEEDS / seconds:,.0f} needs/s)")


if __name__ == "__main__":
    main()
