"""Chat latency benchmark: POST /chat over real HTTP (httpx -> uvicorn on 127.0.0.1, in this process),
the questions of evals/facts.yaml cycled, after a warm-up. Prints p50/p95/p99/max of the client-side
round trip and of the server's own `latency_ms`, plus the worst case: a question of the maximum length.

    python bench/chat_latency.py [-n 200] [--warmup 10] [--concurrency 1] [--data-dir DIR] [--json]

Index: --data-dir, else BULLETINS_DATA_DIR when it holds an index, else the seeds are ingested into a
temporary dir (about a minute). Writes nothing into the repo. Extractive answerer (no LLM is called).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from tests.fixtures.live_server import serve  # noqa: E402  (after the sys.path line)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values), "mean": round(sum(values) / len(values), 1), "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1), "p99": round(percentile(values, 99), 1),
        "max": round(max(values), 1),
    }


def open_engine(data_dir: Path | None):
    from service.engine import Engine
    from service.settings import Settings

    env_dir = os.environ.get("BULLETINS_DATA_DIR")
    if data_dir is None and env_dir and (Path(env_dir) / "catalog.sqlite3").exists():
        data_dir = Path(env_dir)
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="bench-chat-"))
    settings = Settings(data_dir=data_dir, answerer="extractive")
    engine = Engine(settings)
    if engine.is_empty():
        t0 = time.perf_counter()
        print(f"ingesting seeds/ into {data_dir} ...", file=sys.stderr)
        report = engine.ingest([ROOT / "seeds"], progress=False)
        if report.failed:
            raise SystemExit(f"ingest failed: {report.failed}")
        print(f"ingested in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return settings, engine


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=200, help="timed requests (default 200)")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--concurrency", type=int, default=1, help="parallel clients (default 1: sequential)")
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--facts", type=Path, default=ROOT / "evals" / "facts.yaml")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args()

    from service.api.app import create_app

    questions = [f["question"] for f in yaml.safe_load(args.facts.read_text(encoding="utf-8"))["facts"]]
    settings, engine = open_engine(args.data_dir)
    with serve(create_app(settings, engine)) as url, httpx.Client(base_url=url, timeout=120) as http:

        def one(q: str) -> tuple[float, float, bool]:
            t0 = time.perf_counter()
            r = http.post("/chat", json={"question": q})
            ms = (time.perf_counter() - t0) * 1000
            r.raise_for_status()
            body = r.json()
            return ms, float(body["latency_ms"]), bool(body["abstained"])

        for q in itertools.islice(itertools.cycle(questions), args.warmup):
            one(q)
        batch = list(itertools.islice(itertools.cycle(questions), args.n))
        t0 = time.perf_counter()
        if args.concurrency > 1:
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(one, batch))
        else:
            results = [one(q) for q in batch]
        wall = time.perf_counter() - t0
        longest = [one("示范区" + "规模以上工业企业复工了多少家" * 140)[0] for _ in range(3)]

    client_ms = [r[0] for r in results]
    server_ms = [r[1] for r in results]
    out = {
        "requests": len(results), "distinct_questions": len(set(batch)), "concurrency": args.concurrency,
        "abstained": sum(r[2] for r in results), "throughput_rps": round(len(results) / wall, 1),
        "client_ms": stats(client_ms), "server_ms": stats(server_ms),
        "max_length_question_ms": [round(x, 1) for x in longest],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"POST /chat over HTTP (uvicorn, 127.0.0.1), extractive answerer, {out['requests']} requests "
          f"({out['distinct_questions']} distinct questions), concurrency {args.concurrency}, "
          f"warm-up {args.warmup}, {out['cpus']} CPUs")
    print(f"{'':10} {'mean':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}   (ms)")
    for name in ("client_ms", "server_ms"):
        s = out[name]
        print(f"{name[:-3]:10} {s['mean']:>8} {s['p50']:>8} {s['p95']:>8} {s['p99']:>8} {s['max']:>8}")
    print(f"throughput {out['throughput_rps']} req/s; abstained {out['abstained']}/{out['requests']}")
    print(f"2000-character question (x3): {', '.join(f'{x:.0f}' for x in longest)} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
