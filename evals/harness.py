"""Eval harness: ask every question of evals/facts.yaml, score the answers (evals.scoring), write
reports (evals.report), compare with a baseline and check thresholds.

    bulletins eval [--answerer extractive|llm] [--record|--replay] [--subset IDS] [--model NAME] [--check]

The index lives in a dedicated data dir (BULLETINS_EVAL_DATA_DIR, default <data_dir>/eval-index); the
seeds are ingested there (idempotent) and the index is rebuilt when the ingest code or its settings change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from evals import multipart, recording, report, scoring
from evals.recording import Manifest, RecordingError
from evals.validate_facts import validate

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "evals" / "facts.yaml"
SEEDS = ROOT / "seeds"
BASELINE = ROOT / "evals" / "baseline.json"
THRESHOLDS = ROOT / "evals" / "thresholds.yaml"
RETRIEVAL_K = 5
from vectorstore.store import EF_SEARCH as EXACT_EF_SEARCH  # noqa: E402

INDEX_SETTINGS = ("chunk_tokens", "chunk_overlap_sentences", "embedding", "embedding_model", "collection")
LLM_SETTINGS = ("top_k", "context_tokens", "llm_temperature")  # shape the recorded request body


class EvalError(RuntimeError):
    """Bad input (facts, subset, options): exit code 2."""


@dataclass(frozen=True)
class Question:
    id: str  # fact id, + "p" for the paraphrase
    fact_id: str
    variant: str  # question | paraphrase
    text: str
    type: str  # fact type, or "unanswerable"
    doc_id: str  # "" for unanswerable
    gold: scoring.Gold | None  # None for unanswerable


@dataclass
class RunConfig:
    answerer: str = "extractive"  # extractive | llm
    mode: str = "offline"  # offline (extractive) | live | record | replay
    model: str | None = None
    recordings: Path | None = None
    manifest: Manifest | None = None
    facts: Path = FACTS  # evals/facts.yaml (dev set), evals/tuning.yaml, or evals/heldout.yaml (never tuned on)

    @property
    def other_facts(self) -> bool:
        """Scoring a facts file other than the dev set (its own thresholds section, report name, baseline)."""
        return self.facts.resolve() != FACTS.resolve()


# --------------------------------------------------------------------------- facts and questions


def load_facts(facts: Path = FACTS, seeds: Path = SEEDS) -> list[dict[str, Any]]:
    """Facts, after evals/validate_facts.py passes; refuses to score against a broken facts file."""
    errors = validate(facts, seeds)
    if errors:
        raise EvalError(f"{facts} fails validation ({len(errors)}): " + "; ".join(errors[:5]))
    return yaml.safe_load(facts.read_text(encoding="utf-8-sig"))["facts"]


def build_questions(facts: list[dict[str, Any]], subset: str | None = None) -> list[Question]:
    qs: list[Question] = []
    for f in facts:
        if f.get("answerable") is False:
            qs.append(Question(f["id"], f["id"], "question", f["question"], "unanswerable", "", None))
            continue
        gold = scoring.make_gold(f)
        qs.append(Question(f["id"], f["id"], "question", f["question"], f["type"], f["doc_id"], gold))
        if f.get("paraphrase"):
            qs.append(Question(f["id"] + "p", f["id"], "paraphrase", f["paraphrase"], f["type"], f["doc_id"], gold))
    return select(qs, subset)


def select(qs: list[Question], subset: str | None) -> list[Question]:
    """--subset: comma-separated question ids (f000_01p), fact ids, doc ids or their 3-digit prefix, types."""
    if not subset:
        return qs
    tokens = [t.strip() for t in subset.split(",") if t.strip()]

    def hit(q: Question, t: str) -> bool:
        return t in (q.id, q.fact_id, q.type, q.variant) or (bool(q.doc_id) and (q.doc_id == t or q.doc_id.startswith(t + "_")))

    unknown = [t for t in tokens if not any(hit(q, t) for q in qs)]
    if unknown:
        raise EvalError(f"--subset: {', '.join(unknown)} match no question (use ids, doc ids, or types)")
    return [q for q in qs if any(hit(q, t) for t in tokens)]


# --------------------------------------------------------------------------- index


def eval_data_dir(settings) -> Path:
    env = os.environ.get("BULLETINS_EVAL_DATA_DIR")
    return Path(env) if env else Path(settings.data_dir) / "eval-index"


def eval_settings(data_dir: Path):
    """Extractive settings for an eval index; all eval indexes share one embedding cache (in the eval data
    dir), so the seeds are embedded once, not once per --corpus index."""
    from service.settings import Settings

    base = Settings(answerer="extractive")
    update: dict[str, Any] = {"data_dir": data_dir}
    if base.embedding_cache is None:
        update["embedding_cache"] = eval_data_dir(base) / "embeddings.sqlite3"
    return base.model_copy(update=update)


def corpus_data_dir(settings, corpus: Path | None) -> Path:
    """The eval index's folder; with --corpus its own (the seeds and the corpus ingested together)."""
    if corpus is None:
        return eval_data_dir(settings)
    # "generalization/bulletins" and "calibration/bulletins" each get their own: one index never holds
    # another set's bulletins (a corpus is only ever added to an index, never taken out).
    return eval_data_dir(settings) / ("with-" + "-".join(corpus.resolve().parts[-2:]))


def index_fingerprint(settings) -> str:
    """Changes when the code or settings that shape the persisted index change."""
    h = hashlib.sha256()
    for p in sorted((ROOT / "vectorstore").glob("*.py")):
        h.update(p.name.encode() + p.read_bytes())
    h.update(json.dumps({k: str(getattr(settings, k)) for k in INDEX_SETTINGS}, sort_keys=True).encode())
    return h.hexdigest()[:16]


def prepare_index(settings, fingerprint: bool = True, extra: list[Path] | None = None):
    """An Engine over the eval index, with the seeds ingested. A stale index (fingerprint differs) is
    wiped first; only a folder this harness marked is ever wiped."""
    from service.engine import Engine

    data = Path(settings.data_dir)
    mark = data / "eval-index.fingerprint"
    fp = index_fingerprint(settings)
    if fingerprint and mark.is_file() and mark.read_text().strip() != fp:
        print(f"eval index {data} is stale (ingest code or settings changed); rebuilding", file=sys.stderr)
        shutil.rmtree(settings.chroma_path, ignore_errors=True)
        for p in data.glob(settings.catalog_path.name + "*"):
            p.unlink()
    data.mkdir(parents=True, exist_ok=True)
    engine = Engine(settings)  # its collection searches exhaustively (vectorstore.store.EF_SEARCH)
    if engine.is_empty():
        print(f"building the eval index in {data} (about a minute)", file=sys.stderr)
    ingestor = engine.ingestor()
    ingestor.on_document = None  # summaries (Engine.ingest's hook) are not needed to answer
    res = ingestor.ingest([settings.seeds_dir, *(extra or [])], progress=False)
    if res.failed:
        raise EvalError(f"ingest of {settings.seeds_dir} failed: {res.failed}")
    if fingerprint:
        mark.write_text(fp + "\n")
    if engine.store.collection.count() > EXACT_EF_SEARCH:
        print(f"warning: more chunks than ef_search={EXACT_EF_SEARCH}; dense search may vary", file=sys.stderr)
    return engine


# --------------------------------------------------------------------------- one question


def question_row(q: Question, answer: dict[str, Any], chunks: list[tuple[str, str]]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": q.id, "fact_id": q.fact_id, "variant": q.variant, "type": q.type, "doc_id": q.doc_id or "-",
        "question": q.text, "answerable": q.gold is not None, "gold": q.gold.text if q.gold else None,
        "answer": answer.get("answer", ""), "mode": answer.get("mode"), "notice": answer.get("notice"),
        "citations": [{"n": c["n"], "doc_id": c["doc_id"], "text": c["text"]} for c in answer.get("citations", [])],
        "ungrounded": list(answer.get("ungrounded_figures") or []), "latency_ms": answer.get("latency_ms"),
        "figure_correct": None, "citation_correct": None, "abstain_correct": None, "hit_rank": None,
    }
    if q.gold is None:
        row.update(scoring.score_unanswerable(answer))
    else:
        row.update(scoring.score_answerable(answer, q.gold, scoring.hit_rank(chunks, q.gold)))
    return row


def _llm_check(q: Question, cfg: RunConfig, catcher, cassette, path: Path) -> str | None:
    """In record/replay an LLM failure must not hide behind the extractive fallback."""
    for exc in catcher.errors:
        miss = recording.find_cassette_miss(exc)
        if miss is not None:
            return (f"{q.id}: request not in cassette {_rel(path)} ({getattr(miss, 'reason', 'no match')}); "
                    "the prompt, retriever or chunker changed since recording: re-record (see evals/README.md)")
    if catcher.errors:
        return f"{q.id}: LLM call failed: {type(catcher.errors[0]).__name__}: {catcher.errors[0]}"
    if cfg.mode == "replay" and cassette.play_count == 0:
        return f"{q.id}: the LLM was not called, so the cassette was not used"
    return None


def ask(service, q: Question, cfg: RunConfig) -> dict[str, Any]:
    if cfg.answerer == "extractive" or cfg.mode == "live":
        return service.answer(q.text, answerer=cfg.answerer).model_dump()
    path = recording.cassette_path(cfg.recordings, q.id)
    if cfg.mode == "replay" and not path.is_file():
        raise RecordingError(f"{q.id}: no cassette {path}; record it with --record")
    if cfg.mode == "record":
        path.unlink(missing_ok=True)
    v = recording.make_vcr("none" if cfg.mode == "replay" else "all")
    with recording.catch_llm_errors() as catcher, v.use_cassette(str(path)) as cassette:
        ans = service.answer(q.text, answerer="llm").model_dump()
    problem = _llm_check(q, cfg, catcher, cassette, path)
    if problem:
        raise RecordingError(problem)
    ans["_fixture"] = recording.has_fixture_responses(cassette)
    return ans


def run(engine, questions: list[Question], cfg: RunConfig) -> dict[str, Any]:
    """Answer and score every question; returns the report dict (config, totals, breakdowns, rows)."""
    from service.chat.service import ChatService

    service = ChatService(engine)
    _memoize_query_embeddings(engine)
    t0 = time.perf_counter()
    rows, fixture = [], False
    for q in questions:
        ans = ask(service, q, cfg)  # first, so its latency includes embedding the question
        chunks = [] if q.gold is None else [(h.chunk.doc_id, h.chunk.text) for h in engine.search(q.text, RETRIEVAL_K)]
        fixture |= bool(ans.pop("_fixture", False))
        rows.append(question_row(q, ans, chunks))
    totals = scoring.totals(rows)
    if cfg.answerer == "llm":
        totals.update(llm_totals(rows))
    return {
        "config": run_config(engine.settings, cfg, questions, service, fixture, time.perf_counter() - t0),
        "totals": totals,
        "by_type": scoring.breakdown(rows, "type"),
        "by_doc": scoring.breakdown(rows, "doc_id"),
        "rows": rows,
    }


def _memoize_query_embeddings(engine) -> None:
    """Each question is embedded up to three times (hit@k, the answerer's search, the LLM chain's
    retriever); the vectors are identical, so the eval engine embeds each once."""
    ef = getattr(engine.store, "ef", None)
    if ef is None or not hasattr(ef, "embed_query") or getattr(ef, "_eval_memo", None) is not None:
        return
    memo: dict[tuple[str, ...], Any] = {}
    embed = ef.embed_query

    def embed_query(input: list[str]):
        key = tuple(input)
        if key not in memo:
            memo[key] = embed(input)
        return memo[key]

    ef.embed_query, ef._eval_memo = embed_query, memo


def llm_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    notices = [r["notice"] or "" for r in rows]
    return {
        "answered": round(sum(1 for r in rows if r["answer"]) / len(rows), 4) if rows else None,
        "answered_by_llm": sum(1 for r in rows if r["mode"] == "llm"),
        "fallback_ungrounded_llm_figures": sum(1 for n in notices if "找不到" in n),
        "llm_errors": sum(1 for n in notices if "调用失败" in n),
        "cassette_misses": 0,  # a miss aborts the run, so a finished run has none
    }


def run_config(settings, cfg: RunConfig, questions, service, fixture: bool, seconds: float) -> dict[str, Any]:
    m = cfg.manifest
    source = "extractive answerer (no model)"
    if cfg.answerer == "llm":
        kind = m.source if m else "fixture" if fixture else "real model" if cfg.mode == "record" else "live endpoint"
        where = {"replay": f"replayed from {_rel(cfg.recordings)}", "record": f"recorded into {_rel(cfg.recordings)}",
                 "live": "live calls, not recorded"}[cfg.mode]
        source = f"{kind}: {where}" + (f" (model {m.model}, recorded {m.date} from {m.endpoint})" if m else "")
        fixture = kind == "fixture"
    return {
        "answerer": cfg.answerer, "mode": cfg.mode, "model": cfg.model, "source": source, "fixture": fixture,
        "prompt_version": getattr(service, "prompt_version", None), "date": date.today().isoformat(),
        "questions": len(questions), "retrieval_k": RETRIEVAL_K, "top_k": settings.top_k,
        "chunk_tokens": settings.chunk_tokens, "lexical_tokenizer": settings.lexical_tokenizer,
        "facts": _rel(cfg.facts), "facts_sha256": hashlib.sha256(cfg.facts.read_bytes()).hexdigest()[:12],
        "duration_s": round(seconds, 1), "threshold_section": threshold_section(cfg, fixture),
    }


def set_name(facts: Path) -> str:
    """heldout for evals/heldout.yaml; generalization for evals/generalization/facts.yaml."""
    return facts.parent.name if facts.stem == "facts" else facts.stem


def threshold_section(cfg: RunConfig, fixture: bool) -> str:
    section = "extractive" if cfg.answerer == "extractive" else ("fixture_replay" if fixture else "llm")
    return f"{section}_{set_name(cfg.facts)}" if cfg.other_facts else section


def _rel(p: Path | None) -> str:
    if p is None:
        return "-"
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


# --------------------------------------------------------------------------- LLM configuration


def llm_config(settings, args: argparse.Namespace, questions: list[Question]) -> tuple[Any, RunConfig, list[Question]]:
    """Settings and run config for --answerer llm in live, record or replay mode."""
    from service.components.llm import load_prompt

    mode = "record" if args.record else "replay" if args.replay else "live"
    if mode != "replay":
        model = args.model or settings.llm_model
        settings = settings.model_copy(update={"llm_model": model})
        return settings, RunConfig("llm", mode, model, recording.recordings_dir(model)), questions
    root = recording.RECORDINGS
    name = args.model or settings.llm_model
    if not (root / recording.folder_name(name)).is_dir() and not args.model and len(recording.available(root)) == 1:
        name = recording.available(root)[0]  # the only recording set there is
    folder = recording.recordings_dir(name, root)
    if not (folder / "manifest.json").is_file():
        raise EvalError(f"no recordings for {name!r} in {_rel(root)}; have: {recording.available(root) or 'none'}")
    m = Manifest.load(folder)
    recorded = set(m.question_ids)
    missing = [q.id for q in questions if q.id not in recorded]
    if args.subset and missing:
        raise EvalError(f"not recorded in {_rel(folder)}: {', '.join(missing)}")
    current = load_prompt(settings, "answer")[1]
    if m.prompt_versions.get("answer") != current:
        print(f"warning: recorded with prompt {m.prompt_versions.get('answer')}, now {current}", file=sys.stderr)
    update = {"llm_model": m.model, "openai_base_url": m.endpoint, "openai_api_key": recording.REPLAY_API_KEY,
              "llm_max_retries": 0, **m.settings}
    return settings.model_copy(update=update), RunConfig("llm", "replay", m.model, folder, m), \
        [q for q in questions if q.id in recorded]


def save_manifest(settings, cfg: RunConfig, result: dict[str, Any], questions: list[Question]) -> Manifest:
    from service.components.llm import load_prompt

    folder = cfg.recordings
    old = Manifest.load(folder) if (folder / "manifest.json").is_file() else None
    prompts = {"answer": load_prompt(settings, "answer")[1]}
    endpoint = recording.strip_credentials(settings.openai_base_url)
    ids = {q.id for q in questions}
    if old and old.prompt_versions == prompts and old.endpoint == endpoint:
        ids |= {i for i in old.question_ids if recording.cassette_path(folder, i).is_file()}
    m = Manifest(
        model=settings.llm_model, endpoint=endpoint, date=date.today().isoformat(),
        source="fixture" if result["config"]["fixture"] else "real model", prompt_versions=prompts,
        question_ids=sorted(ids), settings={k: getattr(settings, k) for k in LLM_SETTINGS},
    )
    m.save(folder)
    return m


# --------------------------------------------------------------------------- thresholds


def check_thresholds(result: dict[str, Any], path: Path = THRESHOLDS) -> list[str]:
    """Missed thresholds, as messages; [] when all pass. Keys are min_<metric> or max_<metric>."""
    section = result["config"]["threshold_section"]
    limits = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(section)
    if not limits:
        print(f"no thresholds for {section!r} in {path}; nothing checked", file=sys.stderr)
        return []
    missed = []
    for key, limit in limits.items():
        kind, metric = key.split("_", 1)
        value = result["totals"].get(metric)
        if value is None:
            missed.append(f"{section}.{key}: metric {metric!r} missing from the run")
        elif (kind == "min" and value < limit) or (kind == "max" and value > limit):
            missed.append(f"{section}.{key}: {metric} = {value}, threshold {limit}")
    return missed


# --------------------------------------------------------------------------- entry point


def main(args: argparse.Namespace) -> int:
    from service.settings import Settings

    try:
        if getattr(args, "fit", False) or getattr(args, "cv", False):
            from evals import fit

            settings = eval_settings(eval_data_dir(Settings()) / "with-training")
            return fit.main(prepare_index(settings, extra=fit.corpora()), write=args.fit)
        facts = Path(getattr(args, "facts", None) or FACTS)
        if not facts.is_file():
            raise EvalError(f"--facts: no such file {facts}")
        corpus = Path(args.corpus) if getattr(args, "corpus", None) else None
        if corpus is not None and not corpus.is_dir():
            raise EvalError(f"--corpus: no such folder {corpus}")
        multi = multipart.load(facts)
        if multi is not None:
            bad = multipart.problems(multi, corpus or SEEDS)
            if bad:
                raise EvalError(f"{facts} fails validation ({len(bad)}): " + "; ".join(bad[:5]))
            engine = prepare_index(eval_settings(corpus_data_dir(Settings(), corpus)), extra=[corpus] if corpus else [])
            multipart.run(engine, multi, Path(args.out), f"multipart-{set_name(facts)}")
            return 0
        if args.save_baseline and not args.baseline and facts.resolve() != FACTS.resolve():
            raise EvalError("--save-baseline with --facts needs --baseline PATH (evals/baseline.json is the dev set's)")
        questions = build_questions(load_facts(facts, corpus or SEEDS), args.subset)
        base = eval_settings(corpus_data_dir(Settings(), corpus))
        if args.answerer == "llm":
            settings, cfg, questions = llm_config(base, args, questions)
            if cfg.mode == "record":
                cfg.recordings.mkdir(parents=True, exist_ok=True)
        else:
            if args.record or args.replay:
                raise EvalError("--record/--replay need --answerer llm")
            settings, cfg = base, RunConfig()
        cfg.facts = facts
        engine = prepare_index(settings, extra=[corpus] if corpus else [])
        result = run(engine, questions, cfg)
    except EvalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RecordingError as exc:
        print(f"REPLAY/RECORD FAILED: {exc}", file=sys.stderr)
        return 3
    if cfg.mode == "record":
        cfg.manifest = save_manifest(settings, cfg, result, questions)
        result["config"]["source"] += f" ({cfg.manifest.source}, manifest written)"
    baseline_path = Path(args.baseline) if args.baseline else BASELINE
    if baseline_path.is_file() and not (cfg.other_facts and not args.baseline):
        result["comparison"] = report.compare(result, json.loads(baseline_path.read_text(encoding="utf-8")),
                                              _rel(baseline_path))
    name = run_name(cfg, args.subset) + (f"-{set_name(facts)}" if cfg.other_facts else "")
    paths = report.write_all(result, Path(args.out), name)
    print(report.summary_text(result))
    print("reports: " + ", ".join(_rel(p) for p in paths))
    if args.save_baseline:
        report.save_baseline(result, baseline_path)
        print(f"baseline saved to {_rel(baseline_path)}")
    if args.check:
        missed = check_thresholds(result, Path(args.threshold_file))
        for m in missed:
            print(f"THRESHOLD MISSED: {m}", file=sys.stderr)
        if missed:
            return 1
        print(f"thresholds ({result['config']['threshold_section']}): all met")
    return 0


def run_name(cfg: RunConfig, subset: str | None) -> str:
    name = "extractive" if cfg.answerer == "extractive" else f"llm-{recording.folder_name(cfg.model or '')}-{cfg.mode}"
    return name + ("-subset" if subset else "")
