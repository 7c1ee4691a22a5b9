"""`bulletins` command line: ingest, list, remove, search, ask, summarize, digest, eval, serve."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _engine(args: argparse.Namespace):
    from service.engine import Engine
    from service.settings import get_settings

    return Engine(get_settings())


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


INGEST_EXIT_CODES = (
    "exit status: 0 every file ingested (or unchanged); 1 some failed or could not be reached (unreadable "
    "folders, link loops, broken links, interrupted ingests set aside): the others are ingested and each "
    "failure is listed with what to do; 2 a path given does not exist (nothing done)"
)


def cmd_ingest(args: argparse.Namespace) -> int:
    from service.settings import get_settings

    paths = [Path(p) for p in args.paths] or [get_settings().seeds_dir]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    engine = _engine(args)
    report = engine.ingest(paths, progress=not args.quiet)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(
            f"ingested: {len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged,"
            f" {len(report.repaired)} repaired, {len(report.failed)} failed"
        )
        for _, msg in report.failed:
            print(f"  failed: {msg}", file=sys.stderr)
    return 1 if report.failed else 0  # INGEST_EXIT_CODES


def cmd_list(args: argparse.Namespace) -> int:
    engine = _engine(args)
    docs = engine.list_documents()
    aside = [r["doc_id"] for r in engine.catalog.documents(status="failed")]
    if aside:
        print(f"note: not served, set aside after an interrupted ingest: {', '.join(aside)}; ingest their files "
              "again or `bulletins remove DOC_ID`", file=sys.stderr)
    if args.json:
        _print_json(docs)
        return 0
    if not docs:
        print("no documents ingested; run `bulletins ingest seeds/`")
        return 0
    print(f"{'doc_id':28} {'articles':>8} {'chunks':>6}  {'dates':24} title")
    for d in docs:
        dates = ",".join(d["dates"]) or "-"
        print(f"{d['doc_id']:28} {d['articles']:>8} {d['chunks']:>6}  {dates:24} {d['title'][:40]}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    if _engine(args).remove(args.doc_id):
        print(f"removed {args.doc_id}")
        return 0
    print(f"error: no document {args.doc_id!r}; see `bulletins list`", file=sys.stderr)
    return 1


def _filters(args: argparse.Namespace):
    from vectorstore.retrieval import Filters

    return Filters(doc_id=args.doc or [], place=args.place or [], date_from=args.date_from, date_to=args.date_to)


def cmd_search(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if engine.is_empty():
        print("error: the index is empty; run `bulletins ingest seeds/` first", file=sys.stderr)
        return 1
    hits = engine.search(args.query, args.k, _filters(args), args.mode)
    if args.json:
        _print_json([h.to_dict() for h in hits])
        return 0
    for i, h in enumerate(hits, 1):
        c = h.chunk
        print(f"{i}. [{c.doc_id} #{c.article} {c.start}:{c.end}] score={h.score:.4f} "
              f"dense={h.dense_rank} bm25={h.lexical_rank}")
        print(f"   {c.text[:160]}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from service.chat.service import ChatService, QuestionError

    engine = _engine(args)
    if engine.is_empty():
        print("error: the index is empty; run `bulletins ingest seeds/` first", file=sys.stderr)
        return 1
    try:
        answer = ChatService(engine).answer(args.question, top_k=args.k, filters=_filters(args))
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(answer.model_dump())
        return 0
    print(answer.answer)
    for c in answer.citations:
        print(f"  [{c.n}] {c.doc_id} #{c.article} {c.start}:{c.end}  「{c.text}」")
    if answer.ungrounded_figures:
        print(f"  ungrounded figures: {', '.join(answer.ungrounded_figures)}")
    if answer.notice:
        print(f"  note: {answer.notice}")
    return 0


def cmd_summarize(args: argparse.Namespace) -> int:
    from service.summaries.service import get_summary, summary_csv, summary_markdown

    engine = _engine(args)
    summary = get_summary(engine, args.doc_id)
    if summary is None:
        print(f"error: no document {args.doc_id!r}; see `bulletins list`", file=sys.stderr)
        return 1
    if args.json:
        _print_json(summary.model_dump())
    elif args.csv:
        sys.stdout.write(summary_csv(summary))
    else:
        print(summary_markdown(summary))
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from service.summaries.service import digest, digest_markdown

    d = digest(_engine(args))
    if args.json:
        _print_json(d.model_dump())
    else:
        print(digest_markdown(d))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.harness import main as eval_main

    return eval_main(args)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.settings import get_settings

    settings = get_settings()
    engine = _engine(args)
    if engine.is_empty():
        print(
            f"error: the index in {settings.data_dir} is empty; run `bulletins ingest seeds/` first "
            "(or `make serve`, which does both)",
            file=sys.stderr,
        )
        return 1
    host = args.host or settings.host
    port = args.port or settings.port
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_keys:
        print(
            f"WARNING: serving on {host} without staff keys: anyone who can reach it can use the API. "
            "Set BULLETINS_API_KEYS=key1,key2.",
            file=sys.stderr,
        )
    from service.api.app import create_app

    uvicorn.run(create_app(settings, engine), host=host, port=port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bulletins", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="ingest files or folders (default: seeds/)", epilog=INGEST_EXIT_CODES)
    s.add_argument("paths", nargs="*")
    s.add_argument("--json", action="store_true")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("list", help="list ingested bulletins")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("remove", help="remove a bulletin from the index")
    s.add_argument("doc_id")
    s.set_defaults(func=cmd_remove)

    def add_filters(s: argparse.ArgumentParser) -> None:
        s.add_argument("--doc", action="append", help="restrict to a doc_id (repeatable)")
        s.add_argument("--place", action="append", help="restrict to a place, e.g. 示范区 (repeatable)")
        s.add_argument("--date-from")
        s.add_argument("--date-to")
        s.add_argument("-k", type=int, default=5)
        s.add_argument("--json", action="store_true")

    s = sub.add_parser("search", help="ranked chunks for a query")
    s.add_argument("query")
    s.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    add_filters(s)
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="answer a question with citations")
    s.add_argument("question")
    add_filters(s)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("summarize", help="a bulletin's summary and key figures")
    s.add_argument("doc_id")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true")
    g.add_argument("--markdown", action="store_true", help="(default)")
    g.add_argument("--csv", action="store_true", help="the key-figures table as CSV")
    s.set_defaults(func=cmd_summarize)

    s = sub.add_parser("digest", help="what the collection covers; metrics reported differently across bulletins")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_digest)

    s = sub.add_parser("eval", help="run the eval harness over evals/facts.yaml")
    s.add_argument("--answerer", choices=["extractive", "llm"], default="extractive")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--record", action="store_true", help="call the configured endpoint and record cassettes")
    g.add_argument("--replay", action="store_true", help="replay recorded cassettes, fully offline")
    s.add_argument("--subset", help="comma-separated fact ids, doc ids, or types")
    s.add_argument("--facts", help="facts file (default evals/facts.yaml; evals/heldout.yaml is the held-out set, evals/tuning.yaml a second dev set)")
    s.add_argument("--model", help="recording folder / model name for --record/--replay")
    s.add_argument("--out", default="evals/reports", help="report folder")
    s.add_argument("--baseline", help="baseline run JSON to compare against")
    s.add_argument("--save-baseline", action="store_true", help="write this run as the new baseline")
    s.add_argument("--threshold-file", default="evals/thresholds.yaml")
    s.add_argument("--check", action="store_true", help="exit 1 when a threshold is missed")
    s.add_argument("--corpus", help="a folder of bulletins ingested beside seeds/ (the facts quote them), e.g. "
                   "evals/generalization/bulletins")
    g2 = s.add_mutually_exclusive_group()
    g2.add_argument("--fit", action="store_true", help="fit the answerer's weights and confidence on facts.yaml + "
                    "tuning.yaml into service/chat/weights.json (prints leave-one-bulletin-out accuracy)")
    g2.add_argument("--cv", action="store_true", help="leave-one-bulletin-out accuracy of the fit, writing nothing")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("serve", help="serve the API and chat page")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
