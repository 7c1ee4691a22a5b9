"""Ingest benchmark: ingest seeds/ (or --seeds DIR) into a fresh temporary data dir through the Engine
(reading, cleaning, chunking, embedding, Chroma, catalog, summaries), one file at a time, then ingest the
same files again (all unchanged).

    python bench/ingest.py [--seeds seeds/] [--data-dir /tmp/bench-ingest] [--no-tracemalloc]

Prints the time to load the embedding model; per file the wall time, the CPU time of this process (a
figure that holds up when other jobs share the cores), the part of the wall time spent embedding and
making the summary, chunks and characters; the total, the re-ingest time, and peak memory: the process's max RSS (resource.getrusage: native allocations too, e.g.
the embedding model) and tracemalloc's peak of Python allocations during the ingest. tracemalloc slows
pure-Python work (cleaning, jieba, the catalog); run with --no-tracemalloc for timings alone.
Writes nothing into the repo.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]


def max_rss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    p.add_argument("--data-dir", type=Path, help="default: a temporary dir, removed afterwards")
    p.add_argument("--no-tracemalloc", action="store_true")
    args = p.parse_args(argv)

    from service.engine import Engine
    from service.settings import Settings
    from vectorstore.embeddings import E5EmbeddingFunction
    from vectorstore.ingest import expand_paths

    spent = {"embed": 0.0, "summary": 0.0}

    def timed(key, fn):
        @functools.wraps(fn)  # Chroma checks the embedding function's signature
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spent[key] += time.perf_counter() - t

        return wrapper

    E5EmbeddingFunction.__call__ = timed("embed", E5EmbeddingFunction.__call__)  # passages (ingest) only

    files = expand_paths([args.seeds])
    if not files:
        print(f"no bulletins under {args.seeds}", file=sys.stderr)
        return 2
    tmp = None
    if args.data_dir is None:
        tmp = tempfile.mkdtemp(prefix="bench-ingest-")
        data_dir = Path(tmp) / "data"
    else:
        data_dir = args.data_dir
        if data_dir.exists() and any(data_dir.iterdir()):
            print(f"{data_dir} is not empty; give a fresh --data-dir", file=sys.stderr)
            return 2
    try:
        # chroma_url=None: always the on-disk store, whatever BULLETINS_CHROMA_URL says.
        engine = Engine(Settings(data_dir=data_dir, chroma_url=None, answerer="extractive"))
        engine._after_document = timed("summary", engine._after_document)  # the on-ingest summary hook
        rss_start = max_rss_mib()

        t0 = time.perf_counter()
        engine.store.ef(["预热"])  # load the embedding model outside the per-file timings
        model_s = time.perf_counter() - t0
        rss_model = max_rss_mib()

        if not args.no_tracemalloc:
            tracemalloc.start()
        rows = []
        t_all, cpu_all = time.perf_counter(), time.process_time()
        for path in files:
            spent.update(embed=0.0, summary=0.0)
            t, cpu = time.perf_counter(), time.process_time()
            report = engine.ingest([path], progress=False)
            dt, dcpu = time.perf_counter() - t, time.process_time() - cpu
            parts = (dcpu, spent["embed"], spent["summary"])
            if report.failed:
                rows.append((path.name, dt, parts, None, None, report.failed[0][1]))
                continue
            doc_id = (report.added or report.updated or report.unchanged)[0]
            row = engine.catalog.document(doc_id)
            n_chunks = engine.catalog.counts()[doc_id][1]
            rows.append((path.name, dt, parts, n_chunks, len(row["original"]), ""))
        total_s, total_cpu = time.perf_counter() - t_all, time.process_time() - cpu_all
        py_peak = None
        if tracemalloc.is_tracing():
            py_peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            tracemalloc.stop()
        rss_ingest = max_rss_mib()

        t = time.perf_counter()
        again = engine.ingest([args.seeds], progress=False)
        reingest_s = time.perf_counter() - t

        chunks = sum(r[3] or 0 for r in rows)
        print(f"ingest benchmark: {len(files)} files from {args.seeds} into {data_dir}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"cpu cores: {os.cpu_count()}   load average (1 min): {load:.1f}   "
              f"tracemalloc: {'off' if args.no_tracemalloc else 'on'}")
        print(f"embedding model load: {model_s:.2f} s")
        print()
        print(f"{'file':28} {'wall s':>7} {'cpu s':>6} {'embed s':>7} {'summ. s':>7} {'chunks':>6} {'chars':>6} {'s/chunk':>7}")
        for name, dt, (dcpu, emb, summ), n, chars, err in rows:
            head = f"{name:28} {dt:7.2f} {dcpu:6.2f} {emb:7.2f} {summ:7.2f}"
            print(f"{head}  FAILED: {err}" if n is None else f"{head} {n:6d} {chars:6d} {dt / max(n, 1):7.3f}")
        print(f"{'total':28} {total_s:7.2f} {total_cpu:6.2f} {'':7} {'':7} {chunks:6d}")
        print()
        print(f"chroma vectors: {engine.store.count()}   catalog chunks: {len(engine.catalog.chunks())}")
        print(
            f"re-ingest (all unchanged): {reingest_s:.2f} s   unchanged={len(again.unchanged)}"
            f" added={len(again.added)} updated={len(again.updated)} failed={len(again.failed)}"
        )
        print()
        print(f"peak RSS: {rss_ingest:.0f} MiB (at start {rss_start:.0f} MiB, after model load {rss_model:.0f} MiB)")
        if py_peak is not None:
            print(f"tracemalloc peak (Python allocations during ingest): {py_peak:.1f} MiB")
        return 0 if not any(r[3] is None for r in rows) and not again.failed else 1
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
