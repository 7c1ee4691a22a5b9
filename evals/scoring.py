"""Scoring of one answer against one hand-extracted fact. Pure functions over plain data.

Answers and citations come in as dicts (``Answer.model_dump()`` shape: answer, abstained, citations
[{doc_id, text, quote}], ungrounded_figures, latency_ms), so scores are the same live or replayed.

Figure correctness is strict: the answer must state the gold figure with the same scaled value, the
same unit (canonical: 名 = 人) and the same bound, so "300万只" is wrong for "300余万只" and "4.61万元"
for "4.61亿元". Dates must state the gold month and day. Names are matched as substrings.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from evals.validate_facts import norm
from service.figures import Figure, matches, parse_figures

PREFIX_QUALIFIERS = {"近", "约", "超", "逾"}  # written before the number; 余/多 follow it
SUFFIX_QUALIFIERS = {"以上", "以下", "以内", "左右", "有余"}  # written after the unit: 80%以上
NUMERIC_KINDS = {"number", "percent"}
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』|\"[^\"]*\"")
_SCALE = {m: Decimal(10) ** e for m, e in (("千", 3), ("万", 4), ("百万", 6), ("千万", 7), ("亿", 8), ("万亿", 12))}
_MARKER = re.compile(r"\[\d{1,2}(?:\s*[,，、]\s*\d{1,2})*\]")


@dataclass(frozen=True)
class Gold:
    """What a correct answer must contain, built from one facts.yaml item."""

    id: str
    type: str
    text: str  # gold as written: 300余万只, 3月10日, (0391)3566659, 霍金花
    quote: str  # norm()-ed gold quote
    docs: tuple[str, ...]  # doc_id first, then also_in
    figure: Figure | None  # None for names


def gold_string(fact: dict[str, Any]) -> str:
    """value + qualifier + magnitude + unit in the order bulletins write them: 近800张, 300余万只, 80%以上."""
    q = fact.get("qualifier") or ""
    pre = q if q in PREFIX_QUALIFIERS else ""
    post = q if q and not pre and q not in SUFFIX_QUALIFIERS else ""
    last = q if q in SUFFIX_QUALIFIERS else ""
    return f"{pre}{fact['value']}{post}{fact.get('magnitude') or ''}{fact.get('unit') or ''}{last}"


def _same_claim(a: Figure, b: Figure) -> bool:
    """Same kind, scaled value and canonical unit (ignoring the bound)."""
    return a.kind == b.kind and a.normalized == b.normalized


def gold_figure(fact: dict[str, Any]) -> Figure | None:
    """The gold as a Figure: the quote's own figure with the gold's value, unit and bound (so the
    gold reads as the bulletin writes it: 8万余只), else the parsed gold string."""
    if fact["type"] == "name":
        return None
    figs = parse_figures(gold_string(fact))
    if not figs:
        raise ValueError(f"{fact['id']}: gold {gold_string(fact)!r} does not parse as a figure")
    gold = figs[0]
    if gold.kind in NUMERIC_KINDS:
        for f in parse_figures(norm(fact["quote"]), loose=True):
            if _same_claim(f, gold) and (f.bound == gold.bound or not fact.get("qualifier")):
                return f
    return gold


def make_gold(fact: dict[str, Any]) -> Gold:
    docs = (fact["doc_id"], *[str(d) for d in fact.get("also_in") or []])
    fig = gold_figure(fact)
    text = fig.text if fig is not None and fig.kind in NUMERIC_KINDS else gold_string(fact)
    return Gold(fact["id"], fact["type"], text, norm(fact["quote"]), docs, fig)

# --------------------------------------------------------------------------- figures


def stated_figures(answer: str) -> list[Figure]:
    """Figures the answer states. Text in quotation marks is evidence, not the claim, so when the
    answer has figures outside quotes only those count; an answer that is only a quote states its figures."""
    text = _MARKER.sub(" ", answer)
    outside = [f for f in parse_figures(_QUOTED.sub(" ", text)) if f.kind != "ordinal"]
    return outside or [f for f in parse_figures(text) if f.kind != "ordinal"]


def figure_is(ans: Figure, gold: Figure) -> bool:
    """Strict: the answer figure states exactly the gold claim."""
    if gold.kind == "date":
        if ans.kind != "date":
            return False
        (ay, am, ad), (gy, gm, gd) = (x.normalized.split(":", 1)[1].split("-") for x in (ans, gold))
        return am == gm and ad == gd and (not ay or not gy or ay == gy)
    if gold.kind == "phone":
        return matches(ans, gold)
    return matches(ans, gold) and _same_claim(ans, gold)


def figure_correct(answer: str, gold: Gold) -> bool:
    if gold.figure is None:
        return norm(gold.text) in norm(answer)
    return any(figure_is(f, gold.figure) for f in stated_figures(answer))


def _written(f: Figure) -> Decimal | None:
    """The number as written, before 万/亿 scaling: 4.61 for 4.61亿元."""
    return None if f.value is None else f.value / _SCALE.get(f.magnitude, Decimal(1))


def near_miss(answer: str, gold: Gold) -> str | None:
    """Why an answer figure with the gold's value is still wrong: 'bound' (余/近 dropped or added),
    'unit', or 'magnitude' (the digits are right, 万/亿 is not). None when nothing is that close."""
    g = gold.figure
    if g is None or g.kind not in NUMERIC_KINDS or g.value is None:
        return None
    for f in stated_figures(answer):
        if f.kind != g.kind or f.value is None:
            continue
        if f.value == g.value:
            return "bound" if _same_claim(f, g) else "unit"
        if f.magnitude != g.magnitude and _written(f) == _written(g):
            return "magnitude"
    return None


# --------------------------------------------------------------------------- citations, retrieval, abstention


def citation_correct(citations: Iterable[dict[str, Any]], gold: Gold) -> bool:
    """Some citation is from the gold bulletin (or also_in) and supports the gold: its text contains
    the gold quote, lies inside it, or states the gold figure (the name, for names)."""
    for c in citations:
        if c.get("doc_id") not in gold.docs:
            continue
        text = norm(c.get("text") or c.get("quote") or "")
        if not text:
            continue
        if gold.quote in text or text in gold.quote:
            return True
        if gold.figure is None:
            if norm(gold.text) in text:
                return True
        elif any(figure_is(f, gold.figure) for f in parse_figures(text, loose=True)):
            return True
    return False


def hit_rank(chunks: Iterable[tuple[str, str]], gold: Gold) -> int | None:
    """1-based rank of the first retrieved (doc_id, text) chunk that holds the whole gold quote."""
    for rank, (doc_id, text) in enumerate(chunks, 1):
        if doc_id in gold.docs and gold.quote in norm(text):
            return rank
    return None


def abstained_cleanly(answer: dict[str, Any]) -> bool:
    """An abstention says so and states no figure."""
    return bool(answer.get("abstained")) and not stated_figures(answer.get("answer") or "")


# --------------------------------------------------------------------------- one question


def score_answerable(answer: dict[str, Any], gold: Gold, ranks: int | None) -> dict[str, Any]:
    text = answer.get("answer") or ""
    abstained = bool(answer.get("abstained"))
    fig_ok = not abstained and figure_correct(text, gold)
    cit_ok = not abstained and citation_correct(answer.get("citations") or [], gold)
    return {
        "figure_correct": fig_ok,
        "citation_correct": cit_ok,
        "abstained": abstained,
        "hit_rank": ranks,
        "cause": None if fig_ok else failure_cause(answer, gold, ranks),
    }


def score_unanswerable(answer: dict[str, Any]) -> dict[str, Any]:
    ok = abstained_cleanly(answer)
    return {
        "abstain_correct": ok,
        "abstained": bool(answer.get("abstained")),
        "cause": None if ok else "answered an unanswerable question",
    }


def failure_cause(answer: dict[str, Any], gold: Gold, rank: int | None) -> str:
    """A coarse reason, for grouping failures: which stage to tune."""
    if answer.get("abstained"):
        return "false abstention" + (" (gold not retrieved)" if rank is None else " (gold retrieved)")
    miss = near_miss(answer.get("answer") or "", gold)
    if miss:
        return f"right value, wrong {miss}"
    if rank is None:
        return "wrong answer, gold quote not in top 5"
    if any(c.get("doc_id") in gold.docs and gold.quote in norm(c.get("text") or "") for c in answer.get("citations") or []):
        return "right sentence, wrong figure picked"
    return "wrong sentence picked (gold quote retrieved)"


# --------------------------------------------------------------------------- totals


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1], 1)


def wrong_figure_rate(rows: list[dict[str, Any]]) -> float | None:
    """Of the answers that state a figure, the share whose figure is wrong: not the gold one, or any figure
    for an unanswerable question. What a user who trusts every stated figure is misled by."""
    stating = [r for r in rows if not r.get("abstained") and stated_figures(r.get("answer") or "")]
    wrong = [r for r in stating if not (r["figure_correct"] if r["answerable"] else r["abstain_correct"])]
    return _rate(len(wrong), len(stating))


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate metrics over per-question rows (see harness.question_row)."""
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    lat = [r["latency_ms"] for r in rows if r.get("latency_ms") is not None]
    out: dict[str, Any] = {
        "questions": len(rows),
        "answerable": len(ans),
        "unanswerable": len(una),
        "figure_accuracy": _rate(sum(r["figure_correct"] for r in ans), len(ans)),
        "citation_accuracy": _rate(sum(r["citation_correct"] for r in ans), len(ans)),
        "false_abstention_rate": _rate(sum(r["abstained"] for r in ans), len(ans)),
        "abstention_rate": _rate(sum(r["abstain_correct"] for r in una), len(una)),
        "ungrounded_figures": sum(len(r.get("ungrounded") or []) for r in rows),
        "wrong_figure_rate": wrong_figure_rate(rows),
        "latency_p50_ms": percentile(lat, 50),
        "latency_p95_ms": percentile(lat, 95),
    }
    for k in (1, 3, 5):
        out[f"hit@{k}"] = _rate(sum(1 for r in ans if r["hit_rank"] is not None and r["hit_rank"] <= k), len(ans))
    return out


def breakdown(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """totals() per value of rows[key] (e.g. 'type', 'doc_id'), sorted by that value."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[str(r.get(key))].append(r)
    return {k: totals(v) for k, v in sorted(groups.items())}
