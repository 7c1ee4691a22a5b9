#!/usr/bin/env python3
"""Validate evals/facts.yaml against the seed bulletins.

Usage:  python evals/validate_facts.py [facts.yaml] [seeds_dir]

Checks, for every answerable fact:
  * required fields present, type / magnitude / qualifier in the allowed sets;
  * seeds/<doc_id>.txt exists;
  * norm(quote) is a substring of norm(bulletin text);
  * the gold value (with optional qualifier, magnitude and unit) occurs in norm(quote),
    i.e. the regex  [qualifier]? value [qualifier]? magnitude? unit  matches
    (qualifiers such as 近/约/超/逾 precede the number, 余/多 follow it);
plus: ids unique, unanswerable items well-formed, and global counts.

norm(s) = NFKC (folds full-width ASCII FF01-FF5E to ASCII, U+3000 to space)
          followed by deleting ALL whitespace.

Only stdlib + PyYAML (inside the repository it also asks evals.scoring to parse each gold).  Exposes validate(facts_path, seeds_dir) -> list[str].
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTS = ROOT / "evals" / "facts.yaml"
DEFAULT_SEEDS = ROOT / "seeds"

TYPES = {"count", "amount", "percent", "date", "phone", "duration", "name"}
MAGNITUDES = {None, "万", "亿"}
QUALIFIERS = {None, "余", "多", "近", "约", "超", "逾", "以上", "以内"}
REQUIRED = ("id", "doc_id", "question", "type", "value", "magnitude", "unit",
            "qualifier", "place", "as_of", "quote")
# types whose unit must be null
NO_UNIT_TYPES = {"date", "name", "phone"}

MIN_ANSWERABLE = 120
MIN_PARAPHRASES = 30
MIN_UNANSWERABLE = 15
MIN_PER_DOC = 15

_WS = re.compile(r"\s+")
_ID_RE = re.compile(r"^[fh](\d{3})_\d{2,}$")  # f: dev set, h: held-out set


def norm(s: str) -> str:
    """NFKC-fold (full-width ASCII -> ASCII, U+3000 -> space), then drop all whitespace."""
    return _WS.sub("", unicodedata.normalize("NFKC", s))


def _s(x) -> str:
    return "" if x is None else str(x)


def value_regex(value: str, qualifier: str | None, magnitude: str | None,
                unit: str | None) -> re.Pattern:
    """Regex (on normalised text) for the gold figure inside the quote.

    Base form: value magnitude? unit.  When a qualifier is given it must be present,
    in one of the positions bulletins use: before the number (近800张, 约30%),
    between number and magnitude/unit (300余万只, 500多个) or between magnitude and
    unit (8万余只).
    """
    v = re.escape(norm(value))
    m = re.escape(magnitude) if magnitude else ""
    u = re.escape(norm(unit)) if unit else ""
    # a number must not be glued to a neighbouring digit (e.g. "1" inside "13")
    lead = r"(?<![0-9.])" if re.match(r"[0-9]", norm(value)) else ""
    tail = r"(?![0-9])" if re.search(r"[0-9]$", norm(value)) else ""
    if qualifier:
        q = re.escape(qualifier)
        alts = [f"{q}{lead}{v}{tail}{m}{u}", f"{lead}{v}{q}{m}{u}", f"{lead}{v}{tail}{m}{u}{q}"]
        if m:
            alts.append(f"{lead}{v}{tail}{m}{q}{u}")
        return re.compile("|".join(f"(?:{a})" for a in alts))
    return re.compile(f"{lead}{v}{tail}{m}{u}")


def _load_seed(seeds_dir: Path, doc_id: str, cache: dict) -> str | None:
    if doc_id not in cache:
        p = seeds_dir / f"{doc_id}.txt"
        cache[doc_id] = norm(p.read_text(encoding="utf-8-sig")) if p.is_file() else None
    return cache[doc_id]


def _gold_parser():
    """evals.scoring.gold_figure inside the repository (imported late: scoring imports this module), so
    a gold the harness cannot parse fails validation; None in standalone use (stdlib + PyYAML only)."""
    try:
        sys.path.insert(0, str(ROOT))
        from evals.scoring import gold_figure
    except ImportError:  # pragma: no cover
        return None
    return gold_figure


def validate(facts_path, seeds_dir) -> list[str]:
    facts_path, seeds_dir = Path(facts_path), Path(seeds_dir)
    errors: list[str] = []
    try:
        data = yaml.safe_load(facts_path.read_text(encoding="utf-8-sig"))
    except Exception as e:  # pragma: no cover - reported, not raised
        return [f"cannot load {facts_path}: {e}"]
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        return [f"{facts_path}: expected a mapping with a 'facts' list"]

    gold_figure = _gold_parser()
    seed_docs = sorted(p.stem for p in seeds_dir.glob("*.txt"))
    cache: dict[str, str | None] = {}
    ids = Counter()
    per_doc = Counter()
    n_para = n_unans = n_amb = 0

    for i, f in enumerate(data["facts"]):
        if not isinstance(f, dict):
            errors.append(f"item #{i}: not a mapping")
            continue
        fid = _s(f.get("id")) or f"#{i}"
        ids[fid] += 1
        q = f.get("question")
        if not isinstance(q, str) or not q.strip():
            errors.append(f"{fid}: missing question")
        elif not q.rstrip().endswith(("？", "?")):
            errors.append(f"{fid}: question should end with ？")

        if f.get("answerable") is False:
            n_unans += 1
            if not re.match(r"^h?u\d{2,}$", fid):
                errors.append(f"{fid}: unanswerable ids should look like u01 (hu01 held out)")
            if not _s(f.get("note")).strip():
                errors.append(f"{fid}: unanswerable item needs a note")
            continue

        missing = [k for k in REQUIRED if k not in f]
        if missing:
            errors.append(f"{fid}: missing fields {missing}")
            continue
        doc_id = _s(f["doc_id"])
        m_id = _ID_RE.match(fid)
        if not m_id or not doc_id.startswith(m_id.group(1) + "_"):
            errors.append(f"{fid}: id should be f<docprefix>_<nn> (h<docprefix>_<nn> held out) matching doc_id {doc_id}")
        typ, value = f["type"], _s(f["value"])
        mag, unit, qual = f["magnitude"], f["unit"], f["qualifier"]
        quote = _s(f["quote"])
        if typ not in TYPES:
            errors.append(f"{fid}: bad type {typ!r}")
        if mag not in MAGNITUDES:
            errors.append(f"{fid}: bad magnitude {mag!r}")
        if qual not in QUALIFIERS:
            errors.append(f"{fid}: bad qualifier {qual!r}")
        if typ in NO_UNIT_TYPES and unit is not None:
            errors.append(f"{fid}: unit must be null for type {typ}")
        if typ not in NO_UNIT_TYPES and unit is None:
            errors.append(f"{fid}: unit required for type {typ}")
        if typ in {"count", "amount", "percent", "duration"} and not re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
            errors.append(f"{fid}: numeric value must be digits only, got {value!r}")
        if typ == "date" and not re.fullmatch(r"[0-9]{1,2}月[0-9]{1,2}日", value):
            errors.append(f"{fid}: date value should look like 3月10日, got {value!r}")
        if not value:
            errors.append(f"{fid}: empty value")
        if not _s(f.get("place")).strip():
            errors.append(f"{fid}: empty place")
        if "paraphrase" in f and f["paraphrase"]:
            n_para += 1
            if not _s(f["paraphrase"]).rstrip().endswith(("？", "?")):
                errors.append(f"{fid}: paraphrase should end with ？")
        if f.get("ambiguous_metric") is True:
            n_amb += 1
        if "\n" in quote or quote != quote.strip() or re.search(r"\s", quote):
            errors.append(f"{fid}: quote contains whitespace/line breaks")
        nq = norm(quote)
        if not (4 <= len(nq) <= 90):
            errors.append(f"{fid}: quote length {len(nq)} out of range")

        text = _load_seed(seeds_dir, doc_id, cache)
        if text is None:
            errors.append(f"{fid}: seed file {doc_id}.txt not found in {seeds_dir}")
            continue
        per_doc[doc_id] += 1
        for alt in f.get("also_in") or []:
            if _load_seed(seeds_dir, _s(alt), cache) is None:
                errors.append(f"{fid}: also_in doc {alt} not found")
        if nq not in text:
            errors.append(f"{fid}: quote not found in {doc_id}: {quote!r}")
        if not value_regex(value, qual, mag, unit).search(nq):
            shown = f"{qual or ''}{value}{mag or ''}{unit or ''}"
            errors.append(f"{fid}: value/qualifier/magnitude/unit {shown!r} not found in quote {quote!r}")
        if gold_figure is not None:
            try:  # the harness scores against the parsed gold: a gold it cannot parse fails the whole run
                gold_figure(f)
            except ValueError as e:
                errors.append(f"{fid}: {e}")

    for fid, c in ids.items():
        if c > 1:
            errors.append(f"duplicate id {fid} ({c}x)")
    n_ans = sum(per_doc.values())
    # a smaller file (the held-out set) states its own minimums at the top
    mins = {"answerable": MIN_ANSWERABLE, "paraphrases": MIN_PARAPHRASES, "unanswerable": MIN_UNANSWERABLE,
            "per_doc": MIN_PER_DOC, **(data.get("minimums") or {})}
    if n_ans < mins["answerable"]:
        errors.append(f"only {n_ans} answerable facts (< {mins['answerable']})")
    if n_para < mins["paraphrases"]:
        errors.append(f"only {n_para} paraphrases (< {mins['paraphrases']})")
    if n_unans < mins["unanswerable"]:
        errors.append(f"only {n_unans} unanswerable questions (< {mins['unanswerable']})")
    for d in seed_docs:
        if per_doc[d] < mins["per_doc"]:
            errors.append(f"doc {d}: only {per_doc[d]} facts (< {mins['per_doc']})")
    validate.stats = {  # type: ignore[attr-defined]
        "answerable": n_ans, "per_doc": dict(sorted(per_doc.items())),
        "paraphrases": n_para, "unanswerable": n_unans, "ambiguous_metric": n_amb,
    }
    return errors


def main(argv: list[str]) -> int:
    facts = Path(argv[1]) if len(argv) > 1 else DEFAULT_FACTS
    seeds = Path(argv[2]) if len(argv) > 2 else DEFAULT_SEEDS
    errors = validate(facts, seeds)
    st = getattr(validate, "stats", {})
    print(f"facts: {st.get('answerable', '?')} answerable {st.get('per_doc', {})}, "
          f"{st.get('paraphrases', '?')} paraphrases, {st.get('unanswerable', '?')} unanswerable, "
          f"{st.get('ambiguous_metric', '?')} ambiguous_metric; {len(errors)} failure(s)")
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
