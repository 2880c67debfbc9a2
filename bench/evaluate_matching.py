"""Provider top-1 accuracy against docs/contract.md's ranking rule, ours and a plain baseline.

Run ``python -m bench.evaluate_matching``. Each labelled need of ``bench/eval/needs.csv`` is
given an SME division (spread over every level and province). The expected provider is what the
contract's rule picks for the *labelled* categories — coverage, then tier, then text match —
so the measure asks whether detection errors change the provider an SME is shown first.
Ours ranks with the *detected* categories. The baseline is rapidfuzz ``process.extractOne`` of
the need against every provider's name and description: no lexicon, no tiers.
"""
import csv
import time

from rapidfuzz import fuzz, process

from bench.sample_index import ROOT, geography, provider_index, sample_rows, sme_regions
from matching.classify import CategoryMatch, classify_need
from matching.normalize import normalize_text
from matching.ranking import rank_providers

NEEDS = ROOT / "bench" / "eval" / "needs.csv"


def labelled_needs() -> list[tuple[str, list[str]]]:
    with NEEDS.open(encoding="utf-8") as handle:
        return [(r["text"], r["categories"].split(";")) for r in csv.DictReader(handle) if r["categories"]]


def top(needs, chain, index):
    ranked, _ = rank_providers(needs=needs, chain=chain, index=index, limit=1)
    return ranked[0].provider.id if ranked else None


def main() -> None:
    index, geo = provider_index(), geography()
    needs = labelled_needs()
    regions = sme_regions(len(needs))
    choices = {int(r["id"]): normalize_text(f"{r['name']} {r['description']}")
               for r in sample_rows() if r["status"] == "active"}
    ours = baseline = answerable = 0
    started = time.perf_counter()
    for (text, labels), region in zip(needs, regions):
        chain = geo.chain(region)
        detected = classify_need(text)
        terms = tuple(t for n in detected for t in n.matched_terms)
        expected = top([CategoryMatch(code, 1.0, terms) for code in labels], chain, index)
        if expected is None:
            continue
        answerable += 1
        ours += top(detected, chain, index) == expected
        best = process.extractOne(normalize_text(text), choices, scorer=fuzz.WRatio)
        baseline += best is not None and best[2] == expected
    seconds = time.perf_counter() - started
    print(f"Provider top-1 against the contract's rule ({answerable} labelled needs with a provider, "
          f"SMEs spread over {len(set(regions))} divisions; {seconds:.1f} s)\n")
    print("| method | provider top-1 |\n|---|---:|")
    print(f"| ours (lexicon, tiers) | {ours / answerable:.3f} |")
    print(f"| baseline (rapidfuzz extractOne over descriptions) | {baseline / answerable:.3f} |")


if __name__ == "__main__":
    main()
