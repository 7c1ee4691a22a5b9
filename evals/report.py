"""Eval reports: JSON for machines, Markdown + HTML (with a PNG chart) for people, and the comparison
with a saved baseline run (which questions got better or worse)."""

from __future__ import annotations

import base64
import html
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

FIXTURE_BANNER = "responses are FIXTURES, not a real model: accuracy numbers measure the plumbing only"
COMPARED = ("figure_correct", "citation_correct", "abstain_correct")
TOTAL_KEYS = ("figure_accuracy", "citation_accuracy", "hit@1", "hit@3", "hit@5", "abstention_rate",
              "false_abstention_rate", "wrong_figure_rate", "ungrounded_figures", "latency_p50_ms", "latency_p95_ms")


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.1f}%"


def _fmt(key: str, v: Any) -> str:
    if isinstance(v, float) and ("accuracy" in key or "rate" in key or key.startswith("hit@") or key == "answered"):
        return _pct(v)
    return "-" if v is None else str(v)


# --------------------------------------------------------------------------- comparison


def compare(result: dict[str, Any], baseline: dict[str, Any], label: str) -> dict[str, Any]:
    """Per-question changes of figure/citation/abstention correctness against the baseline run."""
    old = {r["id"]: r for r in baseline.get("rows", [])}
    better, worse = [], []
    for r in result["rows"]:
        b = old.get(r["id"])
        if b is None:
            continue
        ups = [k for k in COMPARED if b.get(k) is False and r.get(k) is True]
        downs = [k for k in COMPARED if b.get(k) is True and r.get(k) is False]
        entry = {"id": r["id"], "question": r["question"], "gold": r["gold"], "answer": r["answer"],
                 "was": b.get("answer", "")}
        if downs:
            worse.append({**entry, "changes": downs})
        elif ups:
            better.append({**entry, "changes": ups})
    now_ids = {r["id"] for r in result["rows"]}
    delta = {k: (result["totals"].get(k), baseline.get("totals", {}).get(k)) for k in TOTAL_KEYS}
    bc = baseline.get("config", {})
    return {"baseline": label, "baseline_answerer": bc.get("answerer"), "baseline_date": bc.get("date"),
            "better": better, "worse": worse, "totals": delta,
            "only_in_baseline": sorted(set(old) - now_ids), "new": sorted(now_ids - set(old))}


def save_baseline(result: dict[str, Any], path: Path) -> None:
    """The run as a baseline, without per-row latencies (they differ every run)."""
    rows = [{k: v for k, v in r.items() if k != "latency_ms"} for r in result["rows"]]
    keep = {k: v for k, v in result.items() if k != "comparison"}
    path.write_text(json.dumps({**keep, "rows": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- text


def summary_text(result: dict[str, Any]) -> str:
    c, t = result["config"], result["totals"]
    lines = []
    if c["fixture"]:
        lines += ["!" * 100, f"!! {FIXTURE_BANNER}", "!" * 100]
    lines.append(f"eval: answerer={c['answerer']} mode={c['mode']} source: {c['source']}")
    lines.append(f"{t['questions']} questions ({t['answerable']} answerable, {t['unanswerable']} unanswerable) "
                 f"in {c['duration_s']} s")
    lines.append("  ".join(f"{k}={_fmt(k, t.get(k))}" for k in TOTAL_KEYS))
    extra = [k for k in t if k not in TOTAL_KEYS and k not in ("questions", "answerable", "unanswerable")]
    if extra:
        lines.append("  ".join(f"{k}={_fmt(k, t[k])}" for k in extra))
    cmp_ = result.get("comparison")
    if cmp_:
        lines.append(f"vs baseline {cmp_['baseline']} ({cmp_['baseline_answerer']} run): "
                     f"{len(cmp_['better'])} better, {len(cmp_['worse'])} worse (listed in the report)")
        if cmp_["baseline_answerer"] == c["answerer"]:
            lines += [f"  WORSE {w['id']}: {', '.join(w['changes'])}: {w['answer'][:60]!r}" for w in cmp_["worse"]]
    return "\n".join(lines)


def failures_by_cause(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r.get("cause"):
            groups[r["cause"]].append(r)
    return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))


def _doc_table(result: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    head = ["bulletin", "n", "figure accuracy", "citation accuracy", "hit@5", "abstentions"]
    rows = []
    for doc, t in result["by_doc"].items():
        if doc == "-":
            rows.append(["(unanswerable)", str(t["unanswerable"]), "-", "-", "-",
                         f"{_pct(t['abstention_rate'])} correct"])
        else:
            rows.append([doc, str(t["questions"]), _pct(t["figure_accuracy"]), _pct(t["citation_accuracy"]),
                         _pct(t["hit@5"]), f"{_pct(t['false_abstention_rate'])} false"])
    return head, rows


def _type_table(result: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    head = ["type", "n", "figure accuracy", "citation accuracy", "hit@5", "abstention (unanswerable)"]
    rows = [[k, str(t["questions"]), _pct(t["figure_accuracy"]), _pct(t["citation_accuracy"]), _pct(t["hit@5"]),
             _pct(t["abstention_rate"])] for k, t in result["by_type"].items()]
    return head, rows


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    esc = [[c.replace("|", "\\|").replace("\n", " ") for c in r] for r in rows]
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in esc])


def markdown(result: dict[str, Any], chart: str | None) -> str:
    c, t = result["config"], result["totals"]
    out = [f"# Eval report: {c['answerer']} ({c['mode']})", ""]
    if c["fixture"]:
        out += [f"> **WARNING: {FIXTURE_BANNER}**", ""]
    out += [f"- source: {c['source']}", f"- date {c['date']}, {c['questions']} questions, {c['duration_s']} s, "
            f"facts {c['facts_sha256']}, prompt {c['prompt_version'] or '-'}, top_k {c['top_k']}, "
            f"chunk_tokens {c['chunk_tokens']}, tokenizer {c['lexical_tokenizer']}", "", "## Totals", ""]
    out += [_md_table(["metric", "value"], [[k, _fmt(k, v)] for k, v in t.items()]), "", "## By bulletin", ""]
    out += [_md_table(*_doc_table(result)), "", "## By question type", "", _md_table(*_type_table(result)), ""]
    if chart:
        out += [f"![accuracy by question type]({chart})", ""]
    cmp_ = result.get("comparison")
    if cmp_:
        out += [f"## Compared with baseline `{cmp_['baseline']}` ({cmp_['baseline_answerer']}, {cmp_['baseline_date']})",
                "", _md_table(["metric", "now", "baseline"],
                              [[k, _fmt(k, a), _fmt(k, b)] for k, (a, b) in cmp_["totals"].items()]), ""]
        for title, items in (("Worse", cmp_["worse"]), ("Better", cmp_["better"])):
            out += [f"### {title} ({len(items)})", ""]
            out += [f"- `{i['id']}` {', '.join(i['changes'])}: {i['question']} gold {i['gold'] or '(abstain)'}; "
                    f"now {i['answer'][:80]!r}, was {i['was'][:80]!r}" for i in items] or ["(none)"]
            out.append("")
    out += ["## Failures by cause", ""]
    for cause, rows in failures_by_cause(result["rows"]).items():
        out += [f"### {cause} ({len(rows)})", ""]
        out += [f"- `{r['id']}` {r['question']} gold **{r['gold'] or '(abstain)'}**; answer {r['answer'][:90]!r}"
                + (f"; note: {r['notice']}" if r.get("notice") else "") for r in rows]
        out.append("")
    return "\n".join(out)


def html_page(result: dict[str, Any], md_chart: str | None, png: bytes | None) -> str:
    c = result["config"]

    def table(head: list[str], rows: list[list[str]]) -> str:
        th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        trs = "".join("<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in r) + "</tr>" for r in rows)
        return f"<table><tr>{th}</tr>{trs}</table>"

    parts = [f"<h1>Eval report: {html.escape(c['answerer'])} ({html.escape(c['mode'])})</h1>"]
    if c["fixture"]:
        parts.append(f'<p class="banner">WARNING: {html.escape(FIXTURE_BANNER)}</p>')
    parts.append(f"<p>source: {html.escape(c['source'])}<br>date {c['date']}, {c['questions']} questions, "
                 f"{c['duration_s']} s</p><h2>Totals</h2>")
    parts.append(table(["metric", "value"], [[k, _fmt(k, v)] for k, v in result["totals"].items()]))
    parts += ["<h2>By bulletin</h2>", table(*_doc_table(result)), "<h2>By question type</h2>", table(*_type_table(result))]
    if png:
        src = "data:image/png;base64," + base64.b64encode(png).decode()
        parts.append(f'<p><img alt="accuracy by question type" src="{src}"><br><a href="{md_chart}">{md_chart}</a></p>')
    cmp_ = result.get("comparison")
    if cmp_:
        parts.append(f"<h2>Compared with baseline {html.escape(cmp_['baseline'])}</h2>")
        parts.append(table(["metric", "now", "baseline"], [[k, _fmt(k, a), _fmt(k, b)] for k, (a, b) in cmp_["totals"].items()]))
        for title, items in (("Worse", cmp_["worse"]), ("Better", cmp_["better"])):
            parts.append(f"<h3>{title} ({len(items)})</h3>")
            parts.append(table(["id", "changes", "question", "gold", "now", "was"],
                               [[i["id"], ", ".join(i["changes"]), i["question"], i["gold"] or "(abstain)",
                                 i["answer"], i["was"]] for i in items]))
    parts.append("<h2>Failures by cause</h2>")
    for cause, rows in failures_by_cause(result["rows"]).items():
        parts.append(f"<h3>{html.escape(cause)} ({len(rows)})</h3>")
        parts.append(table(["id", "question", "gold", "answer", "notice"],
                           [[r["id"], r["question"], r["gold"] or "(abstain)", r["answer"], r.get("notice") or ""]
                            for r in rows]))
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}"
             "td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;vertical-align:top}"
             ".banner{background:#fdd;border:2px solid #c00;padding:8px;font-weight:bold}")
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>eval {html.escape(c["answerer"])}'
            f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>\n")


# --------------------------------------------------------------------------- chart and files


def chart_png(result: dict[str, Any], path: Path) -> bytes | None:
    """Bar chart of figure/citation accuracy (abstention for 'unanswerable') per question type."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return None
    types = list(result["by_type"])
    fig_acc = [(result["by_type"][k]["figure_accuracy"] or 0) for k in types]
    cit_acc = [(result["by_type"][k]["citation_accuracy"] or 0) for k in types]
    abst = [(result["by_type"][k]["abstention_rate"] or 0) for k in types]
    x = range(len(types))
    fig, ax = plt.subplots(figsize=(9.5, 3.6), dpi=100)
    ax.bar([i - 0.2 for i in x], fig_acc, 0.4, label="figure accuracy")
    ax.bar([i + 0.2 for i in x], cit_acc, 0.4, label="citation accuracy")
    ax.bar(list(x), abst, 0.4, label="abstention (unanswerable)")
    ax.set_xticks(list(x), [f"{k}\n(n={result['by_type'][k]['questions']})" for k in types], fontsize=8)
    ax.set_ylim(0, 1.05)
    title = f"accuracy by question type: {result['config']['answerer']}"
    ax.set_title(title + (" [FIXTURE responses]" if result["config"]["fixture"] else ""), fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)
    return path.read_bytes()


def write_all(result: dict[str, Any], out: Path, name: str) -> list[Path]:
    """<out>/<name>.json, .md, .html and .png; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.{ext}" for ext in ("json", "md", "html", "png")]
    paths[0].write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    png = chart_png(result, paths[3])
    chart = paths[3].name if png else None
    paths[1].write_text(markdown(result, chart), encoding="utf-8")
    paths[2].write_text(html_page(result, chart, png), encoding="utf-8")
    return paths if png else paths[:3]
