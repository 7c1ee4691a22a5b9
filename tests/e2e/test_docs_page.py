"""/docs in a real browser (Debian's chromium, headless): Swagger UI renders every operation of the OpenAPI
3.1 document FastAPI emits, from files served by the app itself (no CDN). Before the fix the bundled
swagger-ui 3.20 showed "Unable to render this definition" and no operation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_docs_render_the_operations(new_page, live_server, artifacts):
    page = new_page()
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(live_server) or req.url.startswith("data:")
            else outside.append(req.url))
    page.goto(f"{live_server}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    paths = set(page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.dataset.path)"))
    for path in ("/chat", "/chat/stream", "/documents", "/documents/{doc_id}/figures.csv",
                 "/v1/chat/completions", "/v1/models", "/v1/models/{model}", "/healthz"):
        assert path in paths, (path, sorted(paths))
    assert "Bulletin Q&A" in page.inner_text(".info .title")
    assert page.query_selector(".errors-wrapper") is None
    assert "Unable to render" not in page.inner_text("body")
    # an operation expands to its request body schema
    page.click('.opblock-summary-path[data-path="/chat"]')
    page.wait_for_selector('.opblock.is-open .opblock-section-request-body, .opblock.is-open .model-example')
    page.screenshot(path=str(artifacts / "docs.png"), full_page=False)
    assert outside == [], f"/docs fetched from outside the app: {outside}"
    assert page.errors == [], page.errors
