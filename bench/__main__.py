"""``make bench``: every benchmark, one after the other, each printing its table."""
import importlib
import sys

SECTIONS = [
    ("Directory queries (sample network, in-process)", "bench.directory_queries"),
    ("Need classification: evaluation set, ours vs baseline", "bench.evaluate_classifier"),
    ("Name search: evaluation set and speed at 2k/20k/200k, ours vs brute force vs tantivy", "bench.evaluate_names"),
    ("Provider top-1 against the contract's ranking rule", "bench.evaluate_matching"),
    ("Match speed at 2k/20k/200k and 141,000-need batch", "bench.speed_matching"),
    ("Matching index: one change applied in place vs a full rebuild, 2k/20k/200k", "bench.index_update"),
    ("HTTP: POST /api/v1/match on gunicorn, 2 workers", "bench.http_load"),
    ("Coverage statistics: sample network and 200,000 institutions", "bench.coverage_speed"),
    ("Statistics page and coverage API: now, after a change, before", "bench.stats_page"),
    ("Meeting schedule: 1,000 SMEs × 60 financiers × 16 slots, ours vs greedy", "bench.schedule_meetings"),
]


def main(names: list[str]) -> None:
    for title, module in SECTIONS:
        if names and not any(name in module for name in names):
            continue
        print(f"\n## {title}\n", flush=True)
        importlib.import_module(module).main()


if __name__ == "__main__":
    main(sys.argv[1:])
