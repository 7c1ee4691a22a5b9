"""API fixtures over the session's seeded index (tests/conftest.py builds it once).

`client` / `keyed_client`: FastAPI TestClient (lifespan run). `live_server` / `keyed_live_server`: a real
uvicorn server on a free 127.0.0.1 port, in a background thread of this process (the engine is in-process),
for the tests that use real HTTP clients (the openai SDK, httpx streaming)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

KEYS = ["k1", "k2"]  # the staff keys of the keyed app/server


@contextmanager
def serve(app) -> Iterator[str]:
    """Run `app` under uvicorn in a daemon thread on a socket bound here (no port race); yield its URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"uvicorn-{port}")
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn exited before it started; see the log above")
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 60 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="session")
def app(seeded_settings, seeded_engine):
    from service.api.app import create_app

    return create_app(seeded_settings, seeded_engine)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def keyed_settings(seeded_settings):
    return seeded_settings.model_copy(update={"api_keys": list(KEYS)})


@pytest.fixture(scope="session")
def keyed_app(keyed_settings, seeded_engine):
    from service.api.app import create_app

    return create_app(keyed_settings, seeded_engine)


@pytest.fixture(scope="session")
def keyed_client(keyed_app):
    from fastapi.testclient import TestClient

    with TestClient(keyed_app) as c:
        yield c


@pytest.fixture(scope="session")
def live_server(seeded_settings, seeded_engine) -> Iterator[str]:
    from service.api.app import create_app

    with serve(create_app(seeded_settings, seeded_engine)) as url:
        yield url


@pytest.fixture(scope="session")
def keyed_live_server(keyed_settings, seeded_engine) -> Iterator[str]:
    from service.api.app import create_app

    with serve(create_app(keyed_settings, seeded_engine)) as url:
        yield url


@pytest.fixture(scope="session")
def originals(client):
    """doc_id -> original file text, fetched once through GET /documents/{doc_id}."""
    cache: dict[str, str] = {}

    def get(doc_id: str) -> str:
        if doc_id not in cache:
            r = client.get(f"/documents/{doc_id}")
            assert r.status_code == 200, r.text
            cache[doc_id] = r.json()["original"]
        return cache[doc_id]

    return get
