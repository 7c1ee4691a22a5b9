"""Two-part questions ("…多少，其中…多少", "A和B分别…多少"): the answer must state every part's figure,
each backed by a citation from the gold bulletin.

    bulletins eval --facts evals/generalization/multipart.yaml --corpus evals/generalization/bulletins

A file with a top-level `multipart:` list is scored here instead of by the one-figure harness. Per
question: `parts_correct` (every part's figure stated and cited), and per part the same two marks as
facts.yaml's figure and citation accuracy.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import yaml

from evals import scoring


def load(path: Path) -> list[dict[str, Any]] | None:
    """The multipart questions of a facts file, or None when it is a one-figure facts file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    return data.get("multipart") if isinstance(data, dict) else None


def problems(questions: list[dict[str, Any]], folder: Path) -> list[str]:
    """Parts whose quote is not in their bulletin (norm: NFKC, no whitespace) or does not state the figure."""
    from evals.validate_facts import norm

    out = []
    for q in questions:
        path = folder / f"{q['doc_id']}.txt"
        text = norm(path.read_text(encoding="utf-8-sig")) if path.is_file() else ""
        for g in golds(q):
            if g.quote not in text:
                out.append(f"{g.id}: quote not in {path.name}")
            elif g.figure is not None and not scoring.figure_correct(g.quote, g):
                out.append(f"{g.id}: quote does not state {g.text}")
    return out


def golds(q: dict[str, Any]) -> list[scoring.Gold]:
    return [scoring.make_gold({"id": f"{q['id']}.{i}", "doc_id": q["doc_id"], "type": "count", **part})
            for i, part in enumerate(q["parts"], 1)]


def score(answer: dict[str, Any], parts: list[scoring.Gold]) -> dict[str, Any]:
    text, cites = answer.get("answer") or "", answer.get("citations") or []
    marks = [{"gold": g.text, "figure_correct": scoring.figure_correct(text, g),
              "citation_correct": scoring.citation_correct(cites, g)} for g in parts]
    return {
        "parts": marks,
        "parts_correct": all(m["figure_correct"] and m["citation_correct"] for m in marks),
        "abstained": bool(answer.get("abstained")),
        "ungrounded": list(answer.get("ungrounded_figures") or []),
    }


def run(engine, questions: list[dict[str, Any]], out: Path, name: str) -> dict[str, Any]:
    from service.chat.service import ChatService

    service = ChatService(engine)
    rows, t0 = [], time.perf_counter()
    for q in questions:
        ans = service.answer(q["question"]).model_dump()
        rows.append({"id": q["id"], "question": q["question"], "answer": ans["answer"], **score(ans, golds(q))})
    parts = [m for r in rows for m in r["parts"]]
    totals = {
        "questions": len(rows),
        "all_parts_correct": round(sum(r["parts_correct"] for r in rows) / max(len(rows), 1), 4),
        "part_figure_accuracy": round(sum(m["figure_correct"] for m in parts) / max(len(parts), 1), 4),
        "part_citation_accuracy": round(sum(m["citation_correct"] for m in parts) / max(len(parts), 1), 4),
        "abstained": sum(r["abstained"] for r in rows),
        "ungrounded_figures": sum(len(r["ungrounded"]) for r in rows),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps({"totals": totals, "rows": rows}, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    print(f"{len(rows)} multi-part questions: " + "  ".join(f"{k}={v}" for k, v in totals.items()))
    for r in rows:
        if not r["parts_correct"]:
            print(f"  WRONG {r['id']}: {r['answer'][:120]!r}")
    print(f"report: {out / (name + '.json')}")
    return totals
