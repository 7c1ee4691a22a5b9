"""API fixtures over the session's seeded index (tests/conftest.py builds it once).

`client` / `keyed_client`: FastAPI TestClient (lifespan run). `live_server` / `keyed_live_server`: a real
uvicorn server on a free 127.0.0.1 port, in a background thread of this process (the engine is in-process),
for the tests that use real HTTP clients (the openai SDK, httpx streaming)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.live_server import serve

KEYS = ["k1", "k2"]  # the staff keys of the keyed app/server


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
