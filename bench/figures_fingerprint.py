"""Fingerprint of the figure parser, matcher and question intent over every text in the repo.

    python bench/figures_fingerprint.py [--repeat 5]

Run it before and after a change that must not change behaviour (a refactor, a vocabulary move): the
hashes must be equal. Texts: seeds/*.txt, evals/generalization/bulletins/*, and the question / paraphrase
/ quote / note / as_of / value strings of evals/*.yaml and evals/generalization/*.yaml. Prints one SHA-256
per section, one over all of them, and the time to parse the seeds (best of --repeat). Writes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from service.figures import Figure, figure_grounded, index_tokens, matches, parse_figures, ungrounded
from service.intent import counted_units, expand_question, figures_of, fits, parse_intent

ROOT = Path(__file__).resolve().parents[1]
TEXT_KEYS = ("question", "paraphrase", "quote", "note", "as_of", "value")
SAMPLED_PAIRS = 200_000


def _yaml_strings(node: object) -> Iterator[tuple[str, str]]:
    """(key, string) for every TEXT_KEYS string anywhere in a parsed YAML document, in document order."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in TEXT_KEYS and isinstance(v, str):
                yield k, v
            else:
                yield from _yaml_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _yaml_strings(v)


def _yaml_docs() -> list[tuple[Path, object]]:
    paths = sorted(ROOT.glob("evals/*.yaml")) + sorted(ROOT.glob("evals/generalization/*.yaml"))
    return [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]


def _facts(doc: object) -> Iterator[dict]:
    if isinstance(doc, dict):
        for key in ("facts", "multipart"):
            yield from doc.get(key) or []


class Digest:
    def __init__(self) -> None:
        self.sections: dict[str, Any] = {}  # name -> hashlib.sha256 object

    def add(self, section: str, item: object) -> None:
        h = self.sections.setdefault(section, hashlib.sha256())
        h.update(repr(item).encode("utf-8"))
        h.update(b"\n")

    def report(self) -> str:
        total = hashlib.sha256()
        lines = []
        for name, h in self.sections.items():
            lines.append(f"{name:<12} {h.hexdigest()}")
            total.update(f"{name}:{h.hexdigest()}\n".encode())
        lines.append(f"{'ALL':<12} {total.hexdigest()}")
        return "\n".join(lines)


def _match_pairs(pool: list[Figure]) -> list[tuple[Figure, Figure]]:
    """All pairs that share a value or key (where matches decides on bound, unit, kind), plus a seeded sample."""
    groups: dict[str, list[Figure]] = defaultdict(list)
    for f in pool:
        groups[str(f.value) if f.value is not None else f.normalized.split(":", 1)[1][-7:]].append(f)
    pairs = [(a, b) for key in sorted(groups) for a in groups[key] for b in groups[key]]
    rng = random.Random(7)
    pairs += [(rng.choice(pool), rng.choice(pool)) for _ in range(SAMPLED_PAIRS)]
    return pairs


def fingerprint() -> Digest:
    d = Digest()
    docs = {p.stem: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("seeds/*.txt"))}
    docs |= {p.stem: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("evals/generalization/bulletins/*"))}
    yamls = _yaml_docs()
    strings = [s for _, doc in yamls for _, s in _yaml_strings(doc)]
    texts = list(docs.values()) + strings

    pool: dict[str, Figure] = {}
    for t in texts:
        for loose in (False, True):
            figs = parse_figures(t, loose=loose)
            d.add("parse", (loose, figs))
            pool |= {repr(f): f for f in figs}
    ordered = [pool[k] for k in sorted(pool)]
    for a, b in _match_pairs(ordered):
        d.add("matches", matches(a, b))

    for name, text in docs.items():
        d.add("index", (name, index_tokens(text)))

    # Gold quotes against their bulletin, and every question against it (questions state figures too).
    for _, doc in yamls:
        for fact in _facts(doc):
            text = docs.get(fact.get("doc_id", ""), "")
            quotes = [fact.get("quote")] + [p.get("quote") for p in fact.get("parts") or []]
            for q in filter(None, quotes):
                d.add("grounding", (ungrounded(q, [text]), [figure_grounded(f, q) for f in parse_figures(text[:4000])]))

    for key, s in (ks for _, doc in yamls for ks in _yaml_strings(doc)):
        if key not in ("question", "paraphrase"):
            continue
        it = parse_intent(s)
        fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in vars(it).items()}
        d.add("intent", (fields, expand_question(s), sorted(counted_units(s))))
    for _, doc in yamls:
        for fact in _facts(doc):
            if fact.get("question") and fact.get("quote"):
                it = parse_intent(fact["question"])
                d.add("fits", [fits(it, f) for f in figures_of(fact["quote"])])
    return d


def time_seeds(repeat: int) -> float:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("seeds/*.txt"))]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for s in seeds:
            parse_figures(s)
            parse_figures(s, loose=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="timing runs over the seeds (best is printed)")
    args = ap.parse_args()
    print(fingerprint().report())
    print(f"parse seeds (strict + loose, best of {args.repeat}): {time_seeds(args.repeat) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
