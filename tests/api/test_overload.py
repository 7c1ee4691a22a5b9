"""A hanging LLM must not stall the service (issue 12, item 3).

The LLM here is tests/fixtures/scripted_openai.py told to sleep instead of answering (FIXTURE: no real model
gives these replies). Small limits via settings: client timeout 3 s x 2 tries, answer deadline 1 s,
2 answer workers, 0.5 s queue wait. Measured on 2 shared cores before the fix: a hanging /chat took 8.2 s
(both client tries, then the extractive answer), and /healthz took 15.7 s with 45 hanging chats
(Starlette's 40 shared threads all held by them). After: 1.9 s and 42 ms at most; 43 of the 45 chats got
503 with Retry-After after the 0.5 s queue wait.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fixtures.live_server import serve
from tests.fixtures.scripted_openai import ScriptedOpenAI

QUESTION = "修武县累计做了多少份核酸检测？"
N_CHATS = 45  # more than Starlette's shared threadpool (40 threads)
LIMITS = {"llm_timeout_s": 3.0, "llm_max_retries": 1, "llm_deadline_s": 1.0, "answer_workers": 2,
          "answer_queue_s": 0.5}


@pytest.fixture(scope="module")
def hanging_server(seeded_settings, seeded_engine):
    """The API over the seeded index, answering with an LLM that never replies (within 60 s)."""
    from service.api.app import create_app
    from service.engine import Engine

    with ScriptedOpenAI([("sleep", 60, "too late")] * 500) as llm:
        settings = seeded_settings.model_copy(update={
            "answerer": "llm", "openai_base_url": llm.base_url, "openai_api_key": "sk-fixture",
            "llm_model": "fixture-model", **LIMITS,
        })
        with serve(create_app(settings, Engine(settings))) as url:
            yield url


def timed(fn, *args, **kwargs) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    r = fn(*args, **kwargs)
    return time.perf_counter() - t0, r


def test_a_hanging_chat_is_cut_at_the_deadline(hanging_server, capsys):
    with httpx.Client(base_url=hanging_server, timeout=60) as http:
        elapsed, r = timed(http.post, "/chat", json={"question": QUESTION})
    with capsys.disabled():
        print(f"\nhanging /chat: {elapsed:.2f} s (deadline {LIMITS['llm_deadline_s']} s)")
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["mode"] == "extractive" and "167.78万份" in a["answer"]
    assert a["notice"] and "秒" in a["notice"], a["notice"]
    assert elapsed < LIMITS["llm_deadline_s"] + 3.0


def test_healthz_answers_at_once_under_many_hanging_chats(hanging_server, capsys):
    routes = [("/chat", {"question": QUESTION})] * (N_CHATS - 4) + [
        ("/chat/stream", {"question": QUESTION}),
        ("/chat/stream", {"question": QUESTION}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": QUESTION}]}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": QUESTION}]}),
    ]
    limits = httpx.Limits(max_connections=N_CHATS + 10)
    with httpx.Client(base_url=hanging_server, timeout=60, limits=limits) as http, \
            ThreadPoolExecutor(N_CHATS) as pool:
        chats = [pool.submit(timed, http.post, path, json=body) for path, body in routes]
        probes = []
        for _ in range(5):
            time.sleep(0.1)
            elapsed, r = timed(http.get, "/healthz")
            assert r.status_code == 200
            probes.append(elapsed)
        results = [f.result() for f in chats]
    statuses = [r.status_code for _, r in results]
    busy = [r for _, r in results if r.status_code == 503]
    with capsys.disabled():
        print(f"\n/healthz under {N_CHATS} hanging chats: max {max(probes) * 1000:.0f} ms "
              f"(probes {', '.join(f'{p * 1000:.0f}' for p in probes)} ms); chats: "
              f"{statuses.count(200)} x 200, {len(busy)} x 503, slowest {max(t for t, _ in results):.2f} s")
    assert max(probes) < 0.5, probes
    assert set(statuses) <= {200, 503}, statuses
    assert busy, "with 2 workers and a 0.5 s queue wait, most of 45 hanging chats must be turned away"
    for r in busy:
        assert int(r.headers["retry-after"]) >= 1
        body = r.json()  # /v1 answers in OpenAI's error shape
        assert "busy" in (body["error"]["message"] if "/v1/" in str(r.url) else body["detail"])
    assert max(t for t, _ in results) < LIMITS["llm_deadline_s"] + LIMITS["answer_queue_s"] + 4.0
