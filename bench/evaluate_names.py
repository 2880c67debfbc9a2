"""Institution name search: accuracy on bench/eval/name_queries.csv; speed and memory by size.

    python -m bench.evaluate_names                    # accuracy per kind, then the scale table
    python -m bench.evaluate_names --scales 1780 20000  # smaller registries only

Three engines answer the same queries: our `NameIndex`; the plain baseline, rapidfuzz `WRatio`
over every name (brute force); and an inverted-index peer, tantivy BM25 over the names cut into
character pairs and pinyin syllables, its top 200 re-ranked with rapidfuzz. Each engine and
registry size is measured in a fresh process, so that its resident memory is its own.
"""
import argparse
import csv
import gc
import itertools
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

from bench.tantivy_peer import TokenIndex
from matching.name_reading import cjk_syllables, segment_pinyin
from matching.name_search import NameIndex
from matching.normalize import normalize_text

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "eval" / "name_queries.csv"
INSTITUTIONS = ROOT / "seed_data" / "institutions.csv"
DIVISIONS = ROOT / "seed_data" / "divisions.csv"
KINDS = ["exact", "typo", "missing_words", "extra_words", "traditional", "pinyin", "initials",
         "abbreviation", "mixed"]
ENGINES = ["ours", "brute force", "tantivy"]
PLATFORM_KINDS = [
    "中小企业公共服务中心", "中小企业服务中心", "中小企业创业服务中心", "知识产权服务中心",
    "知识产权保护中心", "工业互联网赋能中心", "中小企业数字化转型促进中心", "中小企业创业创新服务中心",
    "中小企业人才服务中心", "中小企业融资服务平台", "中小企业检验检测公共服务平台", "科技企业孵化器",
    "中小企业法律服务中心", "中小企业国际合作服务中心", "中小企业创新创业服务基地",
]
INDUSTRIES = [
    "纺织", "电子信息", "装备制造", "新材料", "生物医药", "汽车零部件", "食品", "家具", "五金", "陶瓷",
    "精细化工", "光伏", "现代物流", "电子商务", "软件", "农产品加工", "服装", "机械", "模具", "医疗器械",
]
BRUTE_FORCE_QUERIES_AT_200K = 20  # 0.5-1.6 s a query: 20 of the set, spread over its kinds


def sample_entries() -> list[tuple[int, str]]:
    """(id, name) of the sample network."""
    with INSTITUTIONS.open(encoding="utf-8") as file:
        return [(int(row["id"]), row["name"]) for row in csv.DictReader(file)]


def query_rows() -> list[dict]:
    with QUERIES.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def division_names() -> list[str]:
    """Every division as it prefixes an institution's name: districts after their city
    (苏州市虎丘区), other divisions alone (昆山市, 江苏省)."""
    with DIVISIONS.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    by_code = {row["code"]: row for row in rows}
    names = []
    for row in rows:
        parent = by_code.get(row["parent_code"])
        district = row["level"] == "county" and row["name"].endswith("区")
        names.append(parent["name"] + row["name"] if district and parent else row["name"])
    return names


def registry(size: int) -> list[tuple[int, str]]:
    """The sample network, topped up to ``size`` with generated names, the same every run:
    divisions without a sample institution with every kind of platform (昆山市知识产权服务中心),
    then every division with an industry (苏州市纺织产业中小企业公共服务中心), then numbered
    branches (…第3分中心). A division's own centres are the sample's, so the expected answer
    of a query stays the best one, among a hundred times more names that look like it."""
    entries = sample_entries()
    if size <= len(entries):
        return entries
    taken = {name for _, name in entries}
    divisions = division_names()
    served = {division for division in divisions if any(name.startswith(division) for name in taken)}

    def names():
        for kind in PLATFORM_KINDS:
            for division in divisions:
                if division not in served:
                    yield f"{division}{kind}"
        for industry in INDUSTRIES:
            for kind in PLATFORM_KINDS:
                for division in divisions:
                    yield f"{division}{industry}产业{kind}"
        for branch in itertools.count(1):
            for kind in PLATFORM_KINDS:
                for division in divisions:
                    yield f"{division}{kind}第{branch}分中心"

    next_id = 1_000_000
    for name in names():
        if len(entries) >= size:
            break
        if name not in taken:
            taken.add(name)
            entries.append((next_id, name))
            next_id += 1
    return entries


class BruteForce:
    """The plain baseline: rapidfuzz WRatio of the query against every name."""

    def __init__(self, entries):
        self.ids = [institution_id for institution_id, _ in entries]
        self.names = [name for _, name in entries]

    def search(self, query: str, limit: int = 5) -> list[int]:
        return [self.ids[i] for _, _, i in
                process.extract(query, self.names, scorer=fuzz.WRatio, limit=limit)]


class TantivyPeer:
    """tantivy BM25 over character pairs, pinyin syllables and initials; top 200 re-ranked
    with rapidfuzz WRatio on the folded name and on its pinyin."""

    def __init__(self, entries):
        self.ids, self.texts, self.pinyin, documents = [], [], [], []
        for institution_id, name in entries:
            text = "".join(normalize_text(name).split())
            syllables = cjk_syllables(text)
            self.ids.append(institution_id)
            self.texts.append(text)
            self.pinyin.append("".join(syllables))
            documents.append([text[i:i + 2] for i in range(len(text) - 1)] + syllables
                             + ["".join(s[0] for s in syllables)])
        self.index = TokenIndex(documents, heap_size=200_000_000)

    def search(self, query: str, limit: int = 5) -> list[int]:
        folded = normalize_text(query)
        tokens, latin = [], []
        for word in folded.split():
            if word.isascii():
                splits = segment_pinyin(word) if word.isalpha() else ()
                tokens += splits[0] if splits else [word]
                latin.append(word)
            else:
                tokens += [word[i:i + 2] for i in range(len(word) - 1)] or [word]
                tokens += cjk_syllables(word)
        docs = self.index.search(tokens)
        if not docs:
            return []
        best = dict.fromkeys(docs, 0.0)
        for query_key, keys in (("".join(folded.split()), self.texts), ("".join(latin), self.pinyin)):
            if query_key:
                for _, score, i in process.extract(query_key, [keys[d] for d in docs],
                                                   scorer=fuzz.WRatio, limit=None):
                    best[docs[i]] = max(best[docs[i]], score)
        return [self.ids[d] for d in sorted(best, key=best.get, reverse=True)[:limit]]


class Ours:
    def __init__(self, entries):
        self.index = NameIndex(entries)

    def search(self, query: str, limit: int = 5) -> list[int]:
        return [institution_id for institution_id, _ in self.index.search(query, limit)]


ENGINE_CLASSES = {"ours": Ours, "brute force": BruteForce, "tantivy": TantivyPeer}


def resident_mb() -> float:
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * resource.getpagesize() / 2**20


def measure(engine: str, size: int) -> dict:
    """Build one engine over ``size`` names, then time and score the query set on it."""
    entries = registry(size)
    expected = {name: institution_id for institution_id, name in sample_entries()}
    rows = query_rows()
    if engine == "brute force" and size >= 100_000:  # every kind, a query in 7
        rows = rows[::len(rows) // BRUTE_FORCE_QUERIES_AT_200K][:BRUTE_FORCE_QUERIES_AT_200K]
    gc.collect()
    before = resident_mb()
    start = time.perf_counter()
    searcher = ENGINE_CLASSES[engine](entries)
    build = time.perf_counter() - start
    gc.collect()
    held = resident_mb() - before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    rounds = 1 if engine == "brute force" else 3
    latencies, hits = [], defaultdict(lambda: [0, 0, 0])  # kind → [queries, top-1, top-5]
    misses, by_id = [], dict(entries)
    for row in rows:
        searcher.search(row["query"])  # warm
    for row in rows:
        for _ in range(rounds):
            start = time.perf_counter()
            found = searcher.search(row["query"])
            latencies.append(time.perf_counter() - start)
        target = expected[row["expected_name"]]
        for kind in (row["kind"], "all"):
            hits[kind][0] += 1
            hits[kind][1] += found[:1] == [target]
            hits[kind][2] += target in found[:5]
        if found[:1] != [target]:
            misses.append((row["query"], by_id.get(found[0]) if found else None))
    latencies.sort()
    return {"engine": engine, "size": len(entries), "build_s": build, "held_mb": held,
            "peak_mb": peak, "queries": len(rows),
            "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
            "hits": dict(hits), "misses": misses}


def in_fresh_process(engine: str, size: int) -> dict:
    command = [sys.executable, "-m", "bench.evaluate_names", "--worker", engine, str(size)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_accuracy(results: list[dict]) -> None:
    by_engine = {r["engine"]: r["hits"] for r in results}
    print(f"Name search on {len(query_rows())} queries against the sample network "
          f"({results[0]['size']} names): top-1 / top-5\n")
    print("| kind | queries | " + " | ".join(ENGINES) + " |")
    print("|---|---:|" + "---:|" * len(ENGINES))
    for kind in KINDS + ["all"]:
        cells = []
        for engine in ENGINES:
            count, top1, top5 = by_engine[engine].get(kind, (0, 0, 0))
            cells.append(f"{top1 / count:.2f} / {top5 / count:.2f}" if count else "-")
        label = f"**{kind}**" if kind == "all" else kind
        print(f"| {label} | {by_engine['ours'][kind][0]} | " + " | ".join(cells) + " |")


def print_scale(results: list[dict]) -> None:
    print("\n| names | engine | build s | memory MB (held / peak) | p50 ms | p95 ms | top-1 | queries |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        count, top1, _ = r["hits"]["all"]
        print(f"| {r['size']:,} | {r['engine']} | {r['build_s']:.2f} | "
              f"{max(0, r['held_mb']):.0f} / {max(0, r['peak_mb']):.0f} | {r['p50_ms']:.2f} | "
              f"{r['p95_ms']:.2f} | "
              f"{top1 / count:.2f} | {r['queries']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", metavar="NAMES",
                        help="registry sizes (default: the sample network, 20000, 200000)")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "SIZE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        engine, size = arguments.worker
        print(json.dumps(measure(engine, int(size))))
        return
    results = []
    for size in arguments.scales or [len(sample_entries()), 20_000, 200_000]:
        for engine in ENGINES:
            results.append(in_fresh_process(engine, size))
            print(f"measured {engine} at {results[-1]['size']:,} names", file=sys.stderr)
    print_accuracy([r for r in results if r["size"] == results[0]["size"]])
    print_scale(results)
    for r in results:
        if r["engine"] == "ours" and r["misses"]:
            print(f"\nOurs, not first at {r['size']:,} names: " + "; ".join(
                f"{query} → {got or 'nothing'}" for query, got in r["misses"]))
    print(f"\nLatency: wall time of each query of the set, 3 times (ours, tantivy) or once (brute "
          f"force; at 200,000 names {BRUTE_FORCE_QUERIES_AT_200K} queries spread over the kinds). "
          "Memory: "
          "resident memory the built engine holds, and the peak while building, over the "
          "process's resident memory before the build (names already loaded), each engine and "
          "size in a fresh process.")


if __name__ == "__main__":
    main()
