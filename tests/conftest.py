"""Shared fixtures. The seeded index is built once per test session in a temporary data dir; tests that
change the index make their own. All of them (and the CLI subprocesses, through the environment) share one
embedding cache, so each bulletin's chunks are embedded once per session (about 45 s for the five seeds on
2 cores), not once per index."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Tests never talk to a real LLM: an inherited key would switch the answerer to the LLM path.
for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BULLETINS_OPENAI_API_KEY", "BULLETINS_OPENAI_BASE_URL"):
    os.environ.pop(var, None)

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    if "BULLETINS_EMBEDDING_CACHE" not in os.environ:
        folder = Path(tempfile.mkdtemp(prefix="bulletins-embeddings-"))
        os.environ["BULLETINS_EMBEDDING_CACHE"] = str(folder / "embeddings.sqlite3")
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))

SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeded_settings(tmp_path_factory):
    from service.settings import Settings

    return Settings(data_dir=tmp_path_factory.mktemp("seeded-index"), answerer="extractive")


@pytest.fixture(scope="session")
def seeded_engine(seeded_settings):
    from service.engine import Engine

    engine = Engine(seeded_settings)
    report = engine.ingest([SEEDS], progress=False)
    assert not report.failed, report.failed
    return engine


@pytest.fixture
def fresh_settings(tmp_path):
    from service.settings import Settings

    return Settings(data_dir=tmp_path / "data", answerer="extractive")


@pytest.fixture(scope="session")
def live_server(seeded_settings, seeded_engine):
    """The API and page over the seeded index, served by a real uvicorn on a free loopback port."""
    from service.api.app import create_app
    from tests.fixtures.live_server import serve

    with serve(create_app(seeded_settings, seeded_engine)) as url:
        yield url
