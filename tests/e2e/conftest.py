"""Browser-test fixtures: real uvicorn servers over the session's seeded index (one open, one requiring staff
keys) and Debian's chromium driven by Playwright. No browser is ever downloaded: without /usr/bin/chromium
the browser tests skip (`make test` installs it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.live_server import serve

CHROMIUM = os.environ.get("BULLETINS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored
E2E_KEY = "staff-key-e2e"


@pytest.fixture(scope="session")
def keyed_live_server(seeded_settings, seeded_engine) -> Iterator[str]:
    from service.api.app import create_app

    settings = seeded_settings.model_copy(update={"api_keys": [E2E_KEY]})
    with serve(create_app(settings, seeded_engine)) as url:
        yield url


@pytest.fixture(scope="session")
def staff_key() -> str:
    return E2E_KEY


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (`make browser`); no browser is downloaded")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def new_page(browser):
    """Factory for pages in fresh contexts (own localStorage); console errors and failed requests are
    collected on page.errors and checked by the tests."""
    contexts = []

    def make(width: int = 1400, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(f"pageerror: {exc}"))
        page.on("console", lambda m: page.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        return page

    yield make
    for ctx in contexts:
        ctx.close()
